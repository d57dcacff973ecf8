//! Signing in and out. The sign-in form is protected by a double-submit CSRF token (a cookie
//! and a hidden field with the same random value); attempts are throttled per account and per
//! client address; a successful sign-in opens a session stored in the database (only the
//! hash of its token) for 12 hours.

use crate::server::cookies;
use crate::server::error::PageError;
use crate::server::extract::{ClientAddress, SignedIn};
use crate::server::secrets::{random_hex, same_token, token_hash, verify_password_queued};
use crate::server::AppState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Duration;
use serde::Deserialize;

const SESSION_HOURS: i64 = 12;

#[derive(Deserialize)]
pub struct Next {
    #[serde(default)]
    suite: Option<String>,
}

/// Only local paths are followed after sign-in (never another site).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_string(),
        _ => "/".to_string(),
    }
}

pub async fn form(
    State(state): State<AppState>,
    Query(next): Query<Next>,
) -> Result<Response, PageError> {
    show_form(&state, next.suite.as_deref(), None, StatusCode::OK)
}

fn show_form(
    state: &AppState,
    next: Option<&str>,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let csrf = random_hex(16)?;
    let mut context = tera::Context::new();
    context.insert("csrf_token", &csrf);
    context.insert("next", &safe_next(next));
    context.insert("error", &error);
    let html = state.templates().render("login.html", &context)?;
    let cookie = cookies::set(cookies::LOGIN_CSRF, &csrf, 3600, state.secure_cookies());
    Ok((
        status,
        [(header::SET_COOKIE, cookie)],
        axum::response::Html(html),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct Credentials {
    email: String,
    password: String,
    csrf: String,
    #[serde(default)]
    suite: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<Credentials>,
) -> Result<Response, PageError> {
    let expected = cookies::get(&headers, cookies::LOGIN_CSRF).unwrap_or_default();
    if expected.is_empty() || !same_token(expected, &form.csrf) {
        return Err(PageError::BadForm);
    }
    let email = releve_store::normalise_email(&form.email);
    let now = state.now();
    if !state.throttle().allows(&email, &client, now) {
        tracing::warn!("sign-in throttled");
        return Err(PageError::TooManyAttempts);
    }
    let user = state.store().user_by_email(&email).await?;
    let valid = match &user {
        Some(u) => verify_password_queued(&form.password, &u.password_hash).await,
        None => {
            // Same work whether or not the account exists, so that timing tells nothing.
            let _ = verify_password_queued(&form.password, dummy_hash()).await;
            false
        }
    };
    let Some(user) = user.filter(|_| valid) else {
        state.throttle().failed(&email, &client, now);
        return show_form(
            &state,
            form.suite.as_deref(),
            Some("Adresse e-mail ou mot de passe incorrect."),
            StatusCode::UNAUTHORIZED,
        );
    };
    state.throttle().succeeded(&email);
    let token = random_hex(32)?;
    let csrf = random_hex(16)?;
    state
        .store()
        .create_session(
            &token_hash(&token),
            user.id,
            &csrf,
            now,
            now + Duration::hours(SESSION_HOURS),
        )
        .await?;
    tracing::info!(user_id = user.id, "signed in");
    let cookie = cookies::set(
        cookies::SESSION,
        &token,
        SESSION_HOURS * 3600,
        state.secure_cookies(),
    );
    let clear = cookies::set(cookies::LOGIN_CSRF, "", 0, state.secure_cookies());
    let mut response = Redirect::to(&safe_next(form.suite.as_deref())).into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response.headers_mut().append(header::SET_COOKIE, clear);
    Ok(response)
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    user: SignedIn,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    user.check_csrf(&form.csrf)?;
    state.store().delete_session(&user.0.session_hash).await?;
    let clear = cookies::set(cookies::SESSION, "", 0, state.secure_cookies());
    let mut response = Redirect::to("/connexion").into_response();
    response.headers_mut().append(header::SET_COOKIE, clear);
    Ok(response)
}

/// An argon2id hash of a random password, checked when the account does not exist.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        random_hex(16)
            .and_then(|p| crate::server::secrets::hash_password(&p))
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/o/venue")), "/o/venue");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
