//! The `.ics` feed of an organisation's deadlines (issue 11): in the workspace at
//! `/o/{org}/echeances.ics` (signed in, any role: the dashboard links it), and for calendar
//! applications at `GET /api/v1/organisations/{org}/deadlines.ics` with a `read` token
//! (`Authorization: Bearer`, formats.md §6). Both serve [`feed`]: the same bytes for the same
//! versions and clock.

use crate::config::OrganisationConfig;
use crate::reminders::{deadlines, ics};
use crate::server::access::{self, Action};
use crate::server::error::PageError;
use crate::server::extract::SignedIn;
use crate::server::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use releve_store::StoreError;

/// The feed of one organisation, from the stored versions and the server's clock.
pub async fn feed(state: &AppState, org: &OrganisationConfig) -> Result<String, StoreError> {
    let slug = &org.organisation.slug;
    let versions = state.store().versions(slug, None, None).await?;
    let list = deadlines::of_versions(&versions);
    Ok(ics::render(&ics::Feed {
        org_slug: slug,
        org_name: &org.organisation.name,
        deadlines: &list,
        alarm_days: state.config().reminders.days_before.first().copied(),
        public_url: state.config().server.public_url.as_deref(),
        now: state.now(),
    }))
}

/// The answer carrying a feed.
pub fn calendar_response(slug: &str, text: String) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{slug}-echeances.ics\""),
            ),
        ],
        text,
    )
        .into_response()
}

pub async fn page(
    State(state): State<AppState>,
    user: SignedIn,
    Path(org): Path<String>,
) -> Result<Response, PageError> {
    let config = access::organisation(&state, &user.caller(), &org, Action::Read)?;
    let text = feed(&state, config).await?;
    Ok(calendar_response(&org, text))
}
