//! Secrets never leave the process: query parameters that carry keys or tokens are masked
//! before a URL is logged or stored, and known secret values are masked in any text.

use reqwest::Url;

/// Query parameters whose value is a secret for at least one vendor (Billetweb `user`/`key`,
/// Shotgun `key`/`token`, Weezevent `api_key`/`access_token`, OAuth fields).
pub const SECRET_PARAMS: [&str; 11] = [
    "user",
    "key",
    "token",
    "api_key",
    "access_token",
    "refresh_token",
    "client_id",
    "client_secret",
    "password",
    "username",
    "secret",
];

pub const MASK: &str = "***";

/// The URL with every secret query value replaced by `***`.
pub fn scrub_url(url: &Url) -> String {
    let mut clean = url.clone();
    clean.set_password(None).ok();
    let _ = clean.set_username("");
    if url.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let secret = SECRET_PARAMS.iter().any(|s| k.eq_ignore_ascii_case(s));
                (
                    k.into_owned(),
                    if secret {
                        MASK.to_string()
                    } else {
                        v.into_owned()
                    },
                )
            })
            .collect();
        clean.query_pairs_mut().clear().extend_pairs(pairs);
    }
    // Keep the mask readable (`***` rather than `%2A%2A%2A`).
    clean.to_string().replace("%2A%2A%2A", MASK)
}

/// `text` with every occurrence of each non-empty secret replaced by `***`.
pub fn scrub_text(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_string();
    for s in secrets.iter().filter(|s| s.len() >= 4) {
        out = out.replace(s, MASK);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keys_and_tokens_but_keeps_paging() {
        let url =
            Url::parse("https://www.billetweb.fr/api/events?user=42&key=s3cr3t&version=1&past=1")
                .unwrap();
        assert_eq!(
            scrub_url(&url),
            "https://www.billetweb.fr/api/events?user=***&key=***&version=1&past=1"
        );
        let url = Url::parse("https://x.test/a?Access_Token=abc&page=2").unwrap();
        assert_eq!(scrub_url(&url), "https://x.test/a?Access_Token=***&page=2");
        assert_eq!(
            scrub_url(&Url::parse("https://x.test/a").unwrap()),
            "https://x.test/a"
        );
    }

    #[test]
    fn masks_secret_values_in_text() {
        assert_eq!(
            scrub_text("token=abcdef in body abcdef", &["abcdef", ""]),
            "token=*** in body ***"
        );
    }
}
