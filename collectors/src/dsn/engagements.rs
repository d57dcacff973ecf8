//! Declaration blocks → [`Engagement`]s, one per contract and pay period. Pure.
//!
//! Rules (see the module doc of [`super`] for the choices marked uncertain):
//! - gross pay: sum of `S21.G00.51.013` of the gross-pay types ([`DsnOptions::gross_pay_types`],
//!   `001` by default); when a pay period has none of them, type `002` (gross subject to
//!   unemployment insurance, which every intermittent contract carries) is used instead;
//! - hours: sum of `S21.G00.51.012` on the same pay lines as the gross pay;
//! - cachets: sum of `S21.G00.53.002` whose unit `.003` is a cachet unit
//!   ([`DsnOptions::cachet_units`]); `None` when the period has no such activity;
//! - Congés Spectacles: sum of `S21.G00.81.004` with code `066` for the contract (the contract
//!   number of the enclosing `S21.G00.78.005`, or the individual's only contract), put on the
//!   contract's first pay period;
//! - a contract without any pay line this month gives no engagement.

use super::blocks::{Contract, Declaration, Individual, Pay};
use super::{pseudonym_key, DsnError, DsnOptions};
use chrono::NaiveDate;
use releve_domain::employment::{Engagement, Role, Sex};
use releve_domain::{Money, Month};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Congés Spectacles contribution code in `S21.G00.81.001`.
pub const CONGES_SPECTACLES_CODE: &str = "066";

pub fn build(
    source: &str,
    d: &Declaration,
    month: Month,
    options: &DsnOptions,
) -> Result<Vec<Engagement>, DsnError> {
    let siren = d.siren.as_deref().ok_or_else(|| {
        DsnError::general("SIREN de l'entreprise absent (rubrique S21.G00.06.001)")
    })?;
    let mut out = Vec::new();
    for est in &d.establishments {
        let nic = est.nic.as_deref().ok_or_else(|| {
            DsnError::line(
                est.line,
                Some("S21.G00.11.001".into()),
                "NIC de l'établissement absent",
            )
        })?;
        let siret = format!("{siren}{nic}");
        for ind in &est.individuals {
            individual(source, &siret, month, ind, options, &mut out)?;
        }
    }
    out.sort_by(|a, b| {
        (
            &a.employer_siret,
            &a.contract_id,
            a.period_start,
            &a.person_key,
        )
            .cmp(&(
                &b.employer_siret,
                &b.contract_id,
                b.period_start,
                &b.person_key,
            ))
    });
    Ok(out)
}

fn individual(
    source: &str,
    siret: &str,
    month: Month,
    ind: &Individual,
    options: &DsnOptions,
    out: &mut Vec<Engagement>,
) -> Result<(), DsnError> {
    let number = ind.nir.as_deref().or(ind.ntt.as_deref()).ok_or_else(|| {
        DsnError::line(
            ind.line,
            Some("S21.G00.30.001".into()),
            "individu sans NIR (S21.G00.30.001) ni NTT (S21.G00.30.020)",
        )
    })?;
    let person_key = pseudonym_key(&options.salt, number);
    let sex = match &ind.sex {
        None => None,
        Some((code, line)) => Some(match code.as_str() {
            "01" => Sex::Male,
            "02" => Sex::Female,
            _ => {
                return Err(DsnError::line(
                    *line,
                    Some("S21.G00.30.005".into()),
                    "code sexe inconnu ; attendu : 01 (masculin) ou 02 (féminin)",
                ))
            }
        }),
    };
    for c in &ind.contracts {
        if c.number.is_none() {
            return Err(DsnError::line(
                c.line,
                Some("S21.G00.40.009".into()),
                "numéro du contrat absent",
            ));
        }
    }
    // Pay lines grouped by (contract number, period).
    let mut groups: BTreeMap<(String, NaiveDate, NaiveDate), Vec<&Pay>> = BTreeMap::new();
    for pay in &ind.pays {
        let contract = contract_of(ind, pay.contract.as_deref(), pay.line)?;
        let (Some(start), Some(end)) = (pay.start, pay.end) else {
            return Err(DsnError::line(
                pay.line,
                Some("S21.G00.51.001".into()),
                "période de paie incomplète (S21.G00.51.001 et .002 attendus)",
            ));
        };
        if end < start {
            return Err(DsnError::line(
                pay.line,
                Some("S21.G00.51.002".into()),
                "fin de période de paie antérieure à son début",
            ));
        }
        let number = contract.number.clone().unwrap_or_default();
        groups.entry((number, start, end)).or_default().push(pay);
    }
    let mut conges_done: Vec<String> = Vec::new();
    for ((number, start, end), pays) in groups {
        let contract = contract_of(ind, Some(&number), pays[0].line)?;
        let (gross, hours) = gross_and_hours(&pays, options);
        let cachets = cachets(&pays, options);
        // The contribution is per contract: only on its first period (groups are sorted).
        let conges = if conges_done.contains(&number) {
            None
        } else {
            conges_done.push(number.clone());
            conges(ind, &number)?
        };
        out.push(Engagement {
            source: source.to_string(),
            employer_siret: siret.to_string(),
            month,
            person_key: person_key.clone(),
            sex,
            role: role(contract.pcs_ese.as_deref(), options),
            contract_id: number.clone(),
            contract_nature: contract.nature.clone(),
            pcs_ese: contract.pcs_ese.clone(),
            intermittent: intermittent(contract, has_066(ind, &number), options),
            numero_objet: contract.numero_objet.clone(),
            period_start: start,
            period_end: end,
            hours,
            cachets,
            gross_pay: Money::new(gross),
            conges_spectacles: conges,
        });
    }
    Ok(())
}

/// The contract a pay line refers to: by number, or the individual's only contract when the
/// line gives none.
fn contract_of<'i>(
    ind: &'i Individual,
    number: Option<&str>,
    line: u64,
) -> Result<&'i Contract, DsnError> {
    match number {
        Some(n) => ind
            .contracts
            .iter()
            .find(|c| c.number.as_deref() == Some(n))
            .ok_or_else(|| {
                DsnError::line(
                    line,
                    Some("S21.G00.51.010".into()),
                    "rémunération rattachée à un numéro de contrat absent des contrats de \
                     l'individu (S21.G00.40.009)",
                )
            }),
        None if ind.contracts.len() == 1 => Ok(&ind.contracts[0]),
        None => Err(DsnError::line(
            line,
            Some("S21.G00.51.010".into()),
            "rémunération sans numéro de contrat alors que l'individu a plusieurs contrats (ou \
             aucun)",
        )),
    }
}

fn gross_and_hours(pays: &[&Pay], options: &DsnOptions) -> (Decimal, Decimal) {
    let sum_of = |types: &[String]| {
        let lines: Vec<&&Pay> = pays
            .iter()
            .filter(|p| p.kind.as_ref().is_some_and(|k| types.contains(k)))
            .collect();
        (!lines.is_empty()).then(|| {
            (
                lines.iter().filter_map(|p| p.amount).sum::<Decimal>(),
                lines.iter().filter_map(|p| p.hours).sum::<Decimal>(),
            )
        })
    };
    sum_of(&options.gross_pay_types)
        .or_else(|| sum_of(&["002".to_string()]))
        .unwrap_or((Decimal::ZERO, Decimal::ZERO))
}

fn cachets(pays: &[&Pay], options: &DsnOptions) -> Option<Decimal> {
    let measures: Vec<Decimal> = pays
        .iter()
        .flat_map(|p| &p.activities)
        .filter(|a| {
            a.unit
                .as_ref()
                .is_some_and(|u| options.cachet_units.contains(u))
        })
        .map(|a| a.measure.unwrap_or_default())
        .collect();
    (!measures.is_empty()).then(|| measures.into_iter().sum())
}

fn contributions_066<'i>(
    ind: &'i Individual,
    number: &'i str,
) -> impl Iterator<Item = &'i super::blocks::Contribution> + 'i {
    let only = ind.contracts.len() == 1;
    ind.contributions.iter().filter(move |c| {
        c.code.as_deref() == Some(CONGES_SPECTACLES_CODE)
            && match c.contract.as_deref() {
                Some(n) => n == number,
                None => only,
            }
    })
}

fn has_066(ind: &Individual, number: &str) -> bool {
    contributions_066(ind, number).next().is_some()
}

fn conges(ind: &Individual, number: &str) -> Result<Option<Money>, DsnError> {
    let mut total: Option<Decimal> = None;
    for c in contributions_066(ind, number) {
        let amount = c.amount.ok_or_else(|| {
            DsnError::line(
                c.line,
                Some("S21.G00.81.004".into()),
                "cotisation Congés Spectacles (code 066) sans montant",
            )
        })?;
        *total.get_or_insert(Decimal::ZERO) += amount;
    }
    Ok(total.map(Money::new))
}

/// CDD (`02`) with a CDDU motif, or the Congés Spectacles caisse code, or a `066` contribution.
fn intermittent(c: &Contract, has_066: bool, options: &DsnOptions) -> bool {
    let cddu = c.nature.as_deref() == Some("02")
        && c.motif
            .as_ref()
            .is_some_and(|m| options.cddu_motifs.contains(m));
    let caisse = c
        .caisse_conges
        .as_ref()
        .is_some_and(|k| options.conges_spectacles_caisse_codes.contains(k));
    cddu || caisse || has_066
}

/// PCS-ESE `354…` → artist; a code of [`DsnOptions::technician_pcs`] → technician; else other.
pub fn role(pcs: Option<&str>, options: &DsnOptions) -> Role {
    let Some(code) = pcs.map(|p| p.trim().to_ascii_lowercase()) else {
        return Role::Other;
    };
    if code.starts_with("354") {
        Role::Artist
    } else if options
        .technician_pcs
        .iter()
        .any(|t| t.eq_ignore_ascii_case(&code))
    {
        Role::Technician
    } else {
        Role::Other
    }
}
