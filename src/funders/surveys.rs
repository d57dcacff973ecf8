//! Surveys as data: one TOML file per survey in `surveys/` (compiled in; an installation may add
//! or replace files in a `surveys/` folder beside its configuration file), each question mapped
//! to a catalogue indicator with its perimeter, unit and rounding — or to nothing, when releve
//! has no source for it: the question is then listed as « à saisir ». No code per survey
//! (`docs/funders.md` says how to write one).
//!
//! [`prefill`] answers a survey for one organisation from its own `indicators.json` of the
//! periods the questions need (the funder view's code path, `view::organisation_json`), with,
//! for each answer, the indicator, its formula and sources, the sums behind a ratio and the run
//! the figures come from.

use crate::config::{Config, OrganisationConfig};
use crate::funders::view::{latest_run, organisation_json, source_fr, Freshness};
use crate::reference::ReferenceData;
use anyhow::{bail, Context, Result};
use chrono::{DateTime, Utc};
use releve_domain::money::round_half_up;
use releve_indicators::network::{read_json, OrganisationIndicators};
use releve_indicators::{catalogue, Def, IndicatorRow, Period, Ratio, Unit, Value};
use releve_store::Store;
use serde::Deserialize;

/// The surveys shipped with releve (`surveys/*.toml`, listed by `build.rs`).
const SHIPPED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/surveys.rs"));

/// Over which period a question is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Perimeter {
    /// The season asked for.
    Season,
    /// The calendar year asked for.
    Year,
    /// The season asked for and the two before it, together (the LOLF P131 formula): a ratio
    /// is Σ numerators ÷ Σ denominators over the three seasons.
    ThreeSeasons,
}

/// How an answer is rounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Whole numbers (a percentage to the unit, an amount to the euro).
    Unit,
    /// One decimal (percentages).
    Tenth,
    /// Two decimals (amounts to the cent).
    Cent,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub label: String,
    /// The catalogue indicator that answers it; absent: releve has no source (« à saisir »).
    #[serde(default)]
    pub indicator: Option<String>,
    /// A line of the indicator's breakdown (`jeune_public`, `theatre`).
    #[serde(default)]
    pub breakdown: Option<String>,
    #[serde(default)]
    pub perimeter: Option<Perimeter>,
    /// The unit the survey expects (`count`, `percent`, `euros`, `hours`, `cachets`): must be
    /// the indicator's.
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub rounding: Option<Rounding>,
    /// Why releve cannot answer (for a question without indicator), or a caveat.
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Survey {
    pub id: String,
    pub title: String,
    /// Who sends it (`FEDELIMA`, `DGCA`, `Ministère de la Culture — LOLF`).
    pub issuer: String,
    pub description: String,
    /// Where the questions come from.
    pub reference: String,
    #[serde(rename = "question")]
    pub questions: Vec<Question>,
}

impl Survey {
    /// Reads one survey file and checks every question against the catalogue.
    pub fn parse(name: &str, text: &str) -> Result<Survey> {
        let survey: Survey =
            toml::from_str(text).with_context(|| format!("questionnaire {name} illisible"))?;
        for q in &survey.questions {
            let Some(id) = &q.indicator else { continue };
            let def = catalogue::find(id).with_context(|| {
                format!(
                    "questionnaire {name}, question « {} » : indicateur inconnu « {id} »",
                    q.id
                )
            })?;
            if q.perimeter.is_none() {
                bail!(
                    "questionnaire {name}, question « {} » : perimeter manquant (season, year ou three_seasons)",
                    q.id
                );
            }
            match &q.unit {
                Some(u) if u == def.unit.code() => {}
                other => bail!(
                    "questionnaire {name}, question « {} » : unit = {:?}, l'indicateur {id} est en « {} »",
                    q.id,
                    other,
                    def.unit.code()
                ),
            }
            if q.perimeter == Some(Perimeter::ThreeSeasons) && def.unit != Unit::Percent {
                bail!(
                    "questionnaire {name}, question « {} » : three_seasons ne vaut que pour un taux",
                    q.id
                );
            }
        }
        Ok(survey)
    }
}

/// The shipped surveys, then those of the `surveys/` folder beside the configuration file (a
/// file with the same `id` replaces the shipped one). Sorted by id.
pub fn load(config: &Config) -> Result<Vec<Survey>> {
    let mut surveys: Vec<Survey> = Vec::new();
    let mut add = |s: Survey| {
        surveys.retain(|x| x.id != s.id);
        surveys.push(s);
    };
    for (name, text) in SHIPPED {
        add(Survey::parse(name, text)?);
    }
    if let Some(dir) = config.path.parent().map(|p| p.join("surveys")) {
        if dir.is_dir() {
            let mut files: Vec<_> = std::fs::read_dir(&dir)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            files.sort();
            for path in files {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("impossible de lire {}", path.display()))?;
                add(Survey::parse(&path.display().to_string(), &text)?);
            }
        }
    }
    surveys.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(surveys)
}

/// The answer to one question.
#[derive(Clone)]
pub struct Answer {
    pub question: Question,
    /// `None`: « à saisir » (no indicator, or the indicator has no figure for the perimeter).
    pub value: Option<Value>,
    /// French: the value as written on the survey.
    pub text: String,
    /// The indicator behind the answer.
    pub indicator: Option<&'static Def>,
    /// French: the period(s) the figure covers.
    pub perimeter_fr: String,
    /// French lines: the sums behind a ratio, the indicator's note, the run(s) it comes from;
    /// or why it is « à saisir ».
    pub behind: Vec<String>,
}

impl Answer {
    pub fn to_enter(&self) -> bool {
        self.value.is_none()
    }
}

/// A survey answered for one organisation.
#[derive(Clone)]
pub struct Prefilled {
    pub survey: Survey,
    pub answers: Vec<Answer>,
}

impl Prefilled {
    /// The questions left « à saisir ».
    pub fn to_enter(&self) -> Vec<&Answer> {
        self.answers.iter().filter(|a| a.to_enter()).collect()
    }
}

/// One period's indicators of the organisation and where they come from.
struct Read {
    indicators: OrganisationIndicators,
    source: String,
}

async fn read(
    store: &Store,
    org: &OrganisationConfig,
    period: Period,
    reference: &ReferenceData,
    now: DateTime<Utc>,
) -> Result<Read> {
    let bytes = organisation_json(store, org, period, reference, now).await?;
    let indicators = read_json(&org.organisation.slug, &org.organisation.name, &bytes)?;
    let run = latest_run(store, &org.organisation.slug, period).await?;
    let source = source_fr(&Freshness {
        run,
        fingerprint: String::new(),
        last_download: None,
        changed_since_download: false,
    });
    Ok(Read { indicators, source })
}

fn rounded(value: Value, rounding: Option<Rounding>) -> Value {
    let dp = |r: Rounding| match r {
        Rounding::Unit => 0,
        Rounding::Tenth => 1,
        Rounding::Cent => 2,
    };
    match (value, rounding) {
        (Value::Percent(p), Some(r)) => Value::Percent(round_half_up(p, dp(r))),
        (Value::Number(n), Some(r)) => Value::Number(round_half_up(n, dp(r))),
        (Value::Money(m), Some(Rounding::Unit)) => Value::Money(m.round_euros()),
        (v, _) => v,
    }
}

/// The row's value (or the breakdown line's) for the current or the previous period.
fn pick(row: &IndicatorRow, breakdown: Option<&str>, previous: bool) -> Value {
    let whole = if previous {
        &row.previous_value
    } else {
        &row.value
    };
    match breakdown {
        None => whole.clone(),
        Some(key) => row
            .breakdown
            .iter()
            .find(|b| b.key == key)
            .map(|b| {
                if previous {
                    b.previous_value.clone()
                } else {
                    b.value.clone()
                }
            })
            // A line absent from the breakdown: nothing of that kind happened.
            .unwrap_or_else(|| match whole {
                Value::NotApplicable { .. } => whole.clone(),
                _ if row.unit == Unit::Euros => Value::Money(releve_domain::Money::ZERO),
                _ => Value::Count(0),
            }),
    }
}

fn to_enter(question: &Question, def: Option<&'static Def>, reason: String) -> Answer {
    Answer {
        question: question.clone(),
        value: None,
        text: "à saisir".to_string(),
        indicator: def,
        perimeter_fr: String::new(),
        behind: vec![reason],
    }
}

/// Pre-fills `survey` for `org`: season questions over `season`, year questions over `year`,
/// three-season questions over `season` and the two before it.
pub async fn prefill(
    store: &Store,
    reference: &ReferenceData,
    org: &OrganisationConfig,
    survey: &Survey,
    season: Period,
    year: i32,
    now: DateTime<Utc>,
) -> Result<Prefilled> {
    let needs = |p: Perimeter| survey.questions.iter().any(|q| q.perimeter == Some(p));
    let season_read = if needs(Perimeter::Season) || needs(Perimeter::ThreeSeasons) {
        Some(read(store, org, season, reference, now).await?)
    } else {
        None
    };
    let year_read = if needs(Perimeter::Year) {
        Some(read(store, org, Period::Year(year), reference, now).await?)
    } else {
        None
    };
    // The third season back: the current period of the season two before.
    let older_read = if needs(Perimeter::ThreeSeasons) {
        Some(read(store, org, season.previous().previous(), reference, now).await?)
    } else {
        None
    };
    let mut answers = Vec::new();
    for q in &survey.questions {
        let Some(id) = &q.indicator else {
            let reason = q.note.clone().unwrap_or_else(|| {
                "releve n'a pas de source pour cette question : à saisir par le lieu".to_string()
            });
            answers.push(to_enter(q, None, reason));
            continue;
        };
        let def = catalogue::find(id).context("indicateur vérifié au chargement")?;
        let answer = match q.perimeter.unwrap_or(Perimeter::Season) {
            Perimeter::Season | Perimeter::Year => {
                let (r, perimeter_fr) = if q.perimeter == Some(Perimeter::Year) {
                    (year_read.as_ref(), Period::Year(year).to_french())
                } else {
                    (season_read.as_ref(), season.to_french())
                };
                let r = r.context("période lue")?;
                let row = r
                    .indicators
                    .row(def.id)
                    .context("indicateur absent du fichier")?;
                match pick(row, q.breakdown.as_deref(), false) {
                    Value::NotApplicable { reason } => {
                        to_enter(q, Some(def), format!("non applicable : {reason}"))
                    }
                    value => {
                        let value = rounded(value, q.rounding);
                        let mut behind =
                            vec![format!("{} ({}) — {}", def.label, def.id, def.formula)];
                        if let (Some(ratio), None) = (&row.ratio, &q.breakdown) {
                            behind.push(format!("sommes : {}", ratio.to_french()));
                        }
                        if let Some(note) = &row.note {
                            behind.push(note.clone());
                        }
                        behind.push(format!("sources : {}", def.sources));
                        behind.push(format!("chiffres du {}", r.source));
                        if let Some(note) = &q.note {
                            behind.push(note.clone());
                        }
                        Answer {
                            question: q.clone(),
                            text: value.to_french(),
                            value: Some(value),
                            indicator: Some(def),
                            perimeter_fr,
                            behind,
                        }
                    }
                }
            }
            Perimeter::ThreeSeasons => {
                let current = season_read.as_ref().context("saison lue")?;
                let older = older_read.as_ref().context("saison lue")?;
                let row = current
                    .indicators
                    .row(def.id)
                    .context("indicateur absent")?;
                let oldest = older.indicators.row(def.id).context("indicateur absent")?;
                let seasons = [
                    (season, row.ratio),
                    (season.previous(), row.previous_ratio),
                    (season.previous().previous(), oldest.ratio),
                ];
                let known: Vec<&(Period, Option<Ratio>)> =
                    seasons.iter().filter(|(_, r)| r.is_some()).collect();
                let total = known
                    .iter()
                    .filter_map(|(_, r)| *r)
                    .reduce(|a, b| a.add(&b).unwrap_or(a));
                let perimeter_fr = format!("saisons {} à {}", season.previous().previous(), season);
                match total.map(|t| {
                    (
                        t,
                        t.value("aucune place mise en vente sur les trois saisons"),
                    )
                }) {
                    Some((t, value)) if value.is_applicable() => {
                        let value = rounded(value, q.rounding);
                        let mut behind = vec![
                            format!("{} ({}) — {}", def.label, def.id, def.formula),
                            format!("sommes sur les trois saisons : {}", t.to_french()),
                        ];
                        for (p, r) in &seasons {
                            behind.push(match r {
                                Some(r) => format!("{p} : {}", r.to_french()),
                                None => format!("{p} : aucune donnée"),
                            });
                        }
                        if known.len() < 3 {
                            behind.push(format!(
                                "{} saison(s) sur 3 connue(s) dans releve",
                                known.len()
                            ));
                        }
                        behind.push(format!("chiffres du {}", current.source));
                        Answer {
                            question: q.clone(),
                            text: value.to_french(),
                            value: Some(value),
                            indicator: Some(def),
                            perimeter_fr,
                            behind,
                        }
                    }
                    _ => to_enter(
                        q,
                        Some(def),
                        "aucune donnée de places mises en vente sur les trois saisons".to_string(),
                    ),
                }
            }
        };
        answers.push(answer);
    }
    Ok(Prefilled {
        survey: survey.clone(),
        answers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_surveys_load_and_map_to_the_catalogue() {
        let surveys: Vec<Survey> = SHIPPED
            .iter()
            .map(|(n, t)| Survey::parse(n, t).unwrap())
            .collect();
        let ids: Vec<&str> = surveys.iter().map(|s| s.id.as_str()).collect();
        for id in ["dgca-parite", "fedelima-opp", "lolf-p131"] {
            assert!(ids.contains(&id), "{id} missing from {ids:?}");
        }
    }

    #[test]
    fn a_question_with_the_wrong_unit_is_refused() {
        let text =
            "id = \"x\"\ntitle = \"x\"\nissuer = \"x\"\ndescription = \"x\"\nreference = \"x\"\n\
                    [[question]]\nid = \"q\"\nlabel = \"q\"\nindicator = \"attendance.paid\"\n\
                    perimeter = \"season\"\nunit = \"euros\"\n";
        let err = Survey::parse("x.toml", text).unwrap_err().to_string();
        assert!(err.contains("est en « count »"), "{err}");
    }
}
