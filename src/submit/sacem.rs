//! Channel `email`: the approved SACEM "état des recettes et des dépenses" (`sacem.pdf`)
//! e-mailed to the venue's regional SACEM delegation (the delegation table by postal code,
//! or `[channels.sacem] to`), through the SMTP server of `[mail]`.
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
use anyhow::{anyhow, bail, Context as _, Result};
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

fn mailbox(text: &str, what: &str) -> Result<Mailbox> {
    text.parse::<Mailbox>()
        .map_err(|e| anyhow!("SACEM : adresse {what} « {text} » invalide : {e}"))
}

async fn deliver(ctx: &Context<'_>) -> Result<Delivery> {
    let mail = ctx
        .settings
        .mail
        .as_ref()
        .ok_or_else(|| anyhow!("SACEM : section [mail] absente de la configuration"))?;
    let p = &ctx.row.payload;
    let field = |name: &str| -> Result<String> {
        p[name]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| anyhow!("SACEM : {name} absent de la file d'envoi"))
    };
    let (to, subject, text, id) = (
        field("to")?,
        field("subject")?,
        field("text")?,
        field("message_id")?,
    );
    let mut builder = Message::builder()
        .from(mailbox(&mail.from, "d'expéditeur ([mail] from)")?)
        .to(mailbox(&to, "de la délégation")?)
        .subject(subject.clone())
        .message_id(Some(id.clone()));
    if let Some(reply) = p["reply_to"].as_str() {
        builder = builder.reply_to(mailbox(reply, "de réponse (contact_email)")?);
    }
    let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(text));
    let mut attached = Vec::new();
    for f in p["attachments"].as_array().into_iter().flatten() {
        let (Some(name), Some(path), Some(sha)) =
            (f["name"].as_str(), f["path"].as_str(), f["sha256"].as_str())
        else {
            bail!("SACEM : pièce jointe mal décrite dans la file d'envoi : {f}");
        };
        let bytes = std::fs::read(path).with_context(|| format!("SACEM : {path} illisible"))?;
        if sha256_hex(&bytes) != sha {
            bail!("SACEM : {path} a changé depuis l'approbation : l'e-mail n'est pas envoyé");
        }
        let kind = ContentType::parse("application/pdf").expect("a valid content type");
        parts = parts.singlepart(Attachment::new(name.to_string()).body(bytes, kind));
        attached.push(json!({"name": name, "sha256": sha}));
    }
    let message = builder
        .multipart(parts)
        .map_err(|e| anyhow!("SACEM : e-mail impossible à composer : {e}"))?;
    let transport =
        crate::reminders::smtp::transport(mail).map_err(|e| anyhow!("SACEM : {e:#}"))?;
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
                Ok(Delivery {
                    outcome: Outcome::Rejected {
                        reason: format!(
                            "SACEM : le serveur SMTP refuse l'e-mail pour {to} ({e}) ; vérifiez l'adresse de la délégation \
                             ([channels.sacem] to) et l'expéditeur ([mail] from)"
                        ),
                    },
                    warnings: Vec::new(),
                })
            } else {
                bail!("SACEM : envoi de l'e-mail impossible ({e}) ; nouvel essai plus tard")
            }
        }
    }
}

/// The payload of a SACEM row: recipient, headers, French text and the PDF to attach.
pub fn payload(ctx: &PayloadInput<'_>, pdf: Value) -> Result<Value> {
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
        "attachments": [pdf],
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
