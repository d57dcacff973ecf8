//! `sacd.pdf`: the "bordereau de recettes et/ou de dépenses" in the order of the SACD form:
//! declarant (name, SACD identifier, SIRET), shows and venues (A, B), ticketing per performance
//! with totals (C), cession money per show (D), performances left out, deadline, signature.

use super::model::{SacdFile, SacdLine};
use crate::render::fr;
use crate::render::pdf::{Column, Form, Signature, Table};
use crate::Body;
use chrono::{DateTime, Utc};
use releve_domain::calendar::PARIS;
use releve_domain::{Money, Organisation};

pub(crate) fn form(model: &SacdFile, org: &Organisation, generated_at: DateTime<Utc>) -> Form {
    let body = Body::Sacd;
    let mut f = Form::new(body.title_fr());
    f.landscape()
        .subtitle(format!("Représentations de {}", fr::month(model.month)))
        .subtitle(match model.deadline {
            Some(d) => format!(
                "Destinataire : {} — dans les 30 jours suivant chaque représentation (première échéance : {})",
                body.recipient_fr(),
                fr::long_date(d)
            ),
            None => format!("Destinataire : {}", body.recipient_fr()),
        })
        .footer(format!(
            "SACD — {} — {} — brouillon préparé par releve le {}, à vérifier avant envoi",
            org.name,
            fr::month(model.month),
            generated_at.with_timezone(&PARIS).format("%d/%m/%Y à %H:%M")
        ));

    f.heading("Déclarant").fields(declarant(model, org));

    f.heading("A-B. Spectacles et lieux")
        .table(shows_table(model));

    f.heading("C. Billetterie").table(lines_table(model));
    f.note(
        "Recette globale TTC de la billetterie. Taux de TVA : celui des recettes, ou pour une représentation \
         à plusieurs taux (marquée *) celui de la plus grosse part ; les montants HT et de TVA du fichier de \
         télétransmission restent exacts. Prix moyen : recette TTC ÷ billets payants, approximation du prix \
         moyen affiché (la billetterie ne donne pas la répartition des places par catégorie).",
    );

    f.heading("D. Prix de cession du droit d'exploitation (montants HT)")
        .table(money_table(model));

    if !model.not_declared.is_empty() {
        f.heading("Représentations non déclarées");
        let mut t = Table::new(vec![
            Column::left("Date", 1.0),
            Column::left("Spectacle", 3.6),
            Column::left("Motif", 6.6),
        ]);
        // People know a performance by its date and show; its id is for machines (sacd.json).
        for n in &model.not_declared {
            t.row([fr::date(n.date), n.show_title.clone(), n.reason.clone()]);
        }
        f.table(t);
    }

    f.heading("Échéance");
    f.paragraph(match model.deadline {
        Some(d) => format!(
            "Bordereau à adresser à la SACD dans les 30 jours suivant chaque représentation, soit au plus tard \
             le {} pour la première. Passé ce délai, la SACD facture une provision calculée sur la jauge \
             financière de la salle. Joindre le détail journalier de billetterie signé et les contrats.",
            fr::long_date(d)
        ),
        None => "Aucune représentation du répertoire de la SACD ce mois-ci : rien à déclarer.".into(),
    });
    f.signature(Signature {
        place: org.city.clone(),
        date: None,
        signatory: None,
    });
    f
}

fn declarant(model: &SacdFile, org: &Organisation) -> Vec<(String, String)> {
    let address = [
        org.address.clone(),
        match (&org.postal_code, &org.city) {
            (Some(p), Some(c)) => Some(format!("{p} {c}")),
            (p, c) => p.clone().or(c.clone()),
        },
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    vec![
        ("Nom".into(), org.name.clone()),
        (
            "Identifiant SACD".into(),
            model
                .declarant_id
                .clone()
                .unwrap_or_else(|| "non renseigné".into()),
        ),
        ("SIRET".into(), fr::siret(org.siret.as_str())),
        (
            "Adresse".into(),
            if address.is_empty() {
                "non renseignée".into()
            } else {
                address
            },
        ),
    ]
}

fn producer(name: &Option<String>, siret: &Option<String>) -> String {
    match (name, siret) {
        (Some(n), Some(s)) => format!("{n} ({})", fr::siret(s)),
        (Some(n), None) => n.clone(),
        (None, Some(s)) => fr::siret(s),
        (None, None) => "production de la structure".into(),
    }
}

fn shows_table(model: &SacdFile) -> Table {
    let mut t = Table::new(vec![
        Column::left("Spectacle", 3.0),
        Column::left("Producteur (SIRET)", 3.0),
        Column::left("Salle(s)", 2.5),
        Column::left("Commune", 2.0),
        Column::right("Représentations", 1.2),
        Column::left("Dates", 2.0),
    ]);
    t.empty_text("Aucune représentation du répertoire de la SACD ce mois-ci.");
    for s in &model.shows {
        let of_show: Vec<&SacdLine> = model
            .lines
            .iter()
            .filter(|l| l.show_title == s.show_title)
            .collect();
        let venues = distinct(of_show.iter().map(|l| l.venue_name.clone()));
        let towns = distinct(of_show.iter().map(|l| {
            [l.postal_code.as_deref(), l.city.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
        }));
        let dates = if s.first_date == s.last_date {
            fr::date(s.first_date)
        } else {
            format!("du {} au {}", fr::date(s.first_date), fr::date(s.last_date))
        };
        t.row([
            s.show_title.clone(),
            producer(&s.producer_name, &s.producer_siret),
            venues.join(", "),
            towns.join(", "),
            fr::count(s.performances as u64),
            dates,
        ]);
    }
    t
}

/// The distinct values, in order of first appearance.
fn distinct(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if !v.is_empty() && !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn lines_table(model: &SacdFile) -> Table {
    let mut t = Table::new(vec![
        Column::left("Date", 1.4),
        Column::center("Heure", 0.9),
        Column::left("Spectacle", 3.0),
        Column::center("Nature", 0.9),
        Column::right("Recette TTC", 1.6),
        Column::right("Taux TVA", 1.0),
        Column::right("Billets payants", 1.2),
        Column::right("Billets exonérés", 1.2),
        Column::right("Jauge", 1.0),
        Column::right("Prix moyen", 1.3),
        Column::left("Échéance", 1.4),
    ]);
    t.font_size(7.5)
        .empty_text("Aucune représentation du répertoire de la SACD ce mois-ci.");
    for l in &model.lines {
        let rate = match l.vat_rate {
            Some(r) if l.vat_mixed => format!("{} *", fr::rate(r.percent())),
            Some(r) => fr::rate(r.percent()),
            None => "NA".into(),
        };
        t.row([
            fr::date(l.date),
            l.time.clone(),
            l.show_title.clone(),
            l.nature.code().to_string(),
            fr::money(l.receipts_incl_vat),
            rate,
            fr::count(l.paid_tickets),
            fr::count(l.exempted_tickets),
            l.capacity.map(|c| fr::count(c.into())).unwrap_or_default(),
            fr::money(l.average_price),
            fr::date(l.deadline),
        ]);
    }
    let tt = &model.totals;
    t.totals([
        "Total".to_string(),
        String::new(),
        format!(
            "{} représentation{}",
            tt.performances,
            if tt.performances > 1 { "s" } else { "" }
        ),
        String::new(),
        fr::money(tt.receipts_incl_vat),
        String::new(),
        fr::count(tt.paid_tickets),
        fr::count(tt.exempted_tickets),
        String::new(),
        fr::money(
            tt.receipts_incl_vat
                .average(tt.paid_tickets)
                .unwrap_or(Money::ZERO),
        ),
        String::new(),
    ]);
    t
}

fn money_table(model: &SacdFile) -> Table {
    let mut t = Table::new(vec![
        Column::left("Spectacle", 3.0),
        Column::right("Prix de cession", 1.6),
        Column::right("Frais d'approche", 1.6),
        Column::right("Apport en coproduction", 1.6),
        Column::right("Garantie de recette", 1.6),
        Column::right("Prix global", 1.6),
    ]);
    t.empty_text("Aucun contrat de cession ce mois-ci.");
    for s in &model.shows {
        let global = s.cession_price_excl_vat
            + s.frais_approche_excl_vat
            + s.coproduction_contribution_excl_vat
            + s.guarantee_excl_vat;
        t.row([
            s.show_title.clone(),
            fr::money(s.cession_price_excl_vat),
            fr::money(s.frais_approche_excl_vat),
            fr::money(s.coproduction_contribution_excl_vat),
            fr::money(s.guarantee_excl_vat),
            fr::money(global),
        ]);
    }
    let tt = &model.totals;
    t.totals([
        "Total".to_string(),
        fr::money(tt.cession_price_excl_vat),
        fr::money(tt.frais_approche_excl_vat),
        fr::money(tt.coproduction_contribution_excl_vat),
        fr::money(tt.guarantee_excl_vat),
        fr::money(
            tt.cession_price_excl_vat
                + tt.frais_approche_excl_vat
                + tt.coproduction_contribution_excl_vat
                + tt.guarantee_excl_vat,
        ),
    ]);
    t
}
