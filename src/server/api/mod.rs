//! The JSON API of formats.md §6 (`/api/v1`), one module per area. Every route takes an
//! [`ApiCaller`](crate::server::extract::ApiCaller) and asks
//! [`access`](crate::server::access) for the organisation, funder or Ministry view it serves;
//! errors are [`ApiError`](crate::server::error::ApiError)s with the body of §6.

mod calendar;
mod corrections;
pub mod documents;
pub mod funders;
pub mod json_body;
mod ministry;
pub mod months;
mod openapi;
pub mod organisations;
pub mod protection;
mod runs;
mod tickets;

use crate::server::error::ApiError;
use crate::server::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/organisations", get(organisations::list))
        .route("/organisations/:org/months/:month", get(months::month))
        .route(
            "/organisations/:org/months/:month/aggregates",
            get(months::aggregates),
        )
        .route(
            "/organisations/:org/months/:month/issues",
            get(months::issues),
        )
        .route(
            "/organisations/:org/months/:month/indicators",
            get(months::indicators),
        )
        .route(
            "/organisations/:org/months/:month/declarations/:body",
            get(months::declaration),
        )
        .route("/organisations/:org/tickets", post(tickets::push))
        .route(
            "/organisations/:org/deadlines.ics",
            get(calendar::deadlines),
        )
        .route("/ministry/sibil", get(ministry::sibil))
        .route(
            "/funders/:funder/organisations",
            get(funders::organisations),
        )
        .route("/funders/:funder/indicators", get(funders::indicators))
        .route("/organisations/:org/runs", post(runs::create))
        .route("/runs/:run_id", get(runs::show))
        .route(
            "/organisations/:org/corrections",
            get(corrections::list).post(corrections::create),
        )
        .fallback(unknown_route)
}

async fn unknown_route() -> ApiError {
    ApiError::not_found()
}
