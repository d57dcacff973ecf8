//! From monthly facts to the SACEM model: which performances are in SACEM's repertoire, grouped
//! by show, with receipts per VAT rate, artistic expenses per contract type, an indicative
//! estimate of the rights and the deadline.

use super::agency::{Agency, AgencyTable};
use super::model::{
    Amounts, EstimateBase, Expense, Receipt, ReceiptOrigin, RightsEstimate, SacemDeclaration, Show,
};
use crate::tax::{describe, Percent};
use crate::{Body, BuildInput, DeclarationError};
use releve_domain::programme::OtherOrigin;
use releve_domain::{ContractType, Issue, Money, PerformanceFacts, Repertoire, VatRate};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// VAT on the price of a contract for a live show (cession, coréalisation, coproduction,
/// other contracts): the reduced rate of 5.5 % (CGI art. 278-0 bis F), as the SACD form notes
/// for cession prices. Used to show the VAT and the amount incl. VAT of the expenses, which the
/// programme gives excl. VAT only.
pub const CONTRACT_VAT_RATE: Decimal = Decimal::from_parts(55, 0, 0, false, 1);

/// Wages (contrats d'engagement) are not subject to VAT.
pub const ENGAGEMENT_VAT_RATE: Decimal = Decimal::ZERO;

/// The wording of every estimate (the PDF prints it too).
pub const ESTIMATE_NOTE: &str = "Estimation indicative — montant calculé par la SACEM. Taux général \
    des concerts appliqué aux recettes des entrées hors TVA ou, à défaut de recette, au budget des \
    dépenses artistiques hors TVA ; le barème applicable, les réductions et les minimums relèvent du \
    contrat général de représentation.";

/// Added to the estimate's note when every work of the show is in the public domain.
pub const PUBLIC_DOMAIN_NOTE: &str = "Œuvres du domaine public (programme) : aucun droit estimé.";

/// The form's receipt rows: entries per VAT rate from ticketing, then the other origins per VAT
/// rate from the programme, excl. VAT rounded per performance and rate (`domain.md` §3).
fn receipts_of(perfs: &[&PerformanceFacts]) -> Vec<Receipt> {
    let mut by_key: BTreeMap<(ReceiptOrigin, VatRate), (Money, Money)> = BTreeMap::new();
    for v in perfs.iter().flat_map(|p| p.vat.iter()) {
        let e = by_key.entry((ReceiptOrigin::Entrees, v.rate)).or_default();
        e.0 += v.receipts_incl_vat;
        e.1 += v.receipts_excl_vat;
    }
    for p in perfs {
        // One performance may give two amounts of one origin and rate (not from one programme
        // row, but from a correction): sum them before rounding, as for tickets.
        let mut own: BTreeMap<(ReceiptOrigin, VatRate), Money> = BTreeMap::new();
        for r in &p.other_receipts {
            *own.entry((origin_of(r.origin), r.vat_rate)).or_default() += r.incl_vat;
        }
        for ((origin, rate), incl) in own {
            let e = by_key.entry((origin, rate)).or_default();
            e.0 += incl;
            e.1 += rate.excl_from_incl(incl);
        }
    }
    by_key
        .into_iter()
        .map(|((origin, vat_rate), (incl, excl))| Receipt {
            origin,
            vat_rate,
            excl_vat: excl,
            vat: incl - excl,
            incl_vat: incl,
        })
        .collect()
}

fn origin_of(o: OtherOrigin) -> ReceiptOrigin {
    match o {
        OtherOrigin::Bar => ReceiptOrigin::Consommations,
        OtherOrigin::Catering => ReceiptOrigin::Restauration,
        OtherOrigin::Programmes => ReceiptOrigin::Programmes,
        OtherOrigin::Other => ReceiptOrigin::Autres,
    }
}

/// Artistic expenses of engagement contracts (payroll) for one show, excl. VAT.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EngagementExpense {
    /// The show key (`PerformanceFacts::show_id`).
    pub show_id: String,
    pub excl_vat: Money,
}

pub(crate) struct Built {
    pub model: SacemDeclaration,
    pub issues: Vec<Issue>,
}

fn rules_error(e: impl std::fmt::Display) -> DeclarationError {
    DeclarationError::Rules {
        body: Body::Sacem,
        reason: e.to_string(),
    }
}

fn issue(i: Issue, p: Option<&PerformanceFacts>) -> Issue {
    let i = i.for_body("sacem");
    match p {
        Some(p) => i.for_performance(&p.performance_id),
        None => i,
    }
}

pub(crate) fn model(
    input: &BuildInput<'_>,
    agencies: &AgencyTable,
    engagements: &[EngagementExpense],
) -> Result<Built, DeclarationError> {
    let facts = input.facts;
    let org = &facts.organisation;
    let mut issues = Vec::new();
    // Shows in order of their first performance (the facts are sorted by start time).
    let mut groups: Vec<(String, Vec<&PerformanceFacts>)> = Vec::new();
    for p in &facts.performances {
        if p.cancelled {
            continue;
        }
        let repertoire = match p.discipline {
            Some(d) => input
                .disciplines
                .routing(d)
                .sacem
                .with_override(p.sacem_override),
            // No discipline: the facts carry a blocking issue; only an explicit `sacem = yes`
            // puts the performance in the declaration.
            None if p.sacem_override == Some(true) => Repertoire::Yes,
            None => continue,
        };
        match repertoire {
            Repertoire::No => continue,
            Repertoire::Review => {
                let label = p
                    .discipline
                    .map(|d| input.disciplines.routing(d).label_fr.clone())
                    .unwrap_or_default();
                issues.push(issue(
                    Issue::blocking(
                        "sacem.review",
                        format!(
                            "La représentation {} est de discipline « {label} » : releve ne peut pas décider si \
                             elle utilise le répertoire de la SACEM, elle n'apparaît donc pas dans l'état SACEM. \
                             Indiquez sacem = yes ou no dans le programme.",
                            describe(p)
                        ),
                    ),
                    Some(p),
                ));
            }
            Repertoire::Yes => match groups.iter_mut().find(|(id, _)| *id == p.show_id) {
                Some((_, list)) => list.push(p),
                None => groups.push((p.show_id.clone(), vec![p])),
            },
        }
    }

    let mut shows = Vec::new();
    for (show_id, perfs) in &groups {
        let extra: Money = engagements
            .iter()
            .filter(|e| e.show_id == *show_id)
            .map(|e| e.excl_vat)
            .sum();
        let has_engagement = engagements.iter().any(|e| e.show_id == *show_id);
        shows.push(show(
            input,
            show_id,
            perfs,
            has_engagement.then_some(extra),
            agencies,
            &mut issues,
        )?);
    }

    let (agency, agency_postal_code) = choose_agency(input, &groups, agencies, &mut issues);
    if let Some(warning) = several_agencies(&shows) {
        issues.push(issue(warning, None));
    }
    if !shows.is_empty() && org.sacem_client_id.is_none() {
        issues.push(issue(
            Issue::warning(
                "sacem.client_id.missing",
                "Le numéro de client SACEM de la structure n'est pas configuré (sacem_client_id) : il est \
                 demandé en tête de l'état des recettes et des dépenses. Ajoutez-le à la configuration.",
            ),
            None,
        ));
    }
    Ok(Built {
        model: SacemDeclaration {
            schema_version: 1,
            organisation: org.slug.clone(),
            month: facts.month,
            agency,
            agency_postal_code,
            sacem_client_id: org.sacem_client_id.clone(),
            shows,
        },
        issues,
    })
}

/// The delegation of the first declared performance's venue, else of the organisation.
fn choose_agency(
    input: &BuildInput<'_>,
    groups: &[(String, Vec<&PerformanceFacts>)],
    agencies: &AgencyTable,
    issues: &mut Vec<Issue>,
) -> (Option<Agency>, Option<String>) {
    let org = &input.facts.organisation;
    let venue_code = groups
        .iter()
        .flat_map(|(_, perfs)| perfs.iter())
        .find_map(|p| p.venue.postal_code.clone());
    let Some(code) = venue_code.or_else(|| org.postal_code.clone()) else {
        if !groups.is_empty() {
            issues.push(issue(
                Issue::warning(
                    "sacem.agency.unknown",
                    "Aucun code postal (ni de la salle, ni de la structure) : la délégation régionale SACEM \
                     destinataire ne peut pas être choisie. Renseignez le code postal de la salle dans le \
                     programme ou celui de la structure dans la configuration.",
                ),
                None,
            ));
        }
        return (None, None);
    };
    let agency = agencies.for_postal_code(&code).cloned();
    if agency.is_none() && !groups.is_empty() {
        issues.push(issue(
            Issue::warning(
                "sacem.agency.unknown",
                format!(
                    "Aucune délégation régionale SACEM ne correspond au code postal « {code} » dans la table \
                     des délégations (data/sacem_agencies.csv) : complétez la table ou adressez l'état à la \
                     délégation compétente."
                ),
            ),
            None,
        ));
    }
    (agency, Some(code))
}

/// Each state goes to the delegation of its show's venue (`domain.md` §5): when the month's
/// shows play in the areas of several delegations, one file cannot be sent to a single one, so
/// a warning says which state goes where.
fn several_agencies(shows: &[Show]) -> Option<Issue> {
    let name = |s: &Show| {
        s.agency
            .as_ref()
            .map(|a| a.name.clone())
            .unwrap_or_else(|| "délégation à déterminer".into())
    };
    let mut names: Vec<String> = shows.iter().map(name).collect();
    names.sort();
    names.dedup();
    if names.len() < 2 {
        return None;
    }
    let routing = shows
        .iter()
        .map(|s| format!("« {} » → {}", s.show_title, name(s)))
        .collect::<Vec<_>>()
        .join(" ; ");
    Some(Issue::warning(
        "sacem.agency.several",
        format!(
            "Les spectacles du mois relèvent de plusieurs délégations régionales SACEM ({routing}) : \
             adressez chaque état des recettes et des dépenses à la délégation de sa salle (champ agency de \
             chaque spectacle dans sacem.json), et non le document entier à une seule."
        ),
    ))
}

fn amounts(excl_vat: Money, rate: VatRate) -> (Money, Money) {
    let vat = excl_vat.percent(rate.percent());
    (vat, excl_vat + vat)
}

fn rate(percent: Decimal) -> VatRate {
    VatRate::parse(&percent.to_string()).expect("a known VAT rate")
}

/// The form's order of contract types: engagement, cession, coréalisation, coproduction, autre.
fn form_order(c: ContractType) -> u8 {
    match c {
        ContractType::Engagement => 0,
        ContractType::Cession => 1,
        ContractType::Corealisation => 2,
        ContractType::Coproduction => 3,
        ContractType::Autre => 4,
    }
}

fn sum_of(
    perfs: &[&PerformanceFacts],
    f: impl Fn(&PerformanceFacts) -> Option<Money>,
) -> Option<Money> {
    let known: Vec<Money> = perfs.iter().filter_map(|p| f(p)).collect();
    (!known.is_empty()).then(|| known.into_iter().sum())
}

fn show(
    input: &BuildInput<'_>,
    show_id: &str,
    perfs: &[&PerformanceFacts],
    engagement: Option<Money>,
    agencies: &AgencyTable,
    issues: &mut Vec<Issue>,
) -> Result<Show, DeclarationError> {
    let first = perfs[0];
    let last = perfs[perfs.len() - 1];

    // Receipts per origin and VAT rate: entries from ticketing, the other rows of the form
    // (consommations, restauration, programmes, autres) from the programme. Excl. VAT is the sum
    // of each performance's rounded amount, so the state agrees with the other declarations to
    // the cent.
    let receipts = receipts_of(perfs);

    // Expenses: cession price + frais d'approche under the show's contract type, the
    // co-production contribution, and engagement contracts from payroll when given.
    let contract = perfs.iter().find_map(|p| p.contract_type);
    let mut lines: BTreeMap<u8, (ContractType, Money)> = BTreeMap::new();
    let mut add = |c: ContractType, m: Money| {
        lines.entry(form_order(c)).or_insert((c, Money::ZERO)).1 += m;
    };
    let price = sum_of(perfs, |p| p.cession_price_excl_vat);
    let approach = sum_of(perfs, |p| p.frais_approche_excl_vat);
    if price.is_some() || approach.is_some() {
        add(
            contract.unwrap_or(ContractType::Cession),
            price.unwrap_or_default() + approach.unwrap_or_default(),
        );
    } else if contract == Some(ContractType::Cession) {
        issues.push(issue(
            Issue::warning(
                "sacem.cession_price.missing",
                format!(
                    "Le spectacle « {} » est présenté sous contrat de cession mais le programme ne donne pas le \
                     prix de cession : la partie « Dépenses » de l'état SACEM est incomplète. Renseignez \
                     cession_price_excl_vat dans le programme.",
                    first.show_title
                ),
            ),
            Some(first),
        ));
    }
    if let Some(m) = sum_of(perfs, |p| p.coproduction_contribution_excl_vat) {
        add(ContractType::Coproduction, m);
    }
    if let Some(m) = engagement {
        add(ContractType::Engagement, m);
    }
    let expenses: Vec<Expense> = lines
        .into_values()
        .map(|(c, excl_vat)| {
            let vat_rate = rate(if c == ContractType::Engagement {
                ENGAGEMENT_VAT_RATE
            } else {
                CONTRACT_VAT_RATE
            });
            let (vat, incl_vat) = amounts(excl_vat, vat_rate);
            Expense {
                contract: c.code().to_string(),
                vat_rate,
                excl_vat,
                vat,
                incl_vat,
            }
        })
        .collect();

    let receipts_total = Amounts {
        excl_vat: receipts.iter().map(|r| r.excl_vat).sum(),
        vat: receipts.iter().map(|r| r.vat).sum(),
        incl_vat: receipts.iter().map(|r| r.incl_vat).sum(),
    };
    let expenses_total = Amounts {
        excl_vat: expenses.iter().map(|e| e.excl_vat).sum(),
        vat: expenses.iter().map(|e| e.vat).sum(),
        incl_vat: expenses.iter().map(|e| e.incl_vat).sum(),
    };

    let estimate_rate = input
        .rules
        .sacem_estimate_rate(last.date)
        .map_err(rules_error)?;
    // Uncertain rule (to verify in SACEM's "règles générales"): every receipt excl. VAT (SACEM
    // collects on entries and on the annex receipts of the form), and the expense budget only
    // when there is no receipt. Performances whose works are all in the public domain owe no
    // rights: their receipts and the show's expenses are left out of the base.
    let protected: Vec<&PerformanceFacts> =
        perfs.iter().copied().filter(|p| !p.public_domain).collect();
    let public_domain = protected.is_empty();
    let protected_receipts: Money = receipts_of(&protected).iter().map(|r| r.excl_vat).sum();
    let (base_kind, base) = if public_domain {
        (EstimateBase::Receipts, Money::ZERO)
    } else if protected_receipts.is_positive() {
        (EstimateBase::Receipts, protected_receipts)
    } else {
        (EstimateBase::Expenses, expenses_total.excl_vat)
    };
    let note = if public_domain {
        format!("{ESTIMATE_NOTE} {PUBLIC_DOMAIN_NOTE}")
    } else if protected.len() < perfs.len() {
        format!(
            "{ESTIMATE_NOTE} {} représentation(s) d'œuvres du domaine public exclue(s) de la base.",
            perfs.len() - protected.len()
        )
    } else {
        ESTIMATE_NOTE.to_string()
    };
    let deadline = input.rules.sacem_deadline(last.date).map_err(rules_error)?;
    // The delegation of the show's venue, else of the organisation (`domain.md` §5).
    let agency_postal_code = perfs
        .iter()
        .find_map(|p| p.venue.postal_code.clone())
        .or_else(|| input.facts.organisation.postal_code.clone());
    let agency = agency_postal_code
        .as_deref()
        .and_then(|code| agencies.for_postal_code(code))
        .cloned();

    Ok(Show {
        show_id: show_id.to_string(),
        show_title: first.show_title.clone(),
        first_date: first.date,
        last_date: last.date,
        performances: perfs.len(),
        performance_ids: perfs.iter().map(|p| p.performance_id.clone()).collect(),
        paid_tickets: perfs.iter().map(|p| p.paid_tickets).sum(),
        free_tickets: perfs.iter().map(|p| p.free_tickets).sum(),
        venue_name: first.venue.name.clone(),
        capacity: perfs.iter().find_map(|p| p.capacity),
        producer: perfs
            .iter()
            .find_map(|p| p.producer.as_ref())
            .map(|pr| pr.name.clone()),
        genre: first
            .discipline
            .map(|d| input.disciplines.routing(d).label_fr.clone())
            .unwrap_or_else(|| "non renseigné".into()),
        receipts,
        receipts_total,
        expenses,
        expenses_total,
        rights_estimate: RightsEstimate {
            rate: Percent(estimate_rate),
            base_kind,
            base,
            amount: base.percent(estimate_rate),
            note,
        },
        public_domain,
        producer_siret: perfs
            .iter()
            .find_map(|p| p.producer.as_ref())
            .and_then(|pr| pr.siret.clone()),
        producer_address: perfs
            .iter()
            .find_map(|p| p.producer.as_ref())
            .and_then(|pr| pr.address.clone()),
        deadline,
        agency,
        agency_postal_code,
    })
}
