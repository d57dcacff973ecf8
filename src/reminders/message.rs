//! The French wording of the e-mails: a deadline reminder and a run report. Each message is a
//! list of [`Block`]s rendered twice, as plain text and as HTML (escaped), so that the two
//! parts always say the same thing.

use super::deadlines::Deadline;
use crate::server::pages::view;
use chrono::NaiveDate;
use releve_declarations::render::fr;
use releve_store::VersionStatus;

pub enum Block {
    Para(String),
    List(Vec<String>),
    /// A link to the workspace (only when `[server] public_url` is set).
    Link(String, String),
}

pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
}

fn compose(subject: String, blocks: &[Block]) -> Composed {
    let mut text = String::new();
    let mut html = String::from("<!DOCTYPE html>\n<html lang=\"fr\"><body>\n");
    let esc = tera::escape_html;
    for block in blocks {
        match block {
            Block::Para(p) => {
                text += &format!("{p}\n\n");
                html += &format!("<p>{}</p>\n", esc(p));
            }
            Block::List(items) => {
                html += "<ul>\n";
                for item in items {
                    text += &format!("- {item}\n");
                    html += &format!("<li>{}</li>\n", esc(item));
                }
                text += "\n";
                html += "</ul>\n";
            }
            Block::Link(label, url) => {
                text += &format!("{label} : {url}\n\n");
                html += &format!("<p><a href=\"{}\">{}</a></p>\n", esc(url), esc(label));
            }
        }
    }
    text += "-- \nreleve\n";
    html += "<p>-- <br>releve</p>\n</body></html>\n";
    Composed {
        subject,
        text,
        html,
    }
}

/// What is left to do for a declaration in that state.
fn to_do_fr(status: VersionStatus) -> &'static str {
    match status {
        VersionStatus::Draft | VersionStatus::Superseded => {
            "à vérifier et approuver par le signataire, puis à envoyer"
        }
        VersionStatus::Approved => {
            "approuvée : reste à l'envoyer (bouton « Envoyer » ou `releve submit`)"
        }
        VersionStatus::Rejected => {
            "rejetée par l'organisme : à corriger, approuver et envoyer de nouveau"
        }
        VersionStatus::Submitted | VersionStatus::Accepted => "envoyée",
    }
}

/// The reminder `lead` days before `d`'s deadline.
pub fn deadline_reminder(
    org_name: &str,
    slug: &str,
    d: &Deadline,
    lead: u32,
    today: NaiveDate,
    public_url: Option<&str>,
) -> Composed {
    let body = d.body.to_uppercase();
    let (left, _) = view::days_left_fr(d.date, today);
    let subject = format!(
        "Rappel : déclaration {body} de {} à envoyer au plus tard le {} ({left})",
        fr::month(d.month),
        fr::date(d.date)
    );
    let mut blocks = vec![
        Block::Para("Bonjour,".into()),
        Block::Para(format!(
            "La déclaration {body} de {} pour {} est à envoyer au plus tard le {} ({left}).",
            fr::month(d.month),
            org_name,
            fr::date(d.date)
        )),
        Block::Para(format!(
            "Version {} — {} : {}.",
            d.version,
            d.state_fr,
            to_do_fr(d.status)
        )),
    ];
    if let Some(url) = public_url {
        blocks.push(Block::Link(
            "Ouvrir la déclaration".into(),
            format!("{url}/o/{slug}/{}/{}", d.month, d.body),
        ));
    }
    let when = match lead {
        0 => "le jour de l'échéance".to_string(),
        1 => "la veille de l'échéance".to_string(),
        n => format!("{n} jours avant l'échéance"),
    };
    blocks.push(Block::Para(format!(
        "Ce rappel est envoyé une seule fois, {when} (réglage [reminders] days_before de la configuration)."
    )));
    compose(subject, &blocks)
}

/// What a run report says of one declaration of the month.
pub struct Computed {
    pub deadline: Option<Deadline>,
    pub body: String,
    pub version: u32,
    pub state_fr: &'static str,
    pub amount_due: Option<String>,
}

/// The report after a scheduled run: what was computed, what needs a person.
#[allow(clippy::too_many_arguments)]
pub fn run_report(
    org_name: &str,
    slug: &str,
    month: releve_domain::Month,
    outcome_fr: &str,
    finished_at: String,
    computed: &[Computed],
    points: Option<&[(bool, String)]>,
    public_url: Option<&str>,
) -> Composed {
    let subject = format!("Relevé de {} — {org_name} : {outcome_fr}", fr::month(month));
    let mut blocks = vec![
        Block::Para("Bonjour,".into()),
        Block::Para(format!(
            "Le relevé mensuel planifié de {} pour {org_name} s'est terminé le {finished_at} : {outcome_fr}.",
            fr::month(month)
        )),
    ];
    if computed.is_empty() {
        blocks.push(Block::Para(
            "Aucune déclaration n'a été préparée pour ce mois.".into(),
        ));
    } else {
        blocks.push(Block::Para("Déclarations préparées :".into()));
        blocks.push(Block::List(
            computed
                .iter()
                .map(|c| {
                    let mut line = format!(
                        "{} : version {}, {}",
                        c.body.to_uppercase(),
                        c.version,
                        c.state_fr
                    );
                    if let Some(a) = &c.amount_due {
                        line += &format!(", {a} estimés");
                    }
                    if let Some(d) = &c.deadline {
                        line += &format!(", au plus tard le {}", fr::date(d.date));
                    }
                    line
                })
                .collect(),
        ));
    }
    match points {
        None => blocks.push(Block::Para(
            "Les points à vérifier n'ont pas pu être lus (dossier de sortie introuvable) : voyez l'espace de travail."
                .into(),
        )),
        Some([]) => blocks.push(Block::Para("Rien n'attend une personne.".into())),
        Some(list) => {
            let blocking = list.iter().filter(|(b, _)| *b).count();
            blocks.push(Block::Para(format!(
                "À traiter par une personne : {} point(s), dont {blocking} bloquant(s).",
                list.len()
            )));
            blocks.push(Block::List(
                list.iter()
                    .map(|(b, m)| {
                        format!("{} {m}", if *b { "[bloquant]" } else { "[à vérifier]" })
                    })
                    .collect(),
            ));
        }
    }
    if let Some(url) = public_url {
        blocks.push(Block::Link(
            "Ouvrir le mois".into(),
            format!("{url}/o/{slug}/{month}"),
        ));
    }
    compose(subject, &blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_parts_say_the_same_and_the_html_is_escaped() {
        let d = Deadline {
            month: "2025-11".parse().unwrap(),
            body: "cnm".into(),
            version: 2,
            state_fr: "approuvé",
            state_class: "ok",
            status: VersionStatus::Approved,
            date: "2025-12-31".parse().unwrap(),
            sent: false,
        };
        let m = deadline_reminder(
            "Théâtre <Digues> & Cie",
            "digues",
            &d,
            7,
            "2025-12-24".parse().unwrap(),
            Some("https://releve.example.org"),
        );
        assert_eq!(
            m.subject,
            "Rappel : déclaration CNM de novembre 2025 à envoyer au plus tard le 31/12/2025 (dans 7 jours)"
        );
        assert!(
            m.text.contains("pour Théâtre <Digues> & Cie est à envoyer"),
            "{}",
            m.text
        );
        assert!(
            m.html.contains("Théâtre &lt;Digues&gt; &amp; Cie"),
            "{}",
            m.html
        );
        assert!(m
            .text
            .contains("Version 2 — approuvé : approuvée : reste à l'envoyer"));
        assert!(m
            .text
            .contains("Ouvrir la déclaration : https://releve.example.org/o/digues/2025-11/cnm"));
        assert!(m.text.contains("7 jours avant l'échéance"));
    }
}
