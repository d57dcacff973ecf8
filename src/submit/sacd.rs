//! Channel `sacd_ws`: the approved `sacd.xml` sent to the SACD teletransmission web service
//! (the "ticketing broker"; `reference/ministry-pilot.md` §4.3).
//!
//! Contract, as the real service behaves:
//! - One provider account for the installation, from `{credentials_env}_PROVIDER_NAME`,
//!   `_REFFILE`, `_PASSWORD`, `_CONSUMER_KEY`, `_SECRET_KEY` (`[channels.sacd]`). Each
//!   organisation is named inside the XML only (`dec_ref` = its `sacd_declarant_id`).
//! - Login: `POST {base}/ticketing/auto-access.json`, form `login[login]` = reffile,
//!   `login[password]` = md5(password) in hex, `login[consumer_key]` → `{"AuthToken": …}`.
//! - Every later call carries `?key=<consumer key>&token=md5(secret key + AuthToken)` and the
//!   form fields `parameters[Application]` = provider name, `parameters[LoginRefFile]` =
//!   reffile, `parameters[Language]` = `FR`, with browser-like `Accept` headers.
//! - Declaration: `POST {base}/ticketing/broker/ExploitFileTransmitETicketingDeclarationWS`
//!   with `parameters[Declaration]` = the XML. Even with HTTP 200 the answer may be a JSON
//!   error `{"Error": {"Code", "Message"}}` (`ERR_WS_DEC_REF`: wrong declarant id or
//!   teletransmission not activated at SACD). Otherwise an XML answer
//!   `Declaration/Header{dec_ref, dec_nb, sacd_date}/Representations/Representation{numero,
//!   statut OK|KO|WARNING, champ?, message?}`; one `Representation` or several are read alike.
//! - Logout: `GET {base}/ticketing/logout?key&token`.
//!
//! Outcome: any `KO` line rejects the row (each KO said in French with its performance and the
//! field); `WARNING` lines are kept as warnings. Re-sending after a crash is safe: SACD keys a
//! line on `rep_ref_dec` + `rep_version`, which the approved XML fixes. Stored exchanges never
//! carry the password, the keys or the tokens (`***`).

use crate::submit::channel::{secret_from_env, Channel, Context, Delivering, Delivery};
use crate::submit::fault;
use anyhow::{anyhow, bail, Result};
use md5::{Digest, Md5};
use quick_xml::events::Event;
use quick_xml::Reader;
use releve_store::Outcome;
use serde_json::{json, Value};
use std::time::Duration;

pub const CODE: &str = "sacd_ws";

pub struct SacdWebService;

impl Channel for SacdWebService {
    fn code(&self) -> &'static str {
        CODE
    }

    fn deliver<'a>(&'a self, ctx: &'a Context<'a>) -> Delivering<'a> {
        Box::pin(deliver(ctx))
    }
}

struct Account {
    provider_name: String,
    reffile: String,
    password: String,
    consumer_key: String,
    secret_key: String,
}

fn account(prefix: &str) -> Result<Account> {
    let var = |suffix: &str| secret_from_env(&format!("{prefix}_{suffix}"), "SACD");
    Ok(Account {
        provider_name: var("PROVIDER_NAME")?,
        reffile: var("REFFILE")?,
        password: var("PASSWORD")?,
        consumer_key: var("CONSUMER_KEY")?,
        secret_key: var("SECRET_KEY")?,
    })
}

fn md5_hex(text: &str) -> String {
    Md5::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One line of SACD's answer.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LineAnswer {
    pub numero: String,
    pub statut: String,
    pub champ: Option<String>,
    pub message: Option<String>,
}

/// The answer to a declaration: a JSON error, or one status per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Error { code: String, message: String },
    Lines(Vec<LineAnswer>),
}

/// Reads SACD's answer body (JSON error or XML lines; one `Representation` or several).
pub fn parse_answer(body: &str) -> Result<Answer> {
    let trimmed = body.trim_start();
    if trimmed.starts_with('{') {
        let v: Value = serde_json::from_str(trimmed)
            .map_err(|e| anyhow!("SACD : réponse JSON illisible : {e}"))?;
        let error = &v["Error"];
        return Ok(Answer::Error {
            code: error["Code"].as_str().unwrap_or("?").to_string(),
            message: error["Message"].as_str().unwrap_or("").to_string(),
        });
    }
    let mut reader = Reader::from_str(trimmed);
    let mut lines = Vec::new();
    let mut current: Option<LineAnswer> = None;
    let mut tag = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).to_string();
                if name == "Representation" {
                    current = Some(LineAnswer::default());
                }
                tag = name;
            }
            Ok(Event::Text(t)) => {
                let text = t
                    .unescape()
                    .map_err(|e| anyhow!("SACD : réponse XML illisible : {e}"))?
                    .trim()
                    .to_string();
                if let Some(line) = current.as_mut() {
                    match tag.as_str() {
                        "numero" => line.numero = text,
                        "statut" => line.statut = text,
                        "champ" if !text.is_empty() => line.champ = Some(text),
                        "message" if !text.is_empty() => line.message = Some(text),
                        _ => {}
                    }
                }
            }
            Ok(Event::End(e)) => {
                if e.name().as_ref() == b"Representation" {
                    if let Some(line) = current.take() {
                        lines.push(line);
                    }
                }
                tag.clear();
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => bail!("SACD : réponse XML illisible : {e}"),
        }
    }
    if lines.is_empty() {
        bail!(
            "SACD : réponse sans ligne de représentation : {}",
            trimmed.chars().take(200).collect::<String>()
        );
    }
    Ok(Answer::Lines(lines))
}

/// `rep_ref_dec`, title and date of each `Representation` of the XML sent, in order, to name
/// a line of the answer (`numero` 1, 2, …).
fn sent_lines(xml: &str) -> Vec<(String, String, String)> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut current: Option<(String, String, String)> = None;
    let mut tag = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                tag = String::from_utf8_lossy(e.name().as_ref()).to_string();
                if tag == "Representation" {
                    current = Some(Default::default());
                }
            }
            Ok(Event::Text(t)) => {
                if let (Some(c), Ok(text)) = (current.as_mut(), t.unescape()) {
                    match tag.as_str() {
                        "rep_ref_dec" => c.0 = text.trim().to_string(),
                        "rep_titre" => c.1 = text.trim().to_string(),
                        "rep_date_debut" => c.2 = text.trim().to_string(),
                        _ => {}
                    }
                }
            }
            Ok(Event::End(e)) => {
                if e.name().as_ref() == b"Representation" {
                    out.extend(current.take());
                }
                // Indentation after a closing tag is not that element's text.
                tag.clear();
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

async fn deliver(ctx: &Context<'_>) -> Result<Delivery> {
    let channel = ctx
        .settings
        .sacd
        .as_ref()
        .ok_or_else(|| anyhow!("SACD : [channels.sacd] absent de la configuration"))?;
    let xml = ctx.row.payload["xml"]
        .as_str()
        .ok_or_else(|| anyhow!("SACD : XML absent de la file d'envoi"))?
        .to_string();
    let account = account(&channel.credentials_env)?;
    let base = &channel.base_url;
    let http = reqwest::Client::builder()
        .user_agent("Mozilla/5.0 (X11; Linux x86_64) releve")
        .connect_timeout(Duration::from_secs(15))
        .timeout(Duration::from_secs(120))
        .build()?;
    let transport = |e: reqwest::Error| anyhow!("SACD : serveur injoignable ({base}) : {e}");

    // Login.
    let login_form = [
        ("login[login]", account.reffile.as_str()),
        ("login[password]", &md5_hex(&account.password)),
        ("login[consumer_key]", account.consumer_key.as_str()),
    ];
    let login_record = json!({
        "url": format!("{base}/ticketing/auto-access.json"),
        "login[login]": account.reffile, "login[password]": "***", "login[consumer_key]": "***",
    })
    .to_string();
    let answer = http
        .post(format!("{base}/ticketing/auto-access.json"))
        .header("Accept", "application/json, text/plain, */*")
        .header("Accept-Language", "fr-FR,fr;q=0.9")
        .form(&login_form)
        .send()
        .await
        .map_err(transport)?;
    let status = answer.status();
    let text = answer.text().await.map_err(transport)?;
    let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let Some(auth_token) = value["AuthToken"].as_str().filter(|t| !t.is_empty()) else {
        let reason = match &value["Error"] {
            Value::Object(e) => format!(
                "{} {}",
                e.get("Code").and_then(Value::as_str).unwrap_or(""),
                e.get("Message").and_then(Value::as_str).unwrap_or("")
            ),
            _ => format!("HTTP {status}"),
        };
        ctx.exchange("login", &login_record, Some(&reason)).await?;
        bail!(
            "SACD : connexion du compte fournisseur refusée ({reason}). Vérifiez les variables {p}_REFFILE, {p}_PASSWORD et {p}_CONSUMER_KEY.",
            p = channel.credentials_env
        );
    };
    ctx.exchange("login", &login_record, Some("{\"AuthToken\":\"***\"}"))
        .await?;
    let token = md5_hex(&format!("{}{auth_token}", account.secret_key));
    let query = [
        ("key", account.consumer_key.as_str()),
        ("token", token.as_str()),
    ];

    // Declaration.
    let url = format!("{base}/ticketing/broker/ExploitFileTransmitETicketingDeclarationWS");
    let form = [
        ("parameters[Application]", account.provider_name.as_str()),
        ("parameters[LoginRefFile]", account.reffile.as_str()),
        ("parameters[Language]", "FR"),
        ("parameters[Declaration]", xml.as_str()),
    ];
    let record = json!({
        "url": format!("{url}?key=***&token=***"),
        "parameters[Application]": account.provider_name,
        "parameters[LoginRefFile]": account.reffile,
        "parameters[Language]": "FR",
        "parameters[Declaration]": xml,
    })
    .to_string();
    fault::point("before_request");
    let response = http
        .post(&url)
        .query(&query)
        .header("Accept", "application/json, text/plain, */*")
        .header("Accept-Language", "fr-FR,fr;q=0.9")
        .form(&form)
        .send()
        .await
        .map_err(transport)?;
    let status = response.status();
    let body = response.text().await.map_err(transport)?;
    fault::point("after_request");
    ctx.exchange("declaration", &record, Some(&body)).await?;
    // Logout: its failure changes nothing to what SACD received.
    let _ = http
        .get(format!("{base}/ticketing/logout"))
        .query(&query)
        .send()
        .await;
    if status.is_server_error() {
        bail!("SACD : le service a répondu HTTP {status} ; nouvel essai plus tard");
    }
    let outcome = parse_answer(&body)?;
    Ok(verdict(&outcome, &xml, &ctx.org.organisation.slug))
}

/// Accepted, rejected (with each KO line in French) or the JSON error explained.
pub fn verdict(answer: &Answer, xml: &str, org: &str) -> Delivery {
    match answer {
        Answer::Error { code, message } => {
            let reason = if code == "ERR_WS_DEC_REF" {
                format!(
                    "SACD : numéro de déclarant refusé ({code} : {message}). Vérifiez sacd_declarant_id de « {org} » \
                     et demandez à la SACD d'activer la télétransmission de billetterie pour ce déclarant."
                )
            } else {
                format!("SACD : déclaration refusée ({code} : {message})")
            };
            Delivery {
                outcome: Outcome::Rejected { reason },
                warnings: Vec::new(),
            }
        }
        Answer::Lines(lines) => {
            let sent = sent_lines(xml);
            let describe = |l: &LineAnswer| {
                let index = l
                    .numero
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| n.checked_sub(1));
                let what = match index.and_then(|i| sent.get(i)) {
                    Some((reference, title, date)) => {
                        format!("« {title} » du {date} ({reference})")
                    }
                    None => format!("n°{}", l.numero),
                };
                let field = l
                    .champ
                    .as_deref()
                    .map(|c| format!(", champ {c}"))
                    .unwrap_or_default();
                let message = l.message.as_deref().unwrap_or("sans message");
                format!("représentation {what}{field} : {message}")
            };
            let ko: Vec<String> = lines
                .iter()
                .filter(|l| l.statut == "KO")
                .map(describe)
                .collect();
            let warnings: Vec<String> = lines
                .iter()
                .filter(|l| l.statut == "WARNING")
                .map(|l| format!("SACD : {}", describe(l)))
                .collect();
            let n = lines.len();
            let outcome = if ko.is_empty() {
                Outcome::Accepted {
                    receipt: format!(
                        "SACD : {n} représentation{s} reçue{s}{w}",
                        s = if n > 1 { "s" } else { "" },
                        w = if warnings.is_empty() {
                            String::new()
                        } else {
                            format!(", dont {} avec avertissement", warnings.len())
                        }
                    ),
                }
            } else {
                Outcome::Rejected {
                    reason: format!(
                        "SACD : {} ligne{} refusée{} sur {n} :\n      - {}",
                        ko.len(),
                        if ko.len() > 1 { "s" } else { "" },
                        if ko.len() > 1 { "s" } else { "" },
                        ko.join("\n      - ")
                    ),
                }
            };
            Delivery { outcome, warnings }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Indented like the rendered sacd.xml: the text after a closing tag is not its value.
    const XML: &str = "<Declaration>\n  <Representations>\n    <Representation>\n      \
        <rep_ref_dec>A1</rep_ref_dec>\n      <rep_titre>Les Vagues</rep_titre>\n      \
        <rep_date_debut>2025/11/14</rep_date_debut>\n    </Representation>\n    <Representation>\n      \
        <rep_ref_dec>B2</rep_ref_dec>\n      <rep_titre>Nuit Jazz</rep_titre>\n      \
        <rep_date_debut>2025/11/30</rep_date_debut>\n    </Representation>\n  </Representations>\n</Declaration>";

    #[test]
    fn md5_is_the_hex_digest() {
        // RFC 1321 test suite: MD5("abc").
        assert_eq!(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
    }

    #[test]
    fn one_representation_or_several_read_alike() {
        let one = "<?xml version=\"1.0\"?><Declaration><Header><dec_ref>654321</dec_ref><dec_nb>1</dec_nb>\
            <sacd_date>2025/12/05</sacd_date></Header><Representations><Representation><numero>1</numero>\
            <statut>OK</statut></Representation></Representations></Declaration>";
        let Answer::Lines(lines) = parse_answer(one).unwrap() else {
            panic!("lines expected")
        };
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].statut, "OK");
        let two = "<Declaration><Representations>\
            <Representation><numero>1</numero><statut>WARNING</statut><champ>salle_jauge</champ><message>Jauge absente</message></Representation>\
            <Representation><numero>2</numero><statut>KO</statut><champ>rep_mt_billets</champ><message>Montant négatif</message></Representation>\
            </Representations></Declaration>";
        let answer = parse_answer(two).unwrap();
        let d = verdict(&answer, XML, "venue");
        let Outcome::Rejected { reason } = &d.outcome else {
            panic!("a KO line rejects: {:?}", d.outcome)
        };
        assert_eq!(
            reason,
            "SACD : 1 ligne refusée sur 2 :\n      - représentation « Nuit Jazz » du 2025/11/30 (B2), champ rep_mt_billets : Montant négatif"
        );
        assert_eq!(
            d.warnings,
            vec!["SACD : représentation « Les Vagues » du 2025/11/14 (A1), champ salle_jauge : Jauge absente".to_string()]
        );
    }

    #[test]
    fn a_json_error_on_http_200_is_a_refusal_with_what_to_do() {
        let answer =
            parse_answer(r#"{"Error":{"Code":"ERR_WS_DEC_REF","Message":"Bad dec_ref"}}"#).unwrap();
        let d = verdict(&answer, XML, "venue");
        let Outcome::Rejected { reason } = d.outcome else {
            panic!()
        };
        assert!(
            reason.contains("sacd_declarant_id de « venue »"),
            "{reason}"
        );
        assert!(reason.contains("activer la télétransmission"), "{reason}");
    }
}
