//! Attachments of a submission: the documents an administrator adds beside a month's files —
//! artistic contracts, the programme of the works performed — in
//! `OUT/<organisation>/<YYYY-MM>/pieces-jointes/<body>/` before sending.
//!
//! - SACEM: they join the état's PDF in the delegation's e-mail (channel `email`).
//! - SACD: the bordereau goes by the web service, which takes no attachment, so they go in a
//!   **separate outbox row** — channel `email`, to `[channels.sacd] attachments_to` — queued
//!   with the XML's row. Each row is retried on its own: an e-mail failure never sends the XML
//!   again, and the e-mail row never moves the version's lifecycle (the XML's answer does).
//!
//! Files are fixed at queue time (name, path inside the output folder, SHA-256) and checked
//! again when sent; hidden files and sub-folders are ignored; the order is by name.

use crate::lifecycle::sha256_hex;
use anyhow::{anyhow, bail, Result};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// The payload role of an attachments-only e-mail row.
pub const ROLE: &str = "attachments";

/// The folder of a body's attachments for a month, inside the output folder.
pub fn folder(org: &str, month: &str, body: &str) -> PathBuf {
    Path::new(org).join(month).join("pieces-jointes").join(body)
}

/// The attachments found for that body and month: `[{name, path, sha256}]`, by name.
pub fn files(out: &Path, org: &str, month: &str, body: &str) -> Result<Vec<Value>> {
    let relative = folder(org, month, body);
    let dir = out.join(&relative);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => bail!(
            "pièces jointes : lecture de {} impossible : {e}",
            dir.display()
        ),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || !entry.file_type()?.is_file() {
            continue;
        }
        names.push(name);
    }
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let bytes = std::fs::read(dir.join(&name))
                .map_err(|e| anyhow!("pièce jointe {name} illisible : {e}"))?;
            Ok(json!({
                "name": name,
                "path": relative.join(&name),
                "sha256": sha256_hex(&bytes),
            }))
        })
        .collect()
}

/// What the SACD attachments e-mail is made of.
pub struct SacdMail<'a> {
    pub key: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub reply_to: Option<&'a str>,
    pub org_name: &'a str,
    pub sacd_declarant_id: Option<&'a str>,
    pub month: &'a str,
    pub version: u32,
    pub files: Vec<Value>,
}

/// The payload of the SACD attachments row (the channel `email`'s shape, with its role).
pub fn sacd_payload(m: &SacdMail<'_>) -> Value {
    let list: Vec<String> = m
        .files
        .iter()
        .map(|f| format!("- {}", f["name"].as_str().unwrap_or("?")))
        .collect();
    let mut text = format!(
        "Bonjour,\n\nLe bordereau SACD de {} pour {} (version {}) vous a été télétransmis. \
         Voici les pièces qui l'accompagnent :\n{}\n",
        m.org_name,
        m.month,
        m.version,
        list.join("\n")
    );
    if let Some(id) = m.sacd_declarant_id {
        text += &format!("Numéro de déclarant SACD : {id}.\n");
    }
    text += "\nPour toute question, répondez à ce message : la réponse parviendra à l'administration du lieu.\n\nCordialement,\n";
    text += m.org_name;
    text += "\n";
    json!({
        "role": ROLE,
        "to": m.to,
        "reply_to": m.reply_to,
        "subject": format!(
            "Déclaration SACD — {} — {} (version {}) : pièces jointes",
            m.org_name, m.month, m.version
        ),
        "text": text,
        "message_id": crate::submit::sacem::message_id(m.key, m.from),
        "attachments": m.files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachments_are_the_visible_files_of_the_folder_by_name() {
        let out = tempfile::tempdir().unwrap();
        assert!(files(out.path(), "digues", "2025-11", "sacd")
            .unwrap()
            .is_empty());
        let dir = out.path().join(folder("digues", "2025-11", "sacd"));
        std::fs::create_dir_all(dir.join("brouillons")).unwrap();
        std::fs::write(dir.join("programme.pdf"), b"programme").unwrap();
        std::fs::write(dir.join("contrat.pdf"), b"abc").unwrap();
        std::fs::write(dir.join(".~lock.contrat.pdf#"), b"x").unwrap();
        let found = files(out.path(), "digues", "2025-11", "sacd").unwrap();
        let names: Vec<&str> = found.iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(names, vec!["contrat.pdf", "programme.pdf"]);
        assert_eq!(
            found[0]["path"],
            "digues/2025-11/pieces-jointes/sacd/contrat.pdf"
        );
        // SHA-256("abc"), FIPS 180-2.
        assert_eq!(
            found[0]["sha256"],
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
