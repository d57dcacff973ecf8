//! From monthly facts to the SACD bordereau: which performances belong to the SACD repertoire,
//! and each line with its nature, VAT, average price, deadline and contract money.

use super::model::{
    AlreadyDeclared, Nature, NotDeclared, SacdFile, SacdLine, SacdTotals, ShowMoney, Span,
};
use super::Declared;
use crate::tax::describe;
use crate::{Body, BuildInput, DeclarationError};
use chrono::NaiveDate;
use releve_domain::calendar::{local_time_hhmm, rfc3339_paris, PARIS};
use releve_domain::{Audience, Discipline, Issue, Money, PerformanceFacts, Repertoire, VatRate};

pub(crate) struct Built {
    pub model: SacdFile,
    pub issues: Vec<Issue>,
}

const CODE: &str = "sacd";

/// The longest `rep_ref_dec` we send; longer performance ids are replaced by a hash.
const MAX_REF: usize = 128;

/// The bordereau of `span`: the performances of the facts whose Paris date is in it, except
/// those in `declared` (performance ids of another approved or sent bordereau: a performance is
/// never declared twice; they are listed in `already_declared` with an information point).
pub(crate) fn model_over(
    input: &BuildInput<'_>,
    span: Span,
    declared: &Declared,
) -> Result<Built, DeclarationError> {
    let facts = input.facts;
    let org = &facts.organisation;
    let mut lines = Vec::new();
    let mut not_declared = Vec::new();
    let mut issues = Vec::new();
    let mut already_declared = Vec::new();
    let today = input.generated_at.with_timezone(&PARIS).date_naive();
    for p in &facts.performances {
        if let Span::Period { period } = span {
            if p.date < period.from || p.date > period.to {
                continue;
            }
        }
        if let Some(declared_in) = declared.get(&p.performance_id) {
            issues.push(
                Issue::info(
                    "sacd.already_declared",
                    format!(
                        "La représentation {} a déjà été déclarée à la SACD ({declared_in}) : elle n'est pas \
                         répétée sur ce bordereau.",
                        describe(p)
                    ),
                )
                .for_performance(&p.performance_id)
                .for_body(CODE),
            );
            already_declared.push(AlreadyDeclared {
                performance_id: p.performance_id.clone(),
                date: p.date,
                show_title: p.show_title.clone(),
                declared_in: declared_in.clone(),
            });
            continue;
        }
        // No discipline: the facts already carry a blocking issue; only an explicit `sacd = yes`
        // puts the performance on the bordereau.
        let repertoire = match p.discipline {
            Some(d) => input
                .disciplines
                .routing(d)
                .sacd
                .with_override(p.sacd_override),
            None => Repertoire::No.with_override(p.sacd_override),
        };
        match repertoire {
            Repertoire::No => continue,
            Repertoire::Review => {
                let label = p
                    .discipline
                    .map(|d| input.disciplines.routing(d).label_fr.clone())
                    .unwrap_or_default();
                issues.push(
                    Issue::blocking(
                        "sacd.repertoire.review",
                        format!(
                            "La représentation {} est de discipline « {label} » : releve ne peut pas décider si elle \
                             relève du répertoire de la SACD, elle n'apparaît donc pas sur le bordereau. Indiquez \
                             sacd = yes ou no dans le programme.",
                            describe(p)
                        ),
                    )
                    .for_performance(&p.performance_id)
                    .for_body(CODE),
                );
                continue;
            }
            Repertoire::Yes => {}
        }
        if p.cancelled {
            not_declared.push(NotDeclared {
                performance_id: p.performance_id.clone(),
                date: p.date,
                show_title: p.show_title.clone(),
                reason: "Représentation annulée : pas de droits d'auteur".into(),
            });
            continue;
        }
        let deadline = input
            .rules
            .sacd_deadline(p.date)
            .map_err(|e| DeclarationError::Rules {
                body: Body::Sacd,
                reason: e.to_string(),
            })?;
        let notice =
            input
                .rules
                .sacd_deadline_notice_days(p.date)
                .map_err(|e| DeclarationError::Rules {
                    body: Body::Sacd,
                    reason: e.to_string(),
                })?;
        if let Some(issue) = deadline_issue(p, deadline, today, notice) {
            issues.push(issue);
        }
        lines.push(line(p, &org.slug, deadline, &mut issues));
    }
    if !lines.is_empty()
        && org
            .sacd_declarant_id
            .as_deref()
            .is_none_or(|id| id.trim().is_empty())
    {
        issues.push(
            Issue::blocking(
                "sacd.declarant_id.missing",
                format!(
                    "L'identifiant de déclarant SACD de {} manque : le bordereau et le fichier de télétransmission \
                     ne peuvent pas être acceptés sans lui. Renseignez sacd_declarant_id dans la configuration de \
                     l'organisation (numéro à 6 chiffres donné par la SACD).",
                    org.name
                ),
            )
            .for_body(CODE),
        );
    }
    let shows = shows(&lines);
    let totals = SacdTotals::of(&lines);
    Ok(Built {
        model: SacdFile {
            schema_version: 1,
            body: Body::Sacd,
            organisation: org.slug.clone(),
            month: facts.month,
            span,
            declarant_id: org.sacd_declarant_id.clone(),
            deadline: lines.iter().map(|l| l.deadline).min(),
            lines,
            shows,
            not_declared,
            already_declared,
            totals,
        },
        issues,
    })
}

/// SACD wants each performance within 30 days, or invoices a provision (bordereau, "délai"):
/// at generation time, a line whose deadline is past, or `notice` days away or less, is a
/// blocking point, so that a monthly run never lets it slip silently.
fn deadline_issue(
    p: &PerformanceFacts,
    deadline: NaiveDate,
    today: NaiveDate,
    notice: i64,
) -> Option<Issue> {
    let left = (deadline - today).num_days();
    let issue = if left < 0 {
        Issue::blocking(
            "sacd.deadline.past",
            format!(
                "Le délai SACD de la représentation {} est dépassé : elle devait être déclarée au plus tard le {}. \
                 Envoyez le bordereau sans attendre (passé ce délai, la SACD facture une provision calculée sur \
                 la jauge de la salle), puis déclarez les représentations chaque semaine (releve run --body sacd \
                 --from … --to …).",
                describe(p),
                crate::render::fr::long_date(deadline)
            ),
        )
    } else if left <= notice {
        Issue::blocking(
            "sacd.deadline.near",
            format!(
                "La représentation {} doit être déclarée à la SACD au plus tard le {} (dans {left} jour{}) : \
                 approuvez et envoyez le bordereau maintenant, sinon la SACD facture une provision.",
                describe(p),
                crate::render::fr::long_date(deadline),
                if left > 1 { "s" } else { "" }
            ),
        )
    } else {
        return None;
    };
    Some(issue.for_performance(&p.performance_id).for_body(CODE))
}

/// Lecture first (a reading is declared as such whatever its audience), then the audience.
pub(crate) fn nature(discipline: Option<Discipline>, audience: Audience) -> Nature {
    match (discipline, audience) {
        (Some(Discipline::Lecture), _) => Nature::Lecture,
        (_, Audience::Scolaire) => Nature::Scolaire,
        (_, Audience::JeunePublic) => Nature::JeunePublic,
        (_, Audience::ToutPublic) => Nature::ToutPublic,
    }
}

/// The rate shown for the receipts: the only one, or for mixed rates the one carrying the
/// largest receipts incl. VAT (ties: the higher rate, so that the VAT is never understated).
fn shown_rate(p: &PerformanceFacts) -> Option<VatRate> {
    p.vat
        .iter()
        .max_by(|a, b| {
            a.receipts_incl_vat
                .cmp(&b.receipts_incl_vat)
                .then(a.rate.cmp(&b.rate))
        })
        .map(|v| v.rate)
}

/// `rep_ref_dec`: the performance id itself (readable, stable), or a hash when it is too long
/// for the teletransmission.
fn rep_ref(slug: &str, performance_id: &str) -> String {
    if performance_id.chars().count() <= MAX_REF {
        performance_id.to_string()
    } else {
        crate::sibil::external_id(slug, performance_id)
    }
}

fn line(
    p: &PerformanceFacts,
    slug: &str,
    deadline: chrono::NaiveDate,
    issues: &mut Vec<Issue>,
) -> SacdLine {
    let mut warn = |code: &str, message: String| {
        issues.push(
            Issue::warning(code, message)
                .for_performance(&p.performance_id)
                .for_body(CODE),
        )
    };
    let vat_mixed = p.vat.len() > 1;
    let vat_rate = shown_rate(p);
    if vat_mixed {
        let breakdown = p
            .vat
            .iter()
            .map(|v| {
                format!(
                    "{} : {} TTC",
                    v.rate.to_french(),
                    v.receipts_incl_vat.to_french()
                )
            })
            .collect::<Vec<_>>()
            .join(" ; ");
        warn(
            "sacd.vat.mixed",
            format!(
                "La représentation {} mêle plusieurs taux de TVA ({breakdown}) : le bordereau n'a qu'une case, il \
                 indique {} (le taux de la plus grosse part) ; les montants HT et de TVA restent exacts. Précisez la \
                 ventilation à la SACD si elle la demande.",
                describe(p),
                vat_rate.map(VatRate::to_french).unwrap_or_default()
            ),
        );
    }
    if p.capacity.is_none() {
        warn(
            "sacd.capacity.missing",
            format!(
                "La jauge de la représentation {} est inconnue : la SACD s'en sert pour estimer ses droits en cas de \
                 retard. Renseignez la colonne capacity du programme.",
                describe(p)
            ),
        );
    }
    let producer = p.producer.as_ref();
    SacdLine {
        performance_id: p.performance_id.clone(),
        date: p.date,
        time: local_time_hhmm(p.starts_at),
        nature: nature(p.discipline, p.audience),
        receipts_incl_vat: p.receipts_incl_vat,
        vat_rate,
        receipts_excl_vat: p.receipts_excl_vat,
        vat_amount: p.vat_amount(),
        paid_tickets: p.paid_tickets,
        exempted_tickets: p.free_tickets,
        capacity: p.capacity,
        average_price: p
            .receipts_incl_vat
            .average(p.paid_tickets)
            .unwrap_or(Money::ZERO),
        deadline,
        rep_ref: rep_ref(slug, &p.performance_id),
        starts_at: rfc3339_paris(p.starts_at),
        show_title: p.show_title.clone(),
        venue_name: p.venue.name.clone(),
        postal_code: p.venue.postal_code.clone(),
        city: p.venue.city.clone(),
        vat_mixed,
        producer_name: producer.map(|pr| pr.name.clone()),
        producer_siret: producer.and_then(|pr| pr.siret.clone()),
        cession_price_excl_vat: p.cession_price_excl_vat,
        frais_approche_excl_vat: p.frais_approche_excl_vat,
        coproduction_contribution_excl_vat: p.coproduction_contribution_excl_vat,
        guarantee_excl_vat: p.guarantee_excl_vat,
        cession_vat_rate: p.cession_price_excl_vat.map(|_| cession_rate()),
        cession_vat_amount: p
            .cession_price_excl_vat
            .map(|price| price.percent(cession_rate().percent())),
        sacd_dossier: p.sacd_dossier.clone(),
        amateur: p.amateur,
        works: p.works.clone(),
        duration_minutes: p.duration_minutes,
        producer_address: producer.and_then(|pr| pr.address.clone()),
    }
}

/// A cession contract for a live show is invoiced at the reduced rate of 5.5 % (CGI art. 278-0
/// bis F; the SACD form's note on section D), as for the SACEM expenses.
fn cession_rate() -> VatRate {
    VatRate::parse("5.5").expect("5.5 is a known rate")
}

/// Groups the lines by show title, in order of first performance.
fn shows(lines: &[SacdLine]) -> Vec<ShowMoney> {
    let mut shows: Vec<ShowMoney> = Vec::new();
    for l in lines {
        let money = |m: Option<Money>| m.unwrap_or(Money::ZERO);
        match shows.iter_mut().find(|s| s.show_title == l.show_title) {
            Some(s) => {
                s.performances += 1;
                s.first_date = s.first_date.min(l.date);
                s.last_date = s.last_date.max(l.date);
                s.cession_price_excl_vat += money(l.cession_price_excl_vat);
                s.frais_approche_excl_vat += money(l.frais_approche_excl_vat);
                s.coproduction_contribution_excl_vat += money(l.coproduction_contribution_excl_vat);
                s.guarantee_excl_vat += money(l.guarantee_excl_vat);
                if s.works.is_empty() {
                    s.works = l.works.clone();
                }
                s.duration_minutes = s.duration_minutes.or(l.duration_minutes);
                s.sacd_dossier = s.sacd_dossier.clone().or(l.sacd_dossier.clone());
                s.producer_address = s.producer_address.clone().or(l.producer_address.clone());
                if s.producer_name.is_none() {
                    s.producer_name = l.producer_name.clone();
                    s.producer_siret = l.producer_siret.clone();
                }
            }
            None => shows.push(ShowMoney {
                show_title: l.show_title.clone(),
                producer_name: l.producer_name.clone(),
                producer_siret: l.producer_siret.clone(),
                performances: 1,
                first_date: l.date,
                last_date: l.date,
                cession_price_excl_vat: money(l.cession_price_excl_vat),
                frais_approche_excl_vat: money(l.frais_approche_excl_vat),
                coproduction_contribution_excl_vat: money(l.coproduction_contribution_excl_vat),
                guarantee_excl_vat: money(l.guarantee_excl_vat),
                sacd_dossier: l.sacd_dossier.clone(),
                amateur: l.amateur,
                works: l.works.clone(),
                duration_minutes: l.duration_minutes,
                producer_address: l.producer_address.clone(),
            }),
        }
    }
    shows
}
