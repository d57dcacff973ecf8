//! Completing the month's facts from the register, before any declaration is built (pure):
//! only names and addresses that the programme and the configuration leave empty, never a
//! figure, never a value someone typed. Each completion is an `info` issue saying what was
//! taken, from which answer, and how to make it permanent.
//!
//! - the organisation's head-office address (configuration `address`, `postal_code`, `city`
//!   when absent) — the SACD declarant block prints it;
//! - a venue without address (or without part of it, when its postal code is the head
//!   office's) gets the organisation's head-office address, which SIBIL requires;
//! - a producer given by SIRET only gets its legal name (a suggestion to confirm into the
//!   programme), and its head-office address when the programme gives none.

use super::source::{according_to, evidence, one_line, RegisterView};
use releve_collectors::registry::{Company, CompanyNumber};
use releve_domain::{Issue, MonthFacts, Suggestion};
use std::collections::BTreeSet;

pub fn complete(facts: &mut MonthFacts, view: &RegisterView) -> Vec<Issue> {
    let mut issues = Vec::new();
    let org_number = CompanyNumber::Siret(facts.organisation.siret.as_str().to_string());
    if let Some(consulted) = view.get(org_number.digits()) {
        if let (Some(company), Some(at)) = (consulted.company(), consulted.consulted_at()) {
            if !company.is_ceased() {
                let source = according_to(at);
                let mut complete_org = organisation_address(facts, company, &source);
                let mut venues = venue_addresses(facts, company, &source);
                for issue in complete_org.iter_mut().chain(venues.iter_mut()) {
                    issue.evidence = Some(evidence(&org_number, at));
                }
                issues.extend(complete_org);
                issues.extend(venues);
            }
        }
    }
    issues.extend(producer_names(facts, view));
    issues
}

fn organisation_address(facts: &mut MonthFacts, company: &Company, source: &str) -> Option<Issue> {
    let head = company.head_office.as_ref()?;
    let org = &mut facts.organisation;
    let mut taken = Vec::new();
    let street = head.street();
    for (field, slot, value) in [
        ("address", &mut org.address, street.as_ref()),
        (
            "postal_code",
            &mut org.postal_code,
            head.postal_code.as_ref(),
        ),
        ("city", &mut org.city, head.city.as_ref()),
    ] {
        if slot.as_deref().is_none_or(|s| s.trim().is_empty()) {
            if let Some(v) = value {
                *slot = Some(v.clone());
                taken.push(field);
            }
        }
    }
    if taken.is_empty() {
        return None;
    }
    let name = org.name.clone();
    let address = one_line(
        org.address.as_deref(),
        org.postal_code.as_deref(),
        org.city.as_deref(),
    );
    Some(Issue::info(
        "registry.organisation.address_completed",
        format!(
            "L'adresse du siège de {name} est incomplète dans la configuration (il y manque : {}) : « {address} » est \
             reprise {source}, notamment pour le bordereau SACD. Pour la fixer, renseignez ces clés dans la configuration.",
            taken.join(", ")
        ),
    ))
}

fn venue_addresses(facts: &mut MonthFacts, company: &Company, source: &str) -> Vec<Issue> {
    let Some(head) = company.head_office.as_ref() else {
        return Vec::new();
    };
    let street = head.street();
    let org_name = facts.organisation.name.clone();
    let mut completed: BTreeSet<(String, String)> = BTreeSet::new();
    let mut first_performance: Vec<(String, String, String)> = Vec::new();
    for p in &mut facts.performances {
        let v = &mut p.venue;
        let empty = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
        // A venue with another postal code is elsewhere: its address is not the head office's.
        let same_place = empty(&v.postal_code) || v.postal_code == head.postal_code;
        if !same_place || !(empty(&v.address) || empty(&v.postal_code) || empty(&v.city)) {
            continue;
        }
        let mut changed = false;
        for (slot, value) in [
            (&mut v.address, street.as_ref()),
            (&mut v.postal_code, head.postal_code.as_ref()),
            (&mut v.city, head.city.as_ref()),
        ] {
            if empty(slot) {
                if let Some(value) = value {
                    *slot = Some(value.clone());
                    changed = true;
                }
            }
        }
        if changed {
            let address = one_line(
                v.address.as_deref(),
                v.postal_code.as_deref(),
                v.city.as_deref(),
            );
            if completed.insert((v.name.clone(), address.clone())) {
                first_performance.push((v.name.clone(), address, p.performance_id.clone()));
            }
        }
    }
    first_performance
        .into_iter()
        .map(|(venue, address, performance_id)| {
            Issue::info(
                "registry.venue.address_completed",
                format!(
                    "La salle « {venue} » n'a pas d'adresse complète dans le programme : l'adresse du siège de {org_name}, \
                     « {address} », est reprise {source}, car SIBIL exige l'adresse du lieu. Si la salle est ailleurs, \
                     renseignez venue_address, venue_postal_code et venue_city dans le programme."
                ),
            )
            .for_performance(&performance_id)
        })
        .collect()
}

fn producer_names(facts: &mut MonthFacts, view: &RegisterView) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut shows_done = BTreeSet::new();
    for p in &mut facts.performances {
        let Some(producer) = p.producer.as_mut() else {
            continue;
        };
        if !producer.name.trim().is_empty() {
            continue;
        }
        let Some(number) = producer
            .siret
            .as_deref()
            .and_then(|s| CompanyNumber::parse(s).ok())
        else {
            continue;
        };
        let Some(consulted) = view.get(number.digits()) else {
            continue;
        };
        let (Some(company), Some(at)) = (consulted.company(), consulted.consulted_at()) else {
            continue;
        };
        if company.name.is_empty() {
            continue;
        }
        producer.name = company.name.clone();
        // Its head office, for the forms that print the producer's details, when none is given.
        if producer
            .address
            .as_deref()
            .is_none_or(|a| a.trim().is_empty())
        {
            if let Some(head) = &company.head_office {
                let line = one_line(
                    head.street().as_deref(),
                    head.postal_code.as_deref(),
                    head.city.as_deref(),
                );
                producer.address = (!line.is_empty()).then_some(line);
            }
        }
        if shows_done.insert(p.show_id.clone()) {
            issues.push(
                Issue::info(
                    "registry.producer.name_completed",
                    format!(
                        "Le producteur de « {} » n'est donné que par son {} {} : son nom « {} » est repris {}. \
                         Confirmez-le pour l'inscrire au programme (producer_name).",
                        p.show_title,
                        number.kind(),
                        number.grouped(),
                        company.name,
                        according_to(at)
                    ),
                )
                .for_performance(&p.performance_id)
                .with_suggestion(Suggestion {
                    field: "producer_name".into(),
                    value: company.name.clone(),
                    show_id: Some(p.show_id.clone()),
                })
                .with_evidence(evidence(&number, at)),
            );
        }
    }
    issues
}
