//! Channel `email`: the approved SACEM "état des recettes et des dépenses" (`sacem.pdf`, with
//! the month's SACEM attachments) e-mailed to the venue's regional SACEM delegation (the
//! delegation table by postal code, or `[channels.sacem] to`), through the SMTP server of
//! `[mail]`. The same channel carries the separate e-mail of a SACD bordereau's attachments
//! (`attachments.rs`, to `[channels.sacd] attachments_to`): messages then name the SACD.
//!
//! - Credentials: `RELEVE_SMTP_USER` / `RELEVE_SMTP_PASSWORD` when set (never in the file);
//!   `smtp://` plain (a local relay), `smtps://` TLS.
//! - `From` = `[mail] from`; `Reply-To` = the organisation's `contact_email`, so that the
//!   delegation answers the venue; the PDF attached, checked against the approval's SHA-256.
//! - `Message-ID` = `<releve.<first 32 hex of SHA-256(idempotency key)>@<sender's domain>>`:
//!   the same version always carries the same id, so a re-send after a crash between the
//!   SMTP server's acceptance and the storing of its answer is recognisable as the same message
//!   by the delegation's mail system (SMTP cannot be asked what it already delivered).
//! - Outcome: `sent` once the SMTP server accepted the message (the delegation's answer, if
//!   any, comes by e-mail to the contact address); a refused recipient or sender is a
//!   rejection, a connection problem a failure retried later.
//! - Stored exchange: the headers and the attachments' names and SHA-256 (not their bytes),
//!   and the SMTP server's answer; never the SMTP password.

use crate::lifecycle::sha256_hex;
use crate::submit::channel::{Channel, Context, Delivering, Delivery};
use crate::submit::fault;
use anyhow::{anyhow, bail, Result};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncTransport, Message};
use releve_store::Outcome;
use serde_json::{json, Value};

pub const CODE: &str = "email";

pub struct SacemEmail;

impl Channel for SacemEmail {
    fn code(&self) -> &'static str {
        CODE
    }

    fn deliver<'a>(&'a self, ctx: &'a Context<'a>) -> Delivering<'a> {
        Box::pin(deliver(ctx))
    }
}

/// The deterministic `Message-ID` of a submission.
pub fn message_id(idempotency_key: &str, from: &str) -> String {
    let domain = from
        .rsplit_once('@')
        .map(|(_, d)| d)
        .unwrap_or("releve.local");
    let hash = sha256_hex(idempotency_key.as_bytes());
    format!("<releve.{}@{domain}>", &hash[..32])
}

fn mailbox(text: &str, what: &str, who: &str) -> Result<Mailbox> {
    text.parse::<Mailbox>()
        .map_err(|e| anyhow!("{who} : adresse {what} « {text} » invalide : {e}"))
}

async fn deliver(ctx: &Context<'_>) -> Result<Delivery> {
    // The body the e-mail is for (SACEM, or the SACD for a bordereau's attachments).
    let who = ctx.row.body.to_uppercase();
    let mail = ctx
        .settings
        .mail
        .as_ref()
        .ok_or_else(|| anyhow!("{who} : section [mail] absente de la configuration"))?;
    let p = &ctx.row.payload;
    let field = |name: &str| -> Result<String> {
        p[name]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| anyhow!("{who} : {name} absent de la file d'envoi"))
    };
    let (to, subject, text, id) = (
        field("to")?,
        field("subject")?,
        field("text")?,
        field("message_id")?,
    );
    let mut builder = Message::builder()
        .from(mailbox(&mail.from, "d'expéditeur ([mail] from)", &who)?)
        .to(mailbox(&to, "de la délégation", &who)?)
        .subject(subject.clone())
        .message_id(Some(id.clone()));
    if let Some(reply) = p["reply_to"].as_str() {
        builder = builder.reply_to(mailbox(reply, "de réponse (contact_email)", &who)?);
    }
    let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(text));
    let mut attached = Vec::new();
    for f in p["attachments"].as_array().into_iter().flatten() {
        let (name, bytes) = ctx.read_checked(f, &who)?;
        let kind = content_type(&name);
        attached.push(json!({"name": name, "sha256": f["sha256"]}));
        parts = parts.singlepart(Attachment::new(name).body(bytes, kind));
    }
    let message = builder
        .multipart(parts)
        .map_err(|e| anyhow!("{who} : e-mail impossible à composer : {e}"))?;
    let transport =
        crate::reminders::smtp::transport(mail).map_err(|e| anyhow!("{who} : {e:#}"))?;
    let record = json!({
        "smtp": mail.smtp_url, "from": mail.from, "to": to, "reply_to": p["reply_to"],
        "subject": subject, "message_id": id, "attachments": attached,
    })
    .to_string();
    fault::point("before_request");
    let answer = transport.send(message).await;
    fault::point("after_request");
    match answer {
        Ok(response) => {
            let said = format!(
                "{} {}",
                response.code(),
                response.message().collect::<Vec<_>>().join(" ")
            );
            ctx.exchange("smtp", &record, Some(&said)).await?;
            Ok(Delivery {
                outcome: Outcome::Sent {
                    receipt: format!("e-mail {id} remis au serveur SMTP pour {to} ({said})"),
                },
                warnings: Vec::new(),
            })
        }
        Err(e) => {
            ctx.exchange("smtp", &record, Some(&e.to_string())).await?;
            if e.is_permanent() {
                let setting = if ctx.row.body == "sacd" {
                    "[channels.sacd] attachments_to"
                } else {
                    "[channels.sacem] to"
                };
                Ok(Delivery {
                    outcome: Outcome::Rejected {
                        reason: format!(
                            "{who} : le serveur SMTP refuse l'e-mail pour {to} ({e}) ; vérifiez l'adresse de la délégation \
                             ({setting}) et l'expéditeur ([mail] from)"
                        ),
                    },
                    warnings: Vec::new(),
                })
            } else {
                bail!("{who} : envoi de l'e-mail impossible ({e}) ; nouvel essai plus tard")
            }
        }
    }
}

/// The content type of an attachment, from its extension (PDF by default).
fn content_type(name: &str) -> ContentType {
    let lower = name.to_lowercase();
    let kind = match lower.rsplit_once('.').map(|(_, e)| e) {
        Some("xml") => "application/xml",
        Some("csv") => "text/csv",
        Some("txt") => "text/plain",
        Some("jpg") | Some("jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("doc") => "application/msword",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("odt") => "application/vnd.oasis.opendocument.text",
        _ => "application/pdf",
    };
    ContentType::parse(kind).expect("a valid content type")
}

/// The payload of a SACEM row: recipient, headers, French text, the PDF and the month's SACEM
/// attachments (`attachments.rs`).
pub fn payload(ctx: &PayloadInput<'_>, pdf: Value, attachments: Vec<Value>) -> Result<Value> {
    let to = ctx
        .sacem_to
        .map(str::to_string)
        .or_else(|| ctx.model["agency"]["email"].as_str().map(str::to_string))
        .ok_or_else(|| {
            anyhow!(
                "SACEM : aucune adresse de délégation régionale pour le code postal du lieu ; \
                 indiquez-la dans [channels.sacem] to"
            )
        })?;
    let subject = format!(
        "Déclaration SACEM — {} — {} (version {})",
        ctx.org_name, ctx.month, ctx.version
    );
    let mut text = format!(
        "Bonjour,\n\nVeuillez trouver ci-joint l'état des recettes et des dépenses de {} pour {} \
         (version {} approuvée par {}).\n",
        ctx.org_name, ctx.month, ctx.version, ctx.approved_by
    );
    if let Some(id) = ctx.sacem_client_id {
        text += &format!("Numéro de client SACEM : {id}.\n");
    }
    text += "\nPour toute question, répondez à ce message : la réponse parviendra à l'administration du lieu.\n\nCordialement,\n";
    text += ctx.org_name;
    text += "\n";
    Ok(json!({
        "to": to,
        "reply_to": ctx.reply_to,
        "subject": subject,
        "text": text,
        "message_id": message_id(ctx.key, ctx.from),
        "attachments": std::iter::once(pdf).chain(attachments).collect::<Vec<_>>(),
    }))
}

/// What the SACEM payload is made of.
pub struct PayloadInput<'a> {
    pub key: &'a str,
    pub from: &'a str,
    pub sacem_to: Option<&'a str>,
    pub reply_to: Option<&'a str>,
    pub model: &'a Value,
    pub org_name: &'a str,
    pub sacem_client_id: Option<&'a str>,
    pub month: &'a str,
    pub version: u32,
    pub approved_by: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_id_is_the_same_for_the_same_version() {
        let a = message_id("digues:sacem:2025-11:v1:email", "releve@digues.fr");
        assert_eq!(
            a,
            message_id("digues:sacem:2025-11:v1:email", "releve@digues.fr")
        );
        assert_ne!(
            a,
            message_id("digues:sacem:2025-11:v2:email", "releve@digues.fr")
        );
        assert!(
            a.starts_with("<releve.") && a.ends_with("@digues.fr>"),
            "{a}"
        );
        assert_eq!(a.len(), "<releve.".len() + 32 + "@digues.fr>".len());
    }
}
