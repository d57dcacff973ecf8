//! From monthly facts to the SIBIL model: which performances are declared, and each field of
//! the declaration with the issues a person must look at.

use super::model::{Lieu, SibilDeclaration, SibilFile, Spectacle, Status, VENUE_TYPES};
use crate::tax::describe;
use crate::{Body, BuildInput, DeclarationError};
use releve_domain::calendar::rfc3339_paris;
use releve_domain::{Issue, Money, PerformanceFacts};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

pub(crate) struct Built {
    pub model: SibilFile,
    pub issues: Vec<Issue>,
}

const CODE: &str = "sibil";

/// The stable `idExtBilletterie` of a performance: `rl` followed by the first 16 hexadecimal
/// digits of SHA-256(`<organisation slug>` `\n` `<performance_id>`), 18 characters.
///
/// Why a hash: SIBIL upserts on this id, so it must never change between runs for the same
/// performance, and it rejects long values (full UUIDs were refused), while our performance
/// ids (`source:external id`) have no length limit. 64 bits make a collision between two
/// performances of one organisation negligible; the slug keeps two organisations sharing a
/// ticketing source apart.
pub fn external_id(organisation_slug: &str, performance_id: &str) -> String {
    let digest = Sha256::digest(format!("{organisation_slug}\n{performance_id}").as_bytes());
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("rl{hex}")
}

/// `sent`: the `idExtBilletterie` already approved or sent for this month, when the caller
/// knows the history; `None` builds as if every cancelled performance with tickets had been
/// declared before.
pub(crate) fn model(
    input: &BuildInput<'_>,
    sent: Option<&BTreeSet<String>>,
) -> Result<Built, DeclarationError> {
    let facts = input.facts;
    let org = &facts.organisation;
    let quarter = facts.month.quarter();
    let deadline = input
        .rules
        .sibil_deadline(quarter)
        .map_err(|e| DeclarationError::Rules {
            body: Body::Sibil,
            reason: e.to_string(),
        })?;
    let mut declarations = Vec::new();
    let mut issues = Vec::new();
    for p in &facts.performances {
        let known =
            sent.is_some_and(|ids| ids.contains(&external_id(&org.slug, &p.performance_id)));
        // Once SIBIL has a performance, it keeps getting its figures, even when every ticket was
        // refunded since (zero counts), so that its totals are corrected rather than left stale.
        if !declared(p) && !known {
            continue;
        }
        if p.cancelled && sent.is_some() && !known {
            // Cancelled before SIBIL ever heard of it: nothing to cancel there.
            continue;
        }
        let Some(discipline) = p.discipline else {
            issues.push(
                Issue::blocking(
                    "sibil.domain.missing",
                    format!(
                        "La représentation {} a des billets émis mais pas de discipline : son domaine SIBIL est \
                         inconnu, elle n'est pas déclarée. Ajoutez-la au programme avec sa discipline.",
                        describe(p)
                    ),
                )
                .for_performance(&p.performance_id)
                .for_body(CODE),
            );
            continue;
        };
        let domain = input.disciplines.routing(discipline).sibil_label.clone();
        declarations.push(declaration(&org.slug, p, domain, &mut issues));
    }
    Ok(Built {
        model: SibilFile {
            schema_version: 1,
            organisation: org.slug.clone(),
            month: facts.month,
            quarter,
            deadline,
            declarations,
        },
        issues,
    })
}

/// A performance is declared when at least one ticket was issued for it (paid or free). A
/// cancelled performance is declared with status `ANNULE` when tickets had been issued for it,
/// even if they were all refunded since (then void), and it was declared before (`domain.md`
/// §5): the caller passes the ids already approved or sent (see [`model`]); re-sending
/// `ANNULE` for the same `idExtBilletterie` is how SIBIL learns of a cancellation.
fn declared(p: &PerformanceFacts) -> bool {
    if p.cancelled {
        p.total_tickets() + p.void_tickets > 0
    } else {
        p.total_tickets() > 0
    }
}

fn declaration(
    slug: &str,
    p: &PerformanceFacts,
    domain: String,
    issues: &mut Vec<Issue>,
) -> SibilDeclaration {
    let mut warn = |code: &str, message: String| {
        issues.push(
            Issue::warning(code, message)
                .for_performance(&p.performance_id)
                .for_body(CODE),
        )
    };
    if p.capacity.is_none() {
        warn(
            "sibil.capacity.missing",
            format!(
                "La jauge de la représentation {} est inconnue : la déclaration SIBIL part sans jauge. Renseignez \
                 la colonne capacity du programme.",
                describe(p)
            ),
        );
    }
    let type_lieu = match p.venue.venue_type.as_deref().map(str::trim) {
        Some(t) if VENUE_TYPES.contains(&t.to_uppercase().as_str()) => t.to_uppercase(),
        Some(t) if !t.is_empty() => {
            warn(
                "sibil.venue_type.unknown",
                format!(
                    "Le type de lieu « {t} » de la salle « {} » ({}) n'est pas un type SIBIL : déclaré AUTRE. Valeurs \
                     acceptées : {}.",
                    p.venue.name,
                    describe(p),
                    VENUE_TYPES.join(", ")
                ),
            );
            "AUTRE".into()
        }
        _ => {
            warn(
                "sibil.venue_type.missing",
                format!(
                    "Le type de la salle « {} » ({}) est inconnu : déclaré AUTRE. Renseignez la colonne venue_type \
                     du programme (THEATRE, ESPACE_POLYVALENT, SALLE_CONCERT_AUDITORIUM_OPERA_ZENITH…).",
                    p.venue.name,
                    describe(p)
                ),
            );
            "AUTRE".into()
        }
    };
    let missing: Vec<&str> = [
        ("adresse", &p.venue.address),
        ("code postal", &p.venue.postal_code),
        ("ville", &p.venue.city),
    ]
    .into_iter()
    .filter(|(_, v)| v.as_deref().is_none_or(|s| s.trim().is_empty()))
    .map(|(name, _)| name)
    .collect();
    if !missing.is_empty() {
        warn(
            "sibil.venue.incomplete",
            format!(
                "La salle « {} » ({}) n'a pas {} : SIBIL refusera la déclaration. Complétez le lieu dans le \
                 programme (venue_address, venue_postal_code, venue_city).",
                p.venue.name,
                describe(p),
                crate::render::fr::none_of(&missing)
            ),
        );
    }
    let critere2 = p.producer.as_ref().and_then(producer_label);
    SibilDeclaration {
        id_ext_billetterie: external_id(slug, &p.performance_id),
        date_heure_representation_unique: rfc3339_paris(p.starts_at),
        nb_representations: 1,
        nb_billets_total_billetterie: p.total_tickets(),
        recette_total_billetterie: p.receipts_incl_vat,
        prix_moyen_total_billetterie: average(p.receipts_incl_vat, p.paid_tickets),
        nb_billets_tarif_plein: p.full_price_tickets,
        recette_tarif_plein: p.full_price_receipts_incl_vat,
        prix_moyen_tarif_plein: average(p.full_price_receipts_incl_vat, p.full_price_tickets),
        nb_billets_tarif_abonnement_forfait: p.subscription_tickets,
        nb_billets_exoneres: p.free_tickets,
        jauge: p.capacity,
        jeune_public: p.audience.is_young(),
        domaine_representation: domain,
        lieu_champs: Lieu {
            nom: p.venue.name.clone(),
            adresse: p.venue.address.clone(),
            code_postal: p.venue.postal_code.clone(),
            ville: p.venue.city.clone(),
            type_lieu,
        },
        spectacle_champs: Spectacle {
            critere1: p.show_title.clone(),
            critere2,
        },
        statut_declaration: if p.cancelled {
            Status::Annule
        } else {
            Status::Enregistre
        },
        gestionnaire_multiple: false,
        performance_id: p.performance_id.clone(),
    }
}

/// round_half_up(amount / count, 2), `0.00` when nothing was counted (never divide by zero).
fn average(amount: Money, count: u64) -> Money {
    amount.average(count).unwrap_or(Money::ZERO)
}

/// `Compagnie du Vent (SIREN 812 345 678)`; the name alone without a SIRET.
fn producer_label(producer: &releve_domain::Producer) -> Option<String> {
    let name = producer.name.trim();
    let digits: String = producer
        .siret
        .as_deref()
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let siren = (digits.len() >= 9)
        .then(|| format!("{} {} {}", &digits[0..3], &digits[3..6], &digits[6..9]));
    match (name.is_empty(), siren) {
        (false, Some(siren)) => Some(format!("{name} (SIREN {siren})")),
        (false, None) => Some(name.to_string()),
        (true, Some(siren)) => Some(format!("SIREN {siren}")),
        (true, None) => None,
    }
}
