//! `sacd.pdf`: the "bordereau de recettes et/ou de dépenses" in the order of the SACD form:
//! declarant (name, SACD identifier, SIRET), shows and venues (A, B), ticketing per performance
//! with totals (C; receipts VAT included with their rate, 0 % printed "NA"), cession money per
//! show (D), organiser and producer details with the intra-EU VAT number (E, F), who pays the
//! rights (G), works, authors and duration (H), performances left out, deadline, signature.

use super::model::{SacdFile, SacdLine, Span};
use crate::render::fr;
use crate::render::pdf::{Column, Form, Signature, Table};
use crate::Body;
use chrono::{DateTime, Utc};
use releve_domain::{Money, Organisation};

pub(crate) fn form(model: &SacdFile, org: &Organisation, generated_at: DateTime<Utc>) -> Form {
    let body = Body::Sacd;
    let mut f = Form::new(body.title_fr());
    f.landscape()
        .subtitle(match model.span {
            Span::Month { month } => format!("Représentations de {}", fr::month(month)),
            Span::Period { period } => format!(
                "Représentations du {} au {}",
                fr::long_date(period.from),
                fr::long_date(period.to)
            ),
        })
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
            match model.span {
                Span::Month { month } => fr::month(month),
                Span::Period { period } =>
                    format!("du {} au {}", fr::date(period.from), fr::date(period.to)),
            },
            fr::date_time(generated_at)
        ));

    f.heading("Déclarant").fields(declarant(model, org));

    f.heading("A-B. Spectacles et lieux")
        .table(shows_table(model));
    f.table(exploitation_table(model));

    f.heading("C. Billetterie").table(lines_table(model));
    f.note(
        "Recette globale TTC de la billetterie. Taux de TVA : celui des recettes, ou pour une représentation \
         à plusieurs taux (marquée *) celui de la plus grosse part ; les montants HT et de TVA du fichier de \
         télétransmission restent exacts. Prix moyen : recette TTC ÷ billets payants, approximation du prix \
         moyen affiché (la billetterie ne donne pas la répartition des places par catégorie).",
    );

    f.heading("D. Prix de cession du droit d'exploitation (montants HT)")
        .table(money_table(model));
    f.note(
        "Prix de cession facturé avec une TVA de 5,5 % (contrat de cession d'un spectacle vivant) ; le fichier \
         de télétransmission en porte le montant (rep_mt_cession, rep_mt_tva_cession).",
    );

    f.heading("E-F. Organisateur (diffuseur) et producteur — coordonnées")
        .table(parties_table(model, org));

    f.heading("G. Qui règle les droits");
    f.paragraph(format!(
        "L'organisateur (diffuseur), {}, règle les droits d'auteur à la SACD. Si le contrat les met à la \
         charge du producteur ou d'un tiers, indiquez-le sur le bordereau avec ses coordonnées.",
        org.name
    ));

    f.heading("H. Œuvres représentées")
        .table(works_table(model));

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

    if !model.already_declared.is_empty() {
        f.heading("Représentations déjà déclarées");
        f.note(
            "Ces représentations figurent dans un bordereau déjà approuvé ou envoyé : elles ne sont pas \
             répétées ici (la SACD ne doit pas les recevoir deux fois).",
        );
        let mut t = Table::new(vec![
            Column::left("Date", 1.0),
            Column::left("Spectacle", 3.6),
            Column::left("Déclarée dans", 6.6),
        ]);
        for a in &model.already_declared {
            t.row([
                fr::date(a.date),
                a.show_title.clone(),
                a.declared_in.clone(),
            ]);
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
        (
            "N° de TVA intracommunautaire".into(),
            org.vat_number
                .clone()
                .unwrap_or_else(|| "non renseigné (vat_number)".into()),
        ),
    ]
}

fn org_address(org: &Organisation) -> String {
    let town = [org.postal_code.as_deref(), org.city.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    [org.address.as_deref(), Some(town.as_str())]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Section A per show: the dossier d'exploitation number and professional or amateur.
fn exploitation_table(model: &SacdFile) -> Table {
    let mut t = Table::new(vec![
        Column::left("Spectacle", 4.0),
        Column::left("N° de dossier d'exploitation", 2.5),
        Column::left("Nature de l'exploitation", 2.5),
    ]);
    t.empty_text("Aucune représentation du répertoire de la SACD.");
    for s in &model.shows {
        t.row([
            s.show_title.clone(),
            s.sacd_dossier
                .clone()
                .unwrap_or_else(|| "non renseigné (sacd_dossier)".into()),
            if s.amateur {
                "amateur".to_string()
            } else {
                "professionnelle".to_string()
            },
        ]);
    }
    t
}

/// Sections E and F: who presents and who produces, with their details.
fn parties_table(model: &SacdFile, org: &Organisation) -> Table {
    let mut t = Table::new(vec![
        Column::left("Rôle", 1.6),
        Column::left("Nom", 3.0),
        Column::left("Adresse", 4.0),
        Column::left("SIRET", 2.0),
        Column::left("N° TVA intracommunautaire", 2.2),
    ]);
    let address = org_address(org);
    t.row([
        "Organisateur".to_string(),
        org.name.clone(),
        if address.is_empty() {
            "non renseignée".into()
        } else {
            address
        },
        fr::siret(org.siret.as_str()),
        org.vat_number
            .clone()
            .unwrap_or_else(|| "non renseigné".into()),
    ]);
    for s in &model.shows {
        match &s.producer_name {
            Some(name) => t.row([
                format!("Producteur de « {} »", s.show_title),
                name.clone(),
                s.producer_address
                    .clone()
                    .unwrap_or_else(|| "non renseignée (producer_address)".into()),
                s.producer_siret
                    .as_deref()
                    .map(fr::siret)
                    .unwrap_or_else(|| "non renseigné".into()),
                "à compléter".into(),
            ]),
            None => t.row([
                format!("Producteur de « {} »", s.show_title),
                "production de la structure (organisateur)".into(),
                String::new(),
                String::new(),
                String::new(),
            ]),
        };
    }
    t
}

/// Section H: the works, their authors and the duration, as the programme gives them.
fn works_table(model: &SacdFile) -> Table {
    let mut t = Table::new(vec![
        Column::left("Spectacle", 3.0),
        Column::left(
            "Œuvres (titre — auteurs, traducteurs, adaptateurs, metteurs en scène…)",
            6.0,
        ),
        Column::right("Durée", 1.2),
    ]);
    t.empty_text("Aucune représentation du répertoire de la SACD.");
    for s in &model.shows {
        t.row([
            s.show_title.clone(),
            if s.works.is_empty() {
                "à compléter (colonne works du programme)".into()
            } else {
                s.works.join(" ; ")
            },
            s.duration_minutes
                .map(|m| format!("{m} min"))
                .unwrap_or_else(|| "à compléter".into()),
        ]);
    }
    t
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
        // The form's VAT box takes 5,5 %, 2,1 % or "NA" (not subject to VAT): a 0 % rate is NA.
        let rate = match l.vat_rate {
            Some(r) if r.percent().is_zero() => "NA".to_string(),
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
