//! The SACEM PDF, laid out like the official form (réf. 300 269): the header (délégation
//! régionale, organisateur, n° client, salle, jauge, responsable), then per show 1. Spectacle,
//! 2. Recettes, 3. Dépenses, the indicative estimate and a signature block.

use super::model::{Amounts, ReceiptOrigin, SacemDeclaration, Show};
use crate::render::fr;
use crate::render::pdf::{Column, Form, Signature, Table};
use chrono::{DateTime, Utc};
use releve_domain::{Money, Organisation};

const NOT_GIVEN: &str = "non renseigné";

pub(crate) fn form(
    model: &SacemDeclaration,
    org: &Organisation,
    generated_at: DateTime<Utc>,
) -> Form {
    let generated = fr::date_time(generated_at);
    let mut f = Form::new(
        "État des recettes et des dépenses — établissements de concerts et de spectacles, théâtres et assimilés",
    );
    f.subtitle(format!(
        "SACEM — représentations de {} — un état par spectacle",
        fr::month(model.month)
    ));
    f.subtitle(
        "À adresser à la délégation régionale avant le dernier jour du mois suivant la dernière \
         représentation du spectacle.",
    );
    f.footer(format!(
        "SACEM — {} — {} — brouillon préparé par releve le {}, à vérifier avant envoi",
        org.name,
        fr::month(model.month),
        generated
    ));

    let agency = match &model.agency {
        Some(a) => format!(
            "{} ({}){}",
            a.name,
            a.city,
            a.email
                .as_ref()
                .map(|e| format!(" — {e}"))
                .unwrap_or_default()
        ),
        None => format!(
            "à déterminer (aucune délégation pour le code postal {})",
            model.agency_postal_code.as_deref().unwrap_or(NOT_GIVEN)
        ),
    };
    f.heading("Délégation régionale")
        .fields([("Délégation", agency)]);

    if model.shows.is_empty() {
        f.heading("Spectacles");
        f.paragraph(
            "Aucun spectacle du répertoire de la SACEM ce mois-ci : aucun état à adresser.",
        );
        return f;
    }
    for (index, show) in model.shows.iter().enumerate() {
        // Each état is a document of its own: it starts on a new page.
        if index > 0 {
            f.page_break();
        }
        show_section(&mut f, model, org, index + 1, show);
    }
    f
}

fn show_section(
    f: &mut Form,
    model: &SacemDeclaration,
    org: &Organisation,
    number: usize,
    show: &Show,
) {
    f.heading(format!("État n° {number} — « {} »", show.show_title));
    let agency = show
        .agency
        .as_ref()
        .map(|a| format!("{} ({})", a.name, a.city))
        .unwrap_or_else(|| "à déterminer".into());
    f.fields([
        ("Délégation régionale", agency),
        ("Organisateur / structure", org.name.clone()),
        (
            "N° client SACEM",
            model
                .sacem_client_id
                .clone()
                .unwrap_or_else(|| "non configuré".into()),
        ),
        ("Nom de la salle", show.venue_name.clone()),
        (
            "Jauge",
            show.capacity
                .map(|c| fr::count(u64::from(c)))
                .unwrap_or_else(|| NOT_GIVEN.into()),
        ),
        (
            "Responsable (nom et qualité)",
            ".......................................................".into(),
        ),
    ]);

    f.heading("1. Spectacle");
    let dates = if show.first_date == show.last_date {
        format!("le {}", fr::date(show.first_date))
    } else {
        format!(
            "du {} au {}",
            fr::date(show.first_date),
            fr::date(show.last_date)
        )
    };
    f.fields([
        ("Titre", show.show_title.clone()),
        ("Dates", dates),
        (
            "Nombre de représentations",
            fr::count(show.performances as u64),
        ),
        (
            "Producteur / compagnie (nom et coordonnées)",
            producer_details(show, org),
        ),
        ("Genre du spectacle", show.genre.clone()),
    ]);

    f.heading("2. Recettes");
    f.fields([
        ("Entrées payantes", fr::count(show.paid_tickets)),
        ("Entrées gratuites", fr::count(show.free_tickets)),
    ]);
    // Every row of the form is printed, an origin without receipt at zero, so that the état is
    // complete as SACEM receives it.
    let mut receipts = amounts_table("Origine");
    for origin in ORIGINS {
        let of_origin: Vec<_> = show
            .receipts
            .iter()
            .filter(|r| r.origin == origin)
            .collect();
        if of_origin.is_empty() {
            receipts.row([
                origin_fr(origin).to_string(),
                "—".to_string(),
                fr::money(Money::ZERO),
                fr::money(Money::ZERO),
                fr::money(Money::ZERO),
            ]);
        }
        for r in of_origin {
            receipts.row([
                origin_fr(r.origin).to_string(),
                r.vat_rate.to_french(),
                fr::money(r.excl_vat),
                fr::money(r.vat),
                fr::money(r.incl_vat),
            ]);
        }
    }
    totals(&mut receipts, &show.receipts_total);
    f.table(receipts);
    f.note(
        "Entrées : billetterie. Consommations, restauration, vente de programmes et autres recettes : \
         colonnes bar_incl_vat, catering_incl_vat, programmes_incl_vat et other_incl_vat du programme (une \
         ligne à 0,00 € quand le programme n'en donne pas). Joindre le bordereau détaillé de billetterie.",
    );

    f.heading("3. Dépenses (contrats artistiques)");
    let mut expenses = amounts_table("Contrat");
    expenses.empty_text("Aucune dépense artistique connue (programme et paie).");
    for e in &show.expenses {
        expenses.row([
            contract_fr(&e.contract).to_string(),
            e.vat_rate.to_french(),
            fr::money(e.excl_vat),
            fr::money(e.vat),
            fr::money(e.incl_vat),
        ]);
    }
    totals(&mut expenses, &show.expenses_total);
    f.table(expenses);
    f.note(
        "Prix de cession et frais d'approche : TVA au taux réduit de 5,5 % ; contrats d'engagement \
         (salaires) : sans TVA. Joindre l'intégralité des contrats artistiques.",
    );

    let e = &show.rights_estimate;
    f.heading("Estimation indicative — montant calculé par la SACEM");
    f.fields([
        (
            "Base",
            format!(
                "{} ({})",
                fr::money(e.base),
                match e.base_kind {
                    super::model::EstimateBase::Receipts => "recettes des entrées HT",
                    super::model::EstimateBase::Expenses => "budget des dépenses artistiques HT",
                }
            ),
        ),
        ("Taux indicatif", fr::rate(e.rate.0)),
        ("Droits estimés", fr::money(e.amount)),
        ("À adresser au plus tard le", fr::long_date(show.deadline)),
    ]);
    f.note(e.note.clone());
    f.note("Programme des œuvres interprétées : à fournir sur demande de la SACEM.");
    f.signature(Signature {
        place: org.city.clone(),
        date: None,
        signatory: None,
    });
}

/// The form's receipt rows, in its order.
const ORIGINS: [ReceiptOrigin; 5] = [
    ReceiptOrigin::Entrees,
    ReceiptOrigin::Consommations,
    ReceiptOrigin::Restauration,
    ReceiptOrigin::Programmes,
    ReceiptOrigin::Autres,
];

/// Name, SIRET and address of the producer; the organisation's own when it names none.
fn producer_details(show: &Show, org: &Organisation) -> String {
    let Some(name) = &show.producer else {
        let town = [org.postal_code.as_deref(), org.city.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let address = [org.address.as_deref(), Some(town.as_str())]
            .into_iter()
            .flatten()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        return format!(
            "production de la structure : {}, SIRET {}{}",
            org.name,
            fr::siret(org.siret.as_str()),
            if address.is_empty() {
                String::new()
            } else {
                format!(", {address}")
            }
        );
    };
    let mut parts = vec![name.clone()];
    if let Some(siret) = &show.producer_siret {
        parts.push(format!("SIRET {}", fr::siret(siret)));
    }
    parts.push(
        show.producer_address
            .clone()
            .unwrap_or_else(|| "adresse non renseignée (colonne producer_address)".into()),
    );
    parts.join(", ")
}

fn amounts_table(first: &str) -> Table {
    let mut t = Table::new(vec![
        Column::left(first, 3.0),
        Column::right("Taux de TVA", 1.2),
        Column::right("Montant HT", 1.8),
        Column::right("TVA", 1.6),
        Column::right("Montant TTC", 1.8),
    ]);
    t.font_size(8.5);
    t
}

fn totals(t: &mut Table, a: &Amounts) {
    t.totals([
        "Total".to_string(),
        String::new(),
        fr::money(a.excl_vat),
        fr::money(a.vat),
        fr::money(a.incl_vat),
    ]);
}

fn origin_fr(o: ReceiptOrigin) -> &'static str {
    match o {
        ReceiptOrigin::Entrees => "Entrées",
        ReceiptOrigin::Consommations => "Consommations",
        ReceiptOrigin::Restauration => "Restauration",
        ReceiptOrigin::Programmes => "Vente de programmes",
        ReceiptOrigin::Autres => "Autres recettes",
    }
}

fn contract_fr(code: &str) -> &str {
    match code {
        "engagement" => "Contrats d'engagement",
        "cession" => "Contrat de cession (prix et frais d'approche)",
        "coréalisation" => "Contrat de coréalisation",
        "coproduction" => "Contrat de coproduction",
        "autre" => "Contrats supplémentaires",
        other => other,
    }
}
