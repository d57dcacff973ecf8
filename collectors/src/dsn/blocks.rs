//! The DSN block walk: rubrics → declaration, establishments, individuals with their contracts,
//! pay lines, activities and contributions. Pure; the first inconsistency is an error naming
//! its line and rubric (never a value).
//!
//! Blocks are implicit in a DSN: a new instance of a block starts when a rubric of another block
//! precedes it, or when a rubric number is not above the previous one of the same block
//! (`S21.G00.53.001` after `S21.G00.53.003` starts a second activity).

use super::lines::Rubric;
use super::DsnError;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::str::FromStr;

#[derive(Clone, Debug, Default)]
pub struct Declaration {
    pub nature: Option<String>,
    pub kind: Option<String>,
    /// `S20.G00.05.005`, line.
    pub month: Option<(NaiveDate, u64)>,
    pub declared_on: Option<NaiveDate>,
    pub siren: Option<String>,
    pub establishments: Vec<Establishment>,
}

#[derive(Clone, Debug, Default)]
pub struct Establishment {
    pub line: u64,
    pub nic: Option<String>,
    pub individuals: Vec<Individual>,
}

#[derive(Clone, Debug, Default)]
pub struct Individual {
    pub line: u64,
    pub nir: Option<String>,
    pub ntt: Option<String>,
    pub sex: Option<(String, u64)>,
    pub contracts: Vec<Contract>,
    pub pays: Vec<Pay>,
    pub contributions: Vec<Contribution>,
    /// Contract number of the current `S21.G00.78` base (its `.005`), for the 81s under it.
    pub current_base_contract: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Contract {
    pub line: u64,
    pub start: Option<NaiveDate>,
    pub pcs_ese: Option<String>,
    pub nature: Option<String>,
    pub number: Option<String>,
    pub motif: Option<String>,
    pub caisse_conges: Option<String>,
    pub numero_objet: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Pay {
    pub line: u64,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub contract: Option<String>,
    pub kind: Option<String>,
    pub hours: Option<Decimal>,
    pub amount: Option<Decimal>,
    pub activities: Vec<Activity>,
}

#[derive(Clone, Debug, Default)]
pub struct Activity {
    pub measure: Option<Decimal>,
    pub unit: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Contribution {
    pub line: u64,
    pub code: Option<String>,
    pub amount: Option<Decimal>,
    pub contract: Option<String>,
}

/// Walks the rubrics in file order.
pub fn walk(rubrics: &[Rubric<'_>]) -> Result<Declaration, DsnError> {
    let mut d = Declaration::default();
    let mut last: Option<(&str, u16)> = None;
    for r in rubrics {
        let fresh = match last {
            Some((block, number)) => block != r.block || r.number <= number,
            None => true,
        };
        last = Some((r.block, r.number));
        apply(&mut d, r, fresh)?;
    }
    Ok(d)
}

fn apply(d: &mut Declaration, r: &Rubric<'_>, fresh: bool) -> Result<(), DsnError> {
    let value = r.value.trim();
    let text = || (!value.is_empty()).then(|| value.to_string());
    match r.block {
        "S20.G00.05" => {
            match r.number {
                // One declaration per file: an envelope of several (S90.G00.90.002 > 1) would
                // need its establishments split by declaration; refused rather than mixed up.
                1 if d.nature.is_some() => return Err(bad(
                    r,
                    "plusieurs déclarations dans un même fichier ; exportez une DSN par fichier",
                )),
                1 => d.nature = text(),
                2 => d.kind = text(),
                5 => d.month = Some((date(r)?, r.line)),
                7 => d.declared_on = Some(date(r)?),
                _ => {}
            }
        }
        "S21.G00.06" if r.number == 1 => {
            if value.len() != 9 || !value.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad(r, "SIREN invalide ; attendu : 9 chiffres"));
            }
            d.siren = Some(value.to_string());
        }
        "S21.G00.11" => {
            if fresh {
                d.establishments.push(Establishment {
                    line: r.line,
                    ..Establishment::default()
                });
            }
            if r.number == 1 {
                if value.len() != 5 || !value.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad(r, "NIC invalide ; attendu : 5 chiffres"));
                }
                last_mut(&mut d.establishments, r)?.nic = Some(value.to_string());
            }
        }
        "S21.G00.30" => {
            let est = d.establishments.last_mut().ok_or_else(|| {
                bad(
                    r,
                    "individu déclaré avant tout établissement (bloc S21.G00.11)",
                )
            })?;
            if fresh {
                est.individuals.push(Individual {
                    line: r.line,
                    ..Individual::default()
                });
            }
            let ind = last_mut(&mut est.individuals, r)?;
            match r.number {
                1 => ind.nir = text(),
                5 => ind.sex = text().map(|s| (s, r.line)),
                20 => ind.ntt = text(),
                _ => {}
            }
        }
        "S21.G00.40" => {
            let ind = individual(d, r)?;
            if fresh {
                ind.contracts.push(Contract {
                    line: r.line,
                    ..Contract::default()
                });
            }
            let c = last_mut(&mut ind.contracts, r)?;
            match r.number {
                1 => c.start = Some(date(r)?),
                4 => c.pcs_ese = text(),
                7 => c.nature = text(),
                9 => c.number = text(),
                21 => c.motif = text(),
                22 => c.caisse_conges = text(),
                50 => c.numero_objet = text(),
                _ => {}
            }
        }
        "S21.G00.51" => {
            let ind = individual(d, r)?;
            if fresh {
                ind.pays.push(Pay {
                    line: r.line,
                    ..Pay::default()
                });
            }
            let p = last_mut(&mut ind.pays, r)?;
            match r.number {
                1 => p.start = Some(date(r)?),
                2 => p.end = Some(date(r)?),
                10 => p.contract = text(),
                11 => p.kind = text(),
                12 => p.hours = Some(decimal(r)?),
                13 => p.amount = Some(decimal(r)?),
                _ => {}
            }
        }
        "S21.G00.53" => {
            let ind = individual(d, r)?;
            let pay = ind.pays.last_mut().ok_or_else(|| {
                bad(
                    r,
                    "activité déclarée avant toute rémunération (bloc S21.G00.51)",
                )
            })?;
            if fresh {
                pay.activities.push(Activity::default());
            }
            let a = last_mut(&mut pay.activities, r)?;
            match r.number {
                2 => a.measure = Some(decimal(r)?),
                3 => a.unit = text(),
                _ => {}
            }
        }
        "S21.G00.78" => {
            let ind = individual(d, r)?;
            if fresh {
                ind.current_base_contract = None;
            }
            if r.number == 5 {
                ind.current_base_contract = text();
            }
        }
        "S21.G00.81" => {
            let ind = individual(d, r)?;
            if fresh {
                let contract = ind.current_base_contract.clone();
                ind.contributions.push(Contribution {
                    line: r.line,
                    contract,
                    ..Contribution::default()
                });
            }
            let c = last_mut(&mut ind.contributions, r)?;
            match r.number {
                1 => c.code = text(),
                4 => c.amount = Some(decimal(r)?),
                _ => {}
            }
        }
        _ => {}
    }
    Ok(())
}

fn individual<'d>(d: &'d mut Declaration, r: &Rubric<'_>) -> Result<&'d mut Individual, DsnError> {
    d.establishments
        .last_mut()
        .and_then(|e| e.individuals.last_mut())
        .ok_or_else(|| bad(r, "rubrique déclarée avant tout individu (bloc S21.G00.30)"))
}

/// The current instance of a block; absent only when the file skips the block's start, which
/// the `fresh` rule makes impossible, but an error beats a panic on hostile input.
fn last_mut<'v, T>(items: &'v mut [T], r: &Rubric<'_>) -> Result<&'v mut T, DsnError> {
    items.last_mut().ok_or_else(|| bad(r, "bloc incomplet"))
}

fn bad(r: &Rubric<'_>, reason: &str) -> DsnError {
    DsnError::line(r.line, Some(r.code.to_string()), reason)
}

/// `JJMMAAAA`.
fn date(r: &Rubric<'_>) -> Result<NaiveDate, DsnError> {
    let v = r.value.trim();
    let parsed = (v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit()))
        .then(|| NaiveDate::parse_from_str(v, "%d%m%Y").ok())
        .flatten();
    parsed.ok_or_else(|| {
        bad(
            r,
            "date illisible ; attendu : JJMMAAAA, par exemple 18032026",
        )
    })
}

/// `1234.56`, `-3.00`.
fn decimal(r: &Rubric<'_>) -> Result<Decimal, DsnError> {
    let v = r.value.trim();
    let ok = !v.is_empty()
        && v.trim_start_matches('-')
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.')
        && v.matches('.').count() <= 1;
    ok.then(|| Decimal::from_str(v).ok())
        .flatten()
        .ok_or_else(|| {
            bad(
                r,
                "nombre illisible ; attendu : chiffres avec un point décimal, par exemple 1234.56",
            )
        })
}
