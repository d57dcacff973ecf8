//! *Tableau de bord* (`/`): the organisations the person belongs to, with their roles, the
//! latest version of each declaration and the next deadlines across months; each links to the
//! organisation's month page (`month.rs`), which has a card per body.

use crate::server::access::{self, Action};
use crate::server::error::PageError;
use crate::server::extract::SignedIn;
use crate::server::pages::{base_context, render};
use crate::server::AppState;
use axum::extract::State;
use axum::response::Html;
use serde_json::json;

pub async fn page(
    State(state): State<AppState>,
    user: SignedIn,
) -> Result<Html<String>, PageError> {
    let caller = user.caller();
    let mut cards = Vec::new();
    for org in access::readable_organisations(&state, &caller) {
        let slug = &org.organisation.slug;
        access::organisation(&state, &caller, slug, Action::Read)?;
        let roles: Vec<&str> = caller.roles_in(slug).iter().map(|r| r.label_fr()).collect();
        let versions = state.store().versions(slug, None, None).await?;
        let mut latest: Vec<serde_json::Value> = Vec::new();
        for v in versions.iter().rev() {
            if latest
                .iter()
                .any(|l| l["body"] == v.body.as_str() && l["month"] == v.month.to_string())
            {
                continue;
            }
            latest.push(json!({
                "body": v.body, "month": v.month.to_string(), "number": v.number,
                "status": v.status.label_fr(),
            }));
        }
        let today = super::month::today(&state);
        let deadlines = super::month::next_deadlines(slug, &versions, today);
        let latest_month = versions
            .iter()
            .map(|v| v.month)
            .max()
            .map(|m| m.to_string());
        cards.push(json!({
            "slug": slug, "name": org.organisation.name, "roles": roles.join(", "),
            "versions": latest, "deadlines": deadlines, "latest_month": latest_month,
        }));
    }
    let mut context = base_context(&state, &user);
    context.insert("cards", &cards);
    render(&state, "dashboard.html", &context)
}
