//! `GET /api/v1/ministry/sibil?quarter=YYYY-Qn[&cursor=…]` (scope `ministry`): the SIBIL
//! declarations of every organisation with `share_with_ministry = true`, for one quarter, from
//! approved or sent versions only (never a draft; a rejected version is not the figures
//! either). Nothing of the other organisations appears, not even their names: `access`
//! gives only the sharing ones.
//!
//! Pages hold at most [`PAGE`] organisations, sorted by slug; `next_cursor` is the last slug of
//! the page (`null` on the last page) and `cursor=` asks for the organisations after it.

use crate::server::access;
use crate::server::error::ApiError;
use crate::server::extract::ApiCaller;
use crate::server::AppState;
use axum::extract::{Query, State};
use axum::Json;
use releve_declarations::Body;
use releve_domain::{Month, Quarter};
use releve_store::VersionStatus;
use serde::Deserialize;
use serde_json::{json, Value};

/// Organisations per page.
pub const PAGE: usize = 100;

#[derive(Debug, Deserialize)]
pub struct SibilQuery {
    pub quarter: Option<String>,
    pub cursor: Option<String>,
}

pub fn parse_quarter(text: &str) -> Option<Quarter> {
    let (year, q) = text.trim().split_once("-Q")?;
    let year: i32 = year.parse().ok()?;
    let q: u32 = q.parse().ok()?;
    if !(1..=4).contains(&q) || !(2000..=2200).contains(&year) {
        return None;
    }
    Some(Month::new(year, (q - 1) * 3 + 1)?.quarter())
}

pub async fn sibil(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    Query(query): Query<SibilQuery>,
) -> Result<Json<Value>, ApiError> {
    let mut organisations = access::ministry_organisations(&state, &caller)?;
    let text = query.quarter.as_deref().unwrap_or_default();
    let quarter = parse_quarter(text).ok_or_else(|| {
        ApiError::invalid(format!(
            "paramètre quarter « {text} » invalide : attendu AAAA-Qn, par exemple quarter=2025-Q4"
        ))
    })?;
    organisations.sort_by(|a, b| a.organisation.slug.cmp(&b.organisation.slug));
    let slugs: Vec<&str> = organisations
        .iter()
        .map(|o| o.organisation.slug.as_str())
        .collect();
    let (range, next_cursor) = paginate(&slugs, query.cursor.as_deref(), PAGE);
    let mut items = Vec::with_capacity(range.len());
    for org in &organisations[range] {
        let slug = org.organisation.slug.as_str();
        let mut declarations = Vec::new();
        for month in quarter.months() {
            let versions = state
                .store()
                .versions(slug, Some(Body::Sibil.code()), Some(month))
                .await?;
            let shared = versions
                .iter()
                .filter(|v| {
                    matches!(
                        v.status,
                        VersionStatus::Approved
                            | VersionStatus::Submitted
                            | VersionStatus::Accepted
                    )
                })
                .max_by_key(|v| v.number);
            if let Some(v) = shared {
                if let Some(list) = v.model["declarations"].as_array() {
                    declarations.extend(list.iter().cloned());
                }
            }
        }
        items.push(json!({
            "slug": slug,
            "siret": org.organisation.siret.as_str(),
            "declarations": declarations,
        }));
    }
    Ok(Json(json!({
        "quarter": quarter.to_string(),
        "organisations": items,
        "next_cursor": next_cursor,
    })))
}

/// The positions of the page after `cursor` in sorted `slugs`, and the next page's cursor.
fn paginate(
    slugs: &[&str],
    cursor: Option<&str>,
    size: usize,
) -> (std::ops::Range<usize>, Option<String>) {
    let after = cursor.map(str::trim).filter(|c| !c.is_empty());
    let start = match after {
        Some(c) => slugs.iter().position(|s| *s > c).unwrap_or(slugs.len()),
        None => 0,
    };
    let end = (start + size).min(slugs.len());
    let next = (end < slugs.len() && end > start).then(|| slugs[end - 1].to_string());
    (start..end, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_follow_the_cursor_to_the_end() {
        let slugs = ["a", "b", "c", "d", "e"];
        assert_eq!(paginate(&slugs, None, 2), (0..2, Some("b".to_string())));
        assert_eq!(
            paginate(&slugs, Some("b"), 2),
            (2..4, Some("d".to_string()))
        );
        assert_eq!(paginate(&slugs, Some("d"), 2), (4..5, None));
        assert_eq!(paginate(&slugs, Some("e"), 2), (5..5, None));
        // A cursor between slugs (an organisation removed meanwhile) still moves on.
        assert_eq!(
            paginate(&slugs, Some("bb"), 2),
            (2..4, Some("d".to_string()))
        );
        assert_eq!(paginate(&slugs[..2], None, 2), (0..2, None));
    }

    #[test]
    fn quarters_read_as_the_contract_writes_them() {
        assert_eq!(
            parse_quarter("2025-Q4").map(|q| q.to_string()).as_deref(),
            Some("2025-Q4")
        );
        assert_eq!(
            parse_quarter("2026-Q1").unwrap().first_month().to_string(),
            "2026-01"
        );
        for bad in ["2025-Q5", "2025-Q0", "2025Q4", "T4-2025", ""] {
            assert!(parse_quarter(bad).is_none(), "{bad}");
        }
    }
}
