//! The two cookies of the workspace: the session (`releve_session`, `HttpOnly`,
//! `SameSite=Lax`, `Secure` when the public address is https) and the sign-in form's CSRF
//! token (`releve_csrf`, double-submit: the form carries the same value).

use axum::http::{header, HeaderMap, HeaderValue};

pub const SESSION: &str = "releve_session";
pub const LOGIN_CSRF: &str = "releve_csrf";

/// The value of cookie `name` in the request, if any.
pub fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value; `max_age` 0 deletes the cookie.
pub fn set(name: &str, value: &str, max_age_seconds: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_cookie_among_several() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; releve_session=xyz; b=2"),
        );
        assert_eq!(get(&headers, SESSION), Some("xyz"));
        assert_eq!(get(&headers, "c"), None);
        let v = set(SESSION, "t", 3600, true);
        assert_eq!(
            v.to_str().unwrap(),
            "releve_session=t; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600; Secure"
        );
    }
}
