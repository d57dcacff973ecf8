//! The CNM/ASTP PDF: an A4 landscape form with the declarant, the taxable lines and their
//! totals, the performances that owe nothing and why, the deadline and a signature block.
//! The ASTP variant follows the ASTP form: "case 1" (admission fee: tickets sold and receipts
//! excl. VAT) or "case 2" (no admission fee: cession price excl. VAT), and the producer.

use super::model::{BaseKind, TaxDeclaration, TaxLine};
use crate::render::fr;
use crate::render::pdf::{Column, Form, Signature, Table};
use crate::Body;
use chrono::{DateTime, Utc};
use releve_domain::Organisation;

pub(crate) fn form(
    model: &TaxDeclaration,
    org: &Organisation,
    generated_at: DateTime<Utc>,
) -> Form {
    let body = model.body;
    let generated = fr::date_time(generated_at);
    let mut f = Form::new(body.title_fr());
    f.landscape()
        .subtitle(format!(
            "Déclaration mensuelle groupée — représentations de {}",
            fr::month(model.month)
        ))
        .subtitle(format!(
            "Destinataire : {} — à déposer au plus tard le {}",
            body.recipient_fr(),
            fr::long_date(model.deadline)
        ))
        .footer(format!(
            "{} — {} — {} — brouillon préparé par releve le {}, à vérifier avant envoi",
            body.code().to_uppercase(),
            org.name,
            fr::month(model.month),
            generated
        ));

    f.heading("Déclarant").fields(declarant(org));

    f.heading("Représentations taxables");
    f.table(match body {
        Body::Astp => astp_table(model),
        _ => cnm_table(model),
    });
    f.note(
        "Base : recette de billetterie hors TVA pour une entrée payante ; prix de cession hors TVA pour une \
         entrée gratuite dont la structure est le vendeur. Taxe = base × taux, arrondie au centime par \
         représentation ; les totaux sont la somme des lignes.",
    );

    f.paragraph(model.estimate_note.clone());
    if model.portal_whole_euros {
        f.heading("Montants à saisir sur le portail (euros entiers)")
            .table(whole_euros_table(model));
        f.note(
            "Le formulaire en ligne n'accepte que des euros entiers (une virgule décimale y est ignorée) : \
             chaque montant est arrondi à l'euro le plus proche, au demi-euro supérieur.",
        );
    }
    if body == Body::Astp && !model.lines.is_empty() {
        astp_show_blocks(&mut f, model);
    }

    f.heading("Représentations non taxables");
    let mut exempt = Table::new(vec![
        Column::left("Date", 1.0),
        Column::left("Spectacle", 3.6),
        Column::left("Motif", 7.6),
    ]);
    exempt.empty_text("Aucune représentation non taxable ce mois-ci.");
    for n in &model.not_taxable {
        exempt.row([
            fr::date(n.date),
            n.show_title.clone(),
            // The performance id is for machines (cnm.json): people know a show by its date.
            n.reason.clone(),
        ]);
    }
    f.table(exempt);

    f.heading("Échéance et paiement");
    f.paragraph(format!(
        "Déclaration à déposer au plus tard le {} (dernier jour du troisième mois suivant celui des \
         représentations). {} liquide la taxe et adresse un avis des sommes à payer, payable à la fin du mois \
         suivant. La taxe n'est pas recouvrée lorsque le montant cumulé sur l'année est inférieur à {}, mais \
         la déclaration reste due.",
        fr::long_date(model.deadline),
        match body {
            Body::Astp => "L'ASTP",
            _ => "Le CNM",
        },
        model.collection_threshold.to_french()
    ));
    f.note(
        "Base légale : code des impositions sur les biens et services (CIBS), articles L452-14 et suivants \
         (taxe sur les spectacles vivants, anciens articles 76 et 77 de la loi de finances rectificative \
         n° 2003-1312).",
    );
    f.signature(Signature {
        place: org.city.clone(),
        date: None,
        signatory: None,
    });
    f
}

fn declarant(org: &Organisation) -> Vec<(String, String)> {
    let mut fields = vec![
        ("Nom".to_string(), org.name.clone()),
        ("SIRET".to_string(), fr::siret(org.siret.as_str())),
        (
            "Licence".to_string(),
            org.licence
                .clone()
                .unwrap_or_else(|| "non renseignée".into()),
        ),
    ];
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
    fields.push((
        "Adresse".to_string(),
        if address.is_empty() {
            "non renseignée".into()
        } else {
            address
        },
    ));
    fields
}

fn commune(l: &TaxLine) -> String {
    [l.postal_code.as_deref(), l.city.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

/// "N représentation(s)", printed beside "Total" in the totals row.
fn total_label(model: &TaxDeclaration) -> String {
    let n = model.totals.performances;
    format!("{n} représentation{}", if n > 1 { "s" } else { "" })
}

fn cnm_table(model: &TaxDeclaration) -> Table {
    let mut t = Table::new(vec![
        Column::left("Date", 1.6),
        Column::left("Spectacle", 3.0),
        Column::left("Lieu", 2.1),
        Column::left("Commune", 1.8),
        Column::right("Entrées payantes", 1.4),
        Column::right("Entrées exonérées", 1.4),
        Column::right("Recette TTC", 1.7),
        Column::right("Recette HT", 1.7),
        Column::left("Nature de la base", 1.3),
        Column::right("Base HT", 1.7),
        Column::right("Taux", 0.9),
        Column::right("Taxe", 1.5),
    ]);
    t.font_size(7.5)
        .empty_text("Aucune représentation taxable ce mois-ci.");
    for l in &model.lines {
        t.row([
            fr::date(l.date),
            l.show_title.clone(),
            l.venue_name.clone(),
            commune(l),
            fr::count(l.paid_tickets),
            fr::count(l.free_tickets),
            fr::money(l.receipts_incl_vat),
            fr::money(l.receipts_excl_vat),
            match l.base_kind {
                BaseKind::Receipts => "billetterie".into(),
                BaseKind::CessionPrice => "cession".into(),
            },
            fr::money(l.tax_base),
            fr::rate(l.tax_rate.0),
            fr::money(l.tax_due),
        ]);
    }
    let tt = &model.totals;
    t.totals([
        "Total".to_string(),
        total_label(model),
        String::new(),
        String::new(),
        fr::count(tt.paid_tickets),
        fr::count(tt.free_tickets),
        fr::money(tt.receipts_incl_vat),
        fr::money(tt.receipts_excl_vat),
        String::new(),
        fr::money(tt.tax_base),
        String::new(),
        fr::money(tt.tax_due),
    ]);
    t
}

fn astp_table(model: &TaxDeclaration) -> Table {
    let mut t = Table::new(vec![
        Column::left("Date", 1.6),
        Column::left("Spectacle", 2.7),
        Column::left("Lieu", 1.9),
        Column::left("Commune", 1.7),
        Column::center("Case", 0.8),
        Column::right("Billets vendus (case 1)", 1.4),
        Column::right("Entrées exonérées", 1.4),
        Column::right("Recette HT (case 1)", 1.7),
        Column::right("Prix de cession HT (case 2)", 1.7),
        Column::left("Producteur (SIRET)", 2.4),
        Column::right("Taux", 0.9),
        Column::right("Taxe", 1.5),
    ]);
    t.font_size(7.5)
        .empty_text("Aucune représentation taxable ce mois-ci.");
    for l in &model.lines {
        let (case, receipts, cession) = match l.base_kind {
            BaseKind::Receipts => ("1", fr::money(l.tax_base), String::new()),
            BaseKind::CessionPrice => ("2", String::new(), fr::money(l.tax_base)),
        };
        let producer = match (&l.producer_name, &l.producer_siret) {
            (Some(name), Some(siret)) => format!("{name} ({})", fr::siret(siret)),
            (Some(name), None) => name.clone(),
            (None, Some(siret)) => fr::siret(siret),
            (None, None) => String::new(),
        };
        t.row([
            fr::date(l.date),
            l.show_title.clone(),
            l.venue_name.clone(),
            commune(l),
            case.to_string(),
            fr::count(l.paid_tickets),
            fr::count(l.free_tickets),
            receipts,
            cession,
            producer,
            fr::rate(l.tax_rate.0),
            fr::money(l.tax_due),
        ]);
    }
    let receipts: releve_domain::Money = model
        .lines
        .iter()
        .filter(|l| l.base_kind == BaseKind::Receipts)
        .map(|l| l.tax_base)
        .sum();
    let cession = model.totals.tax_base - receipts;
    let tt = &model.totals;
    t.totals([
        "Total".to_string(),
        total_label(model),
        String::new(),
        String::new(),
        String::new(),
        fr::count(tt.paid_tickets),
        fr::count(tt.free_tickets),
        fr::money(receipts),
        fr::money(cession),
        String::new(),
        String::new(),
        fr::money(tt.tax_due),
    ]);
    t
}

fn whole_euros_table(model: &TaxDeclaration) -> Table {
    let mut t = Table::new(vec![
        Column::left("Date", 1.4),
        Column::left("Spectacle", 3.5),
        Column::right("Recette TTC (€)", 1.7),
        Column::right("Recette HT (€)", 1.7),
        Column::right("Base HT (€)", 1.7),
        Column::right("Taxe estimée (€)", 1.7),
    ]);
    t.font_size(8.0);
    let euros = |m: Option<releve_domain::Money>| {
        m.map(|m| fr::count(m.amount().trunc().try_into().unwrap_or(0)))
            .unwrap_or_default()
    };
    for l in &model.lines {
        t.row([
            fr::date(l.date),
            l.show_title.clone(),
            euros(l.receipts_incl_vat_euros),
            euros(l.receipts_excl_vat_euros),
            euros(l.tax_base_euros),
            euros(l.tax_due_euros),
        ]);
    }
    t
}

/// The ASTP form has one block per show: title, venue, postal code, dates from/to, number of
/// performances, case 1 (tickets sold, receipts excl. VAT) or case 2 (cession price), and the
/// producer's name, SIRET and address.
fn astp_show_blocks(f: &mut Form, model: &TaxDeclaration) {
    f.heading("Un bloc par spectacle (formulaire ASTP)");
    let mut seen: Vec<&str> = Vec::new();
    for l in &model.lines {
        if seen.contains(&l.show_title.as_str()) {
            continue;
        }
        seen.push(&l.show_title);
        let of_show: Vec<&TaxLine> = model
            .lines
            .iter()
            .filter(|x| x.show_title == l.show_title)
            .collect();
        let receipts: releve_domain::Money = of_show
            .iter()
            .filter(|x| x.base_kind == BaseKind::Receipts)
            .map(|x| x.tax_base)
            .sum();
        let cession: releve_domain::Money = of_show
            .iter()
            .filter(|x| x.base_kind == BaseKind::CessionPrice)
            .map(|x| x.tax_base)
            .sum();
        let dates = match (l.show_first_date, l.show_last_date) {
            (Some(a), Some(b)) => format!("du {} au {}", fr::date(a), fr::date(b)),
            _ => fr::date(l.date),
        };
        let mut fields: Vec<(String, String)> = vec![
            ("Titre du spectacle".into(), l.show_title.clone()),
            ("Lieu de représentation".into(), l.venue_name.clone()),
            (
                "Code postal".into(),
                l.postal_code.clone().unwrap_or_default(),
            ),
            ("Dates".into(), dates),
            (
                "Nombre de représentations".into(),
                fr::count(l.show_performances as u64),
            ),
        ];
        if receipts.is_positive() {
            fields.push((
                "Case 1 — billets vendus".into(),
                fr::count(l.show_paid_tickets),
            ));
            fields.push(("Case 1 — recette HT".into(), fr::money(receipts)));
        }
        if cession.is_positive() {
            fields.push(("Case 2 — prix de cession HT".into(), fr::money(cession)));
        }
        fields.push((
            "Producteur".into(),
            l.producer_name
                .clone()
                .unwrap_or_else(|| "production de la structure".into()),
        ));
        fields.push((
            "SIRET du producteur".into(),
            l.producer_siret
                .as_deref()
                .map(fr::siret)
                .unwrap_or_else(|| "non renseigné".into()),
        ));
        fields.push((
            "Adresse du producteur".into(),
            l.producer_address
                .clone()
                .unwrap_or_else(|| "non renseignée (colonne producer_address du programme)".into()),
        ));
        f.fields(fields);
    }
}
