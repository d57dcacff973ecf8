//! JSON request bodies: read from the raw bytes so that every malformed body is a `422` with
//! the error body of formats.md §6 and a French message (axum's own extractor answers 400/415
//! in plain text). The body itself is never logged.

use crate::server::error::ApiError;
use serde::de::DeserializeOwned;

/// Parses a JSON body, naming the path of the first wrong field (`tickets[3].price_incl_vat`).
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::invalid(
            "corps de requête vide : envoyez un objet JSON (Content-Type: application/json)",
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let what = if inner.is_syntax() || inner.is_eof() {
            format!(
                "JSON illisible (ligne {}, colonne {})",
                inner.line(),
                inner.column()
            )
        } else {
            french_data_error(&inner.to_string())
        };
        if path.is_empty() || path == "." {
            ApiError::invalid(format!("corps de requête invalide : {what}"))
        } else {
            ApiError::invalid(format!(
                "corps de requête invalide, champ « {path} » : {what}"
            ))
        }
    })?;
    // One JSON value and nothing after it: `{…}garbage` or two objects in a row are refused,
    // not read as their first value (found by the push's mutation run).
    deserializer.end().map_err(|e| {
        ApiError::invalid(format!(
            "corps de requête invalide : texte après la fin du JSON (ligne {}, colonne {}) ; \
             envoyez un seul objet JSON",
            e.line(),
            e.column()
        ))
    })?;
    Ok(value)
}

/// serde's data errors are English; say the same in French, keeping the field names.
fn french_data_error(english: &str) -> String {
    let quoted = english
        .split('`')
        .nth(1)
        .map(|name| format!(" « {name} »"))
        .unwrap_or_default();
    if english.starts_with("missing field") {
        format!("champ obligatoire{quoted} manquant")
    } else if english.starts_with("unknown field") {
        format!("champ{quoted} inconnu")
    } else if english.starts_with("invalid type") {
        "type de valeur inattendu (les montants et les valeurs sont des chaînes : \"18.50\", \"300\")"
            .to_string()
    } else {
        "valeur inattendue".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Body {
        field: String,
        #[serde(default)]
        items: Vec<Item>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Item {
        price: String,
    }

    #[test]
    fn errors_are_422_in_french_with_the_path() {
        let e = parse::<Body>(b"").unwrap_err();
        assert_eq!(e.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
        assert!(e.message.contains("vide"), "{}", e.message);
        let e = parse::<Body>(b"{\"field\": ").unwrap_err();
        assert!(e.message.contains("JSON illisible"), "{}", e.message);
        let e = parse::<Body>(b"{}").unwrap_err();
        assert!(
            e.message.contains("champ obligatoire « field » manquant"),
            "{}",
            e.message
        );
        let e = parse::<Body>(br#"{"field": "x", "items": [{"price": "1"}, {"price": 2}]}"#)
            .unwrap_err();
        assert!(e.message.contains("items[1].price"), "{}", e.message);
        assert!(
            e.message.contains("type de valeur inattendu"),
            "{}",
            e.message
        );
        let e = parse::<Body>(br#"{"field": "x"}]garbage"#).unwrap_err();
        assert_eq!(e.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            e.message,
            "corps de requête invalide : texte après la fin du JSON (ligne 1, colonne 15) ; \
             envoyez un seul objet JSON"
        );
        assert!(parse::<Body>(b"{\"field\": \"x\"}\n  ").is_ok());
    }
}
