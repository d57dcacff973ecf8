//! How a declaration's stored model is laid out on its page, like the body's form: which list
//! of the model is the form's lines, which fields are its columns (with French headers), which
//! object holds the totals, the list of what owes nothing and why, and why the body applies.
//! Everything shown is read from the model the run stored with the version: the page never
//! computes a figure.

use super::view::{cell, Kind};
use releve_declarations::Body;
use serde_json::{json, Value};

/// One column: the model's field (a dotted path for nested ones; the second name is an older
/// or newer spelling of the same field), its French header, how to show it.
pub struct Column {
    pub keys: &'static [&'static str],
    pub header: &'static str,
    pub kind: Kind,
}

const fn col(keys: &'static [&'static str], header: &'static str, kind: Kind) -> Column {
    Column { keys, header, kind }
}

/// One table of the form.
pub struct Section {
    /// The model's list of lines.
    pub items: &'static str,
    pub caption: &'static str,
    pub columns: &'static [Column],
    /// The model's object of totals, whose fields have the columns' names.
    pub totals: Option<&'static str>,
}

const TAX: &[Column] = &[
    col(&["date"], "Date", Kind::Date),
    col(&["show_title"], "Spectacle", Kind::Text),
    col(&["venue_name"], "Lieu", Kind::Text),
    col(&["city"], "Commune", Kind::Text),
    col(&["paid_tickets"], "Billets payants", Kind::Count),
    col(&["free_tickets"], "Exonérés", Kind::Count),
    col(&["receipts_incl_vat"], "Recettes TTC", Kind::Money),
    col(&["receipts_excl_vat"], "Recettes HT", Kind::Money),
    col(&["tax_base"], "Assiette", Kind::Money),
    col(&["tax_rate"], "Taux", Kind::Rate),
    col(&["tax_due"], "Taxe due", Kind::Money),
];

const SIBIL: &[Column] = &[
    col(
        &["dateHeureRepresentationUnique"],
        "Représentation",
        Kind::Instant,
    ),
    col(&["spectacleChamps.critere1"], "Spectacle", Kind::Text),
    col(&["lieuChamps.nom"], "Lieu", Kind::Text),
    col(
        &["domaineRepresentationLibelle", "domaineRepresentation"],
        "Domaine",
        Kind::Text,
    ),
    col(&["jauge"], "Jauge", Kind::Count),
    col(&["nbBilletsTotalBilletterie"], "Billets", Kind::Count),
    col(&["nbBilletsTarifPlein"], "Plein tarif", Kind::Count),
    col(
        &["nbBilletsTarifAbonnementForfait"],
        "Abonnement",
        Kind::Count,
    ),
    col(&["nbBilletsExoneres"], "Exonérés", Kind::Count),
    col(&["recetteTotalBilletterie"], "Recette TTC", Kind::Money),
    col(&["prixMoyenTotalBilletterie"], "Prix moyen", Kind::Money),
];

const SACEM: &[Column] = &[
    col(&["show_title"], "Spectacle", Kind::Text),
    col(&["first_date"], "Du", Kind::Date),
    col(&["last_date"], "Au", Kind::Date),
    col(&["performances"], "Représentations", Kind::Count),
    col(&["paid_tickets"], "Billets payants", Kind::Count),
    col(&["free_tickets"], "Exonérés", Kind::Count),
    col(&["receipts_total.excl_vat"], "Recettes HT", Kind::Money),
    col(&["receipts_total.incl_vat"], "Recettes TTC", Kind::Money),
    col(&["expenses_total.excl_vat"], "Dépenses HT", Kind::Money),
    col(&["deadline"], "À envoyer au plus tard le", Kind::Date),
];

const SACD: &[Column] = &[
    col(&["date"], "Date", Kind::Date),
    col(&["time"], "Heure", Kind::Text),
    col(&["show_title"], "Spectacle", Kind::Text),
    col(&["nature"], "Nature", Kind::Text),
    col(&["paid_tickets"], "Billets payants", Kind::Count),
    col(&["exempted_tickets"], "Exonérés", Kind::Count),
    col(&["receipts_incl_vat"], "Recettes TTC", Kind::Money),
    col(&["vat_rate"], "TVA", Kind::Rate),
    col(&["receipts_excl_vat"], "Recettes HT", Kind::Money),
    col(&["deadline"], "Au plus tard le", Kind::Date),
];

pub fn sections(body: Body) -> Vec<Section> {
    match body {
        Body::Cnm | Body::Astp => vec![Section {
            items: "lines",
            caption: "Lignes de la déclaration (une par représentation taxable)",
            columns: TAX,
            totals: Some("totals"),
        }],
        Body::Sibil => vec![Section {
            items: "declarations",
            caption: "Déclarations (une par représentation ayant émis des billets)",
            columns: SIBIL,
            totals: None,
        }],
        Body::Sacem => vec![Section {
            items: "shows",
            caption: "État des recettes et des dépenses, par spectacle",
            columns: SACEM,
            totals: None,
        }],
        Body::Sacd => vec![Section {
            items: "lines",
            caption: "Bordereau : une ligne par représentation",
            columns: SACD,
            totals: Some("totals"),
        }],
    }
}

/// The model's field at a dotted path.
fn at<'a>(item: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(item, |v, key| &v[key])
}

fn field<'a>(item: &'a Value, keys: &[&str]) -> &'a Value {
    keys.iter()
        .map(|k| at(item, k))
        .find(|v| !v.is_null())
        .unwrap_or(&Value::Null)
}

/// A section as the template draws it: headers, rows of cells, and the totals row taken from
/// the model's totals (a column without a total stays empty).
pub fn table(section: &Section, model: &Value) -> Value {
    let headers: Vec<Value> = section
        .columns
        .iter()
        .map(|c| json!({"text": c.header, "numeric": c.kind.numeric()}))
        .collect();
    let cells = |item: &Value| -> Vec<Value> {
        section
            .columns
            .iter()
            .map(
                |c| json!({"text": cell(c.kind, field(item, c.keys)), "numeric": c.kind.numeric()}),
            )
            .collect()
    };
    let rows: Vec<Vec<Value>> = model[section.items]
        .as_array()
        .map(|items| items.iter().map(cells).collect())
        .unwrap_or_default();
    let totals = section
        .totals
        .map(|key| &model[key])
        .filter(|t| t.is_object())
        .map(|totals| {
            section
                .columns
                .iter()
                .map(|c| {
                    // Counts and amounts only: a total of dates or rates means nothing.
                    let value = if c.kind.numeric() && c.kind != Kind::Rate {
                        field(totals, c.keys)
                    } else {
                        &Value::Null
                    };
                    json!({"text": cell(c.kind, value), "numeric": c.kind.numeric()})
                })
                .collect::<Vec<_>>()
        });
    json!({
        "caption": section.caption,
        "headers": headers,
        "rows": rows,
        "totals": totals,
    })
}

/// What owes nothing here, with the reason the run gave (`not_taxable`, SACD `not_declared`).
pub fn not_owed(model: &Value) -> Vec<Value> {
    ["not_taxable", "not_declared"]
        .iter()
        .filter_map(|k| model[*k].as_array())
        .flatten()
        .map(|item| {
            json!({
                "date": cell(Kind::Date, &item["date"]),
                "show_title": cell(Kind::Text, &item["show_title"]),
                "performance_id": cell(Kind::Text, &item["performance_id"]),
                "reason": cell(Kind::Text, &item["reason"]),
            })
        })
        .collect()
}

/// Why this body receives a declaration (the rule releve applies), in French.
pub fn why_fr(body: Body) -> &'static [&'static str] {
    match body {
        Body::Cnm => &[
            "La taxe sur les spectacles vivants (code des impositions sur les biens et services, art. L452-14 et suivants) est due pour chaque représentation payante de variétés : chanson, jazz, musiques actuelles, humour et comédie musicale hors théâtre membre de l'ASTP, cirque et spectacles de variétés.",
            "Elle est de 3,5 % des recettes de billetterie hors TVA ; pour une entrée gratuite, elle porte sur le prix de cession hors TVA et elle est due par le vendeur du spectacle.",
            "Les représentations annulées ou données dans le cadre de l'enseignement scolaire ne doivent rien : elles figurent dans la liste des représentations non taxables, avec leur raison.",
        ],
        Body::Astp => &[
            "La fraction « art dramatique, lyrique et chorégraphique » de la taxe sur les spectacles vivants est due pour chaque représentation payante de théâtre, d'opéra, de danse ou de spectacle lyrique, au taux de 3,5 % des recettes hors TVA.",
            "Un organisateur public ou subventionné en est exonéré, sauf lorsqu'il achète le spectacle à un producteur privé non subventionné : ces exonérations figurent dans la liste des représentations non taxables, avec leur raison.",
        ],
        Body::Sibil => &[
            "Tout entrepreneur de spectacles déclare au ministère de la Culture, chaque trimestre, la billetterie de chacune de ses représentations (système SIBIL) : nombre de billets, recettes, tarifs, jauge et lieu.",
            "Une représentation sans aucun billet émis n'est pas déclarée.",
        ],
        Body::Sacem => &[
            "Pour les spectacles où des œuvres du répertoire de la SACEM sont jouées (musique), l'organisateur adresse à la délégation régionale un état des recettes et des dépenses par spectacle ; la SACEM calcule les droits d'auteur.",
        ],
        Body::Sacd => &[
            "Pour les œuvres du répertoire de la SACD (théâtre, danse, opéra, cirque, arts de la rue…), l'organisateur envoie un bordereau de recettes, une ligne par représentation, au plus tard 30 jours après chacune.",
            "Les représentations annulées ou sans droits (œuvres du domaine public) ne sont pas déclarées : elles figurent dans la liste ci-dessous, avec leur raison.",
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tax_form_reads_lines_and_totals_from_the_model() {
        let model = json!({
            "lines": [{"date": "2025-11-30", "show_title": "Nuit Jazz", "paid_tickets": 2,
                       "receipts_excl_vat": "28.44", "tax_rate": "3.5", "tax_due": "1.00"}],
            "totals": {"paid_tickets": 2, "tax_due": "1.00", "receipts_excl_vat": "28.44"},
            "not_taxable": [{"performance_id": "p", "date": "2025-11-20", "show_title": "Le Cercle",
                             "reason": "Organisateur subventionné : exonéré"}],
        });
        let t = table(&sections(Body::Cnm)[0], &model);
        let row = &t["rows"][0];
        assert_eq!(row[0]["text"], "30/11/2025");
        assert_eq!(row[1]["text"], "Nuit Jazz");
        assert_eq!(row[4]["text"], "2");
        assert_eq!(row[9]["text"], "3,5\u{a0}%");
        assert_eq!(row[10]["text"], "1,00\u{a0}€");
        assert_eq!(t["totals"][10]["text"], "1,00\u{a0}€");
        // No total of a rate.
        assert_eq!(t["totals"][9]["text"], "");
        assert_eq!(
            not_owed(&model)[0]["reason"],
            "Organisateur subventionné : exonéré"
        );
    }

    #[test]
    fn nested_and_renamed_fields() {
        let item = json!({"lieuChamps": {"nom": "Club"}, "domaineRepresentation": "Jazz"});
        assert_eq!(field(&item, &["lieuChamps.nom"]), "Club");
        assert_eq!(
            field(
                &item,
                &["domaineRepresentationLibelle", "domaineRepresentation"]
            ),
            "Jazz"
        );
    }
}
