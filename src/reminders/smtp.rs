//! The SMTP transport of `[mail]` — the one place that builds it, for the SACEM channel too
//! (credentials from `RELEVE_SMTP_USER` / `RELEVE_SMTP_PASSWORD`, never from the file) — and
//! sending one French e-mail (plain text and HTML) to an organisation's contact, with a
//! `Message-ID` chosen by the caller (deterministic per message).

use crate::submit::settings::MailSettings;
use anyhow::{anyhow, Result};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// What to send.
pub struct Mail<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub message_id: &'a str,
    pub text: String,
    pub html: String,
}

/// The SMTP transport of `[mail]`, with the environment's credentials when set.
pub fn transport(mail: &MailSettings) -> Result<AsyncSmtpTransport<Tokio1Executor>> {
    let mut transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&mail.smtp_url)
        .map_err(|e| anyhow!("[mail] smtp_url « {} » : {e}", mail.smtp_url))?;
    if let (Ok(user), Ok(password)) = (
        std::env::var("RELEVE_SMTP_USER"),
        std::env::var("RELEVE_SMTP_PASSWORD"),
    ) {
        transport = transport.credentials(Credentials::new(user, password));
    }
    Ok(transport.build())
}

/// Sends the message; gives the SMTP server's answer (`250 …`) or a French error.
pub async fn send(settings: &MailSettings, mail: &Mail<'_>) -> Result<String> {
    let parse = |text: &str, what: &str| {
        text.parse::<Mailbox>()
            .map_err(|e| anyhow!("adresse {what} « {text} » invalide : {e}"))
    };
    let message = Message::builder()
        .from(parse(&settings.from, "d'expéditeur ([mail] from)")?)
        .to(parse(mail.to, "du contact (contact_email)")?)
        .subject(mail.subject)
        .message_id(Some(mail.message_id.to_string()))
        .multipart(MultiPart::alternative_plain_html(
            mail.text.clone(),
            mail.html.clone(),
        ))
        .map_err(|e| anyhow!("e-mail impossible à composer : {e}"))?;
    let response = transport(settings)?
        .send(message)
        .await
        .map_err(|e| anyhow!("envoi de l'e-mail à {} impossible : {e}", mail.to))?;
    Ok(format!(
        "{} {}",
        response.code(),
        response.message().collect::<Vec<_>>().join(" ")
    ))
}
