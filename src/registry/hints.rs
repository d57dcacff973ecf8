//! Points to check and suggested answers from the register, once the declarations are built
//! (pure). The register suggests and checks; it never changes a figure or an answer:
//!
//! - a SIRET/SIREN of the configuration or the programme that the register does not know, or
//!   whose company or establishment has ceased → `warning` (the Luhn check has already run
//!   locally, when the file was read);
//! - a producer name that is not the register's legal name → `warning`;
//! - the producer of a show that is taxed (CNM, ASTP) or declared (SACEM, SACD) without a
//!   live-show licence in the register → `warning`, with the licence status text;
//! - a public body or local authority as producer where a declaration asks whether the producer
//!   is public or subsidised → `info` with the suggested answer `producer_subsidised = yes`,
//!   for the administrator to confirm (an association is no hint: its subsidies are not in the
//!   register);
//! - the register unreachable → one `info` saying the run went on without it.
//!
//! None is `blocking`: the register is never an authority over what the administrator says.

use super::lookup::Consultation;
use super::names;
use super::source::{according_to, evidence, RegisterView};
use releve_collectors::registry::{Company, CompanyNumber};
use releve_declarations::Draft;
use releve_domain::{Issue, MonthFacts, PerformanceFacts, Suggestion};
use std::collections::{BTreeMap, BTreeSet};

pub fn points(
    facts: &MonthFacts,
    drafts: &[Draft],
    view: &RegisterView,
    outage: Option<&str>,
) -> Vec<Issue> {
    let mut issues = Vec::new();
    if let Some(message) = outage {
        issues.push(Issue::info(
            "registry.unavailable",
            format!(
                "Le répertoire des entreprises n'a pas pu être consulté ; le relevé a continué sans lui, ses \
                 vérifications seront faites au prochain relevé (détail : {message}). Pour ne plus le consulter : \
                 [registry] enabled = false dans la configuration."
            ),
        ));
    }
    let org = &facts.organisation;
    let org_number = CompanyNumber::Siret(org.siret.as_str().to_string());
    if let Some(c) = view.get(org_number.digits()) {
        let who = format!("le SIRET de {} (configuration, siret)", org.name);
        issues.extend(existence(&org_number, c, &who, None));
    }
    let declared = declared_performances(drafts);
    let questions = subsidy_questions(drafts);
    for (show_id, performances) in by_show(facts) {
        let first = performances[0];
        let Some(producer) = first.producer.as_ref() else {
            continue;
        };
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
        let who = format!(
            "le {} du producteur de « {} » (programme, producer_siret)",
            number.kind(),
            first.show_title
        );
        issues.extend(existence(
            &number,
            consulted,
            &who,
            Some(&first.performance_id),
        ));
        let (Some(company), Some(at)) = (consulted.company(), consulted.consulted_at()) else {
            continue;
        };
        let source = according_to(at);
        let with_evidence = |issue: Issue| {
            issue
                .for_performance(&first.performance_id)
                .with_evidence(evidence(&number, at))
        };
        if !producer.name.trim().is_empty() && !names::matches(&producer.name, company) {
            issues.push(with_evidence(Issue::warning(
                "registry.producer.name_mismatch",
                format!(
                    "Le producteur de « {} » est nommé « {} » dans le programme, mais le {} {} est celui de « {} », {source}. \
                     Vérifiez le nom ou le numéro ; rien n'est modifié.",
                    first.show_title,
                    producer.name,
                    number.kind(),
                    number.grouped(),
                    company.name
                ),
            )));
        }
        let taxed_or_declared = performances.iter().any(|p| {
            declared.contains(&p.performance_id)
                || declared.contains(&format!("show:{}", p.show_title))
        });
        if taxed_or_declared && company.live_show_licence != Some(true) && !company.is_ceased() {
            let status = company
                .licence_status
                .as_deref()
                .map(|s| format!(" (statut du récépissé : « {s} »)"))
                .unwrap_or_default();
            issues.push(with_evidence(Issue::warning(
                "registry.producer.no_licence",
                format!(
                    "Le producteur de « {} », {} ({} {}), n'apparaît pas comme titulaire d'une licence d'entrepreneur de \
                     spectacles{status}, {source}. Vérifiez son récépissé de déclaration (numéro de licence) avant de \
                     déclarer le spectacle.",
                    first.show_title,
                    company.name,
                    number.kind(),
                    number.grouped()
                ),
            )));
        }
        if producer.subsidised.is_none() && company.is_public_body() {
            if let Some(body) = performances
                .iter()
                .find_map(|p| questions.get(&p.performance_id))
            {
                let mut issue = with_evidence(Issue::info(
                    "registry.producer.public_body",
                    format!(
                        "Réponse suggérée pour « {} » : le producteur {} est {}, {source}. Un organisme public compte \
                         comme producteur public ou subventionné : confirmez producer_subsidised = yes (ou répondez no), \
                         la réponse n'est pas appliquée sans vous.",
                        first.show_title,
                        company.name,
                        public_kind(company)
                    ),
                ))
                .with_suggestion(Suggestion {
                    field: "producer_subsidised".into(),
                    value: "yes".into(),
                    show_id: Some(show_id.clone()),
                });
                issue.body = body.clone();
                issues.push(issue);
            }
        }
    }
    issues
}

/// Unknown or ceased: the same point for the organisation and for producers.
fn existence(
    number: &CompanyNumber,
    c: &Consultation,
    who: &str,
    performance: Option<&str>,
) -> Option<Issue> {
    let at = c.consulted_at()?;
    let source = according_to(at);
    let mut issue = match c {
        Consultation::NotFound { .. } => Issue::warning(
            "registry.not_found",
            format!(
                "{} ({}) est introuvable {source} : vérifiez le numéro (une entreprise dont les données ne sont pas \
                 diffusibles n'y figure pas non plus).",
                capitalise(who),
                number.grouped()
            ),
        ),
        Consultation::Found { company, .. } if company.is_ceased() => {
            let what = if company.active { "l'établissement est fermé" } else { "l'entreprise a cessé son activité" };
            Issue::warning(
                "registry.ceased",
                format!(
                    "{} ({}, {}) : {what}, {source}. Vérifiez le numéro, ou mettez-le à jour s'il a changé.",
                    capitalise(who),
                    number.grouped(),
                    company.name
                ),
            )
        }
        _ => return None,
    };
    if let Some(p) = performance {
        issue = issue.for_performance(p);
    }
    Some(issue.with_evidence(evidence(number, at)))
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn public_kind(company: &Company) -> String {
    let kind = if company.local_authority {
        "une collectivité territoriale".to_string()
    } else {
        "un organisme public".to_string()
    };
    match company.legal_category_label() {
        Some(label) => format!("{kind} ({label})"),
        None => kind,
    }
}

/// The month's performances grouped by show, in the facts' order.
fn by_show(facts: &MonthFacts) -> BTreeMap<String, Vec<&PerformanceFacts>> {
    let mut shows: BTreeMap<String, Vec<&PerformanceFacts>> = BTreeMap::new();
    for p in &facts.performances {
        shows.entry(p.show_id.clone()).or_default().push(p);
    }
    shows
}

/// Performance ids on a line of a CNM, ASTP or SACD declaration, and `show:TITLE` for the
/// shows of the SACEM state (which is per show).
fn declared_performances(drafts: &[Draft]) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for draft in drafts {
        for line in draft.model["lines"].as_array().into_iter().flatten() {
            if let Some(id) = line["performance_id"].as_str() {
                ids.insert(id.to_string());
            }
        }
        for show in draft.model["shows"].as_array().into_iter().flatten() {
            if let Some(title) = show["show_title"].as_str() {
                if draft.body == releve_declarations::Body::Sacem {
                    ids.insert(format!("show:{title}"));
                }
            }
        }
    }
    ids
}

/// The performances for which a declaration asks whether the producer is public or
/// subsidised, with the body asking.
fn subsidy_questions(drafts: &[Draft]) -> BTreeMap<String, Option<String>> {
    let mut questions = BTreeMap::new();
    for draft in drafts {
        for issue in &draft.issues {
            if issue.code.contains("producer_subsidised") {
                if let Some(p) = &issue.performance_id {
                    questions.insert(
                        p.clone(),
                        issue
                            .body
                            .clone()
                            .or_else(|| Some(draft.body.code().to_string())),
                    );
                }
            }
        }
    }
    questions
}
