//! Shotgun: normaliser unit tests and the compliance suite on the replay server.
//! Fixtures: `collectors/testdata/shotgun/` (bodies shaped like the Smartboard API's).

use super::normalise::{normalise, parse_time, status, UNKNOWN_VENUE};
use crate::api::compliance::suite::ScenarioFn;
use crate::api::testing::*;
use crate::api::{normalise_stored, ApiError, RawExchange, Scenario};
use crate::http::HttpError;
use crate::replay::{ReplayServer, Reply, Route, Script};
use crate::{Record, SourceKind};
use releve_domain::{Month, PriceKind, TicketStatus, VatRate};
use std::time::Duration;

pub(crate) const SUITE: &[(Scenario, ScenarioFn)] = &[
    (Scenario::BasicMonth, || Box::pin(basic_month())),
    (Scenario::SeveralPages, || Box::pin(several_pages())),
    (Scenario::RefundAfterFirstSync, || {
        Box::pin(refund_after_first_sync())
    }),
    (Scenario::FreeTicketsAndInvitations, || {
        Box::pin(free_tickets_and_invitations())
    }),
    (Scenario::MixedVatRates, || Box::pin(mixed_vat_rates())),
    (Scenario::LateNightLastDayOfMonth, || {
        Box::pin(late_night_last_day_of_month())
    }),
    (Scenario::Unauthorized, || Box::pin(unauthorized())),
    (Scenario::RateLimitedThenSuccess, || {
        Box::pin(rate_limited_then_success())
    }),
    (Scenario::ServerErrorThenSuccess, || {
        Box::pin(server_error_then_success())
    }),
    (Scenario::MalformedBody, || Box::pin(malformed_body())),
];

macro_rules! fx {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/shotgun/",
            $name
        ))
    };
}

const ORGANIZER: &str = "12345";
/// A JWT issued 2025-10-09 (`iat` 1760000000): sent as `key`.
const TOKEN: &str =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3NjAwMDAwMDAsIm9yZ2FuaXplcl9pZCI6MTIzNDV9.c2ln";
/// A JWT issued 2023-11-14 (`iat` 1700000000): sent as `token`.
const OLD_TOKEN: &str =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpYXQiOjE3MDAwMDAwMDAsIm9yZ2FuaXplcl9pZCI6MTIzNDV9.c2ln";
const TICKETS_PATH: &str = "/api/shotgun/tickets/sold";
const EVENTS_PATH: &str = "/api/shotgun/organizers/12345/events";

fn creds() -> std::collections::BTreeMap<String, String> {
    env(&[("ORGANIZER_ID", ORGANIZER), ("TOKEN", TOKEN)])
}

fn authed(route: Route) -> Route {
    route.query("organizer_id", ORGANIZER).query("key", TOKEN)
}

fn ok(body: &str) -> Reply {
    Reply::json(200, body)
}

/// The change feed: one route per cursor value.
fn changes(script: Script, pages: Vec<(&str, Vec<Reply>)>) -> Script {
    pages.into_iter().fold(script, |s, (cursor, replies)| {
        let route = authed(Route::get(TICKETS_PATH))
            .query("after", "*")
            .query("before", "*")
            .query("cursor", cursor);
        s.route(replies.into_iter().fold(route, Route::reply))
    })
}

/// The full listing of one event: one route per cursor value.
fn event_tickets(script: Script, event: &str, pages: Vec<(&str, Vec<Reply>)>) -> Script {
    pages.into_iter().fold(script, |s, (cursor, replies)| {
        let route = authed(Route::get(TICKETS_PATH))
            .query("event_id", event)
            .query("cursor", cursor)
            .without("after");
        s.route(replies.into_iter().fold(route, Route::reply))
    })
}

fn events(script: Script, future: &str, past: Option<&str>) -> Script {
    let mut s = script.route(
        authed(Route::get(EVENTS_PATH))
            .query("page", "0")
            .query("limit", "50")
            .without("past_events")
            .reply(ok(future)),
    );
    if let Some(p) = past {
        s = s.route(
            authed(Route::get(EVENTS_PATH))
                .query("page", "0")
                .query("past_events", "true")
                .reply(ok(p)),
        );
    }
    s
}

/// Release party (event 400100), basic fixtures, with the given answers.
fn release_party(change_replies: Vec<Reply>, event_replies: Vec<Reply>) -> Script {
    let s = changes(Script::new(), vec![("true", change_replies)]);
    let s = events(s, fx!("events-future.json"), None);
    event_tickets(s, "400100", vec![("true", event_replies)])
}

async fn start(script: Script) -> (ReplayServer, crate::SourceSpec) {
    let server = ReplayServer::start(script).await.unwrap();
    let spec = spec(
        SourceKind::Shotgun,
        &format!("{}/api/shotgun", server.base_url()),
    );
    (server, spec)
}

fn prices(records: &[Record]) -> Vec<String> {
    tickets(records)
        .iter()
        .map(|t| t.price_incl_vat.to_string())
        .collect()
}

async fn basic_month() {
    let (server, spec) = start(release_party(
        vec![ok(fx!("basic-changes.json"))],
        vec![ok(fx!("basic-event-400100.json"))],
    ))
    .await;
    let now = utc(2026, 3, 1, 3, 0);
    let (outcome, sleeper) = run_sync(&spec, &creds(), None, now).await;
    let outcome = outcome.unwrap();
    // The answers just recorded, mutated and normalised again (robustness/vendors.rs).
    crate::robustness::mutate_vendor_answers(SourceKind::Shotgun, &outcome.raw);
    assert!(sleeper.delays().is_empty());
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    // First sync: 13 months back, up to now, first page of the cursor.
    assert_eq!(
        reqs[0].query_value("after"),
        Some("2025-02-01T03:00:00.000Z")
    );
    assert_eq!(
        reqs[0].query_value("before"),
        Some("2026-03-01T03:00:00.000Z")
    );
    assert_eq!(reqs[0].query_value("cursor"), Some("true"));
    assert_eq!(reqs[0].query_value("token"), None);
    assert_eq!(outcome.raw.len(), 3);
    assert_scrubbed(&outcome.raw, &[TOKEN]);
    assert!(outcome.raw[0].request.contains("key=***"));
    let records = &outcome.records;
    assert_eq!(quarantined(records), 0);
    let perfs = performances(records);
    assert_eq!(perfs.len(), 1);
    assert_eq!(perfs[0].external_id, "400100");
    assert_eq!(perfs[0].show_id, "400100");
    assert_eq!(perfs[0].show_title, "Release party");
    // 22:00 UTC = 23:00 Paris (UTC+1 in February).
    assert_eq!(perfs[0].starts_at, utc(2026, 2, 14, 22, 0));
    assert_eq!(perfs[0].venue.name, UNKNOWN_VENUE);
    assert_eq!((perfs[0].capacity, perfs[0].cancelled), (None, false));
    let t = tickets(records);
    // The full re-read also brings 70000000, sold before the window.
    let ids: Vec<&str> = t.iter().map(|t| t.ticket_id.as_str()).collect();
    assert_eq!(ids, ["70000000", "70000001", "70000002", "70000003"]);
    assert_eq!(prices(records), ["15.00", "15.00", "15.00", "20.00"]);
    assert!(t
        .iter()
        .all(|t| t.vat_rate == VatRate::parse("5.5").unwrap()
            && t.status == TicketStatus::Valid
            && t.performance_external_id == "400100"));
    assert_eq!(t[0].sold_at, Some(utc(2025, 12, 20, 10, 0)));
    assert_eq!(t[0].price_category.as_deref(), Some("Early bird"));
    assert_eq!(t[0].price_kind, Some(PriceKind::Other));
    assert_eq!(t[3].price_kind, Some(PriceKind::Full));
    let f = facts(records, Month::new(2026, 2).unwrap());
    let p = &f.performances[0];
    // 15 × 3 + 20 = 65.00; excl. VAT round(65 / 1.055) = round(61.6113…) = 61.61.
    assert_eq!(p.paid_tickets, 4);
    assert_eq!(p.receipts_incl_vat.to_string(), "65.00");
    assert_eq!(p.receipts_excl_vat.to_string(), "61.61");
}

async fn several_pages() {
    let s = changes(
        Script::new(),
        vec![
            ("true", vec![ok(fx!("pages-changes-1.json"))]),
            ("70000002", vec![ok(fx!("pages-changes-2.json"))]),
            ("70000101", vec![ok(fx!("pages-changes-3.json"))]),
        ],
    );
    // 400300 is a past event: not in the future list, found with past_events=true.
    let s = events(s, fx!("events-future.json"), Some(fx!("events-past.json")));
    let s = event_tickets(
        s,
        "400100",
        vec![
            ("true", vec![ok(fx!("pages-event-400100-1.json"))]),
            ("70000001", vec![ok(fx!("pages-event-400100-2.json"))]),
        ],
    );
    let s = event_tickets(
        s,
        "400300",
        vec![("true", vec![ok(fx!("pages-event-400300.json"))])],
    );
    let (server, spec) = start(s).await;
    let (outcome, _) = run_sync(&spec, &creds(), None, utc(2026, 3, 1, 3, 0)).await;
    let outcome = outcome.unwrap();
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());
    // 3 change pages + 2 event pages + 2 + 1 pages of full listings.
    assert_eq!(server.requests().len(), 8);
    let cursors: Vec<String> = server
        .requests()
        .iter()
        .filter(|r| r.query_value("after").is_some())
        .map(|r| r.query_value("cursor").unwrap().to_string())
        .collect();
    assert_eq!(cursors, ["true", "70000002", "70000101"]);
    let perfs = performances(&outcome.records);
    let ids: Vec<&str> = perfs.iter().map(|p| p.external_id.as_str()).collect();
    assert_eq!(ids, ["400100", "400300"]);
    assert_eq!(perfs[1].starts_at, utc(2025, 12, 20, 21, 0));
    assert_eq!(tickets(&outcome.records).len(), 6);
    // December: 2 × 9.99 = 19.98.
    let dec = facts(&outcome.records, Month::new(2025, 12).unwrap());
    assert_eq!(dec.performances[0].receipts_incl_vat.to_string(), "19.98");
    let feb = facts(&outcome.records, Month::new(2026, 2).unwrap());
    assert_eq!(feb.performances[0].receipts_incl_vat.to_string(), "65.00");
}

async fn refund_after_first_sync() {
    let (server, spec) = start(release_party(
        vec![
            ok(fx!("basic-changes.json")),
            ok(fx!("refund-changes-2.json")),
        ],
        vec![
            ok(fx!("basic-event-400100.json")),
            ok(fx!("refund-event-400100-2.json")),
        ],
    ))
    .await;
    let first_now = utc(2026, 2, 1, 3, 0);
    let (first, _) = run_sync(&spec, &creds(), None, first_now).await;
    let first = first.unwrap();
    assert!(tickets(&first.records)
        .iter()
        .all(|t| t.status == TicketStatus::Valid));
    let (second, _) = run_sync(&spec, &creds(), Some(first.cursor), utc(2026, 3, 1, 3, 0)).await;
    let second = second.unwrap();
    // The second sync starts at the first one's cursor.
    let after: Vec<String> = server
        .requests()
        .iter()
        .filter_map(|r| r.query_value("after").map(str::to_string))
        .collect();
    assert_eq!(
        after,
        ["2025-01-01T03:00:00.000Z", "2026-02-01T03:00:00.000Z"]
    );
    let t = tickets(&second.records);
    let status_of = |id: &str| t.iter().find(|t| t.ticket_id == id).unwrap().status;
    assert_eq!(status_of("70000002"), TicketStatus::Refunded);
    assert_eq!(status_of("70000004"), TicketStatus::Cancelled); // resold
    assert_eq!(status_of("70000005"), TicketStatus::Valid);
    // Re-normalising everything stored gives the latest state of each ticket.
    let all: Vec<RawExchange> = first.raw.iter().chain(&second.raw).cloned().collect();
    let again = normalise_stored(SourceKind::Shotgun, "shotgun", &all);
    assert_eq!(tickets(&again), t);
    // Valid: 15 + 15 (70000000, 70000001) + 20 + 20 (70000003, 70000005) = 70.00.
    let f = facts(&again, Month::new(2026, 2).unwrap());
    assert_eq!(f.performances[0].paid_tickets, 4);
    assert_eq!(f.performances[0].receipts_incl_vat.to_string(), "70.00");
}

async fn free_tickets_and_invitations() {
    let (_server, spec) = start(release_party(
        vec![ok(fx!("free-changes.json"))],
        vec![ok(fx!("free-event-400100.json"))],
    ))
    .await;
    let (outcome, _) = run_sync(&spec, &creds(), None, utc(2026, 3, 1, 3, 0)).await;
    let records = outcome.unwrap().records;
    assert_eq!(quarantined(&records), 0);
    let t = tickets(&records);
    assert_eq!(t.len(), 4);
    // `0`, `0.0`, with a rate, without one (null) or with rate 0: free, rate 0, kind free.
    for free in &t[1..] {
        assert!(free.is_free(), "{free:?}");
        assert_eq!(free.vat_rate, VatRate::ZERO);
        assert_eq!(free.price_kind, Some(PriceKind::Free));
        assert_eq!(free.status, TicketStatus::Valid);
    }
    assert_eq!(t[3].price_category.as_deref(), Some("Guest list"));
    let f = facts(&records, Month::new(2026, 2).unwrap());
    let p = &f.performances[0];
    assert_eq!((p.paid_tickets, p.free_tickets), (1, 3));
    assert_eq!(p.receipts_incl_vat.to_string(), "15.00");
}

async fn mixed_vat_rates() {
    let (_server, spec) = start(release_party(
        vec![ok(fx!("vat-changes.json"))],
        vec![ok(fx!("vat-event-400100.json"))],
    ))
    .await;
    let (outcome, _) = run_sync(&spec, &creds(), None, utc(2026, 3, 1, 3, 0)).await;
    let records = outcome.unwrap().records;
    let rates: Vec<String> = tickets(&records)
        .iter()
        .map(|t| t.vat_rate.to_string())
        .collect();
    // 0.055, 0.2, 0.021, 0.1 as fractions on the wire.
    assert_eq!(rates, ["5.5", "20", "2.1", "10"]);
    let f = facts(&records, Month::new(2026, 2).unwrap());
    let p = &f.performances[0];
    // 15 + 30 + 18.5 + 11 = 74.50 incl.; excl. per rate: 15/1.055 = 14.218 → 14.22,
    // 30/1.2 = 25.00, 18.5/1.021 = 18.1195 → 18.12, 11/1.1 = 10.00; total 67.34.
    assert_eq!(p.receipts_incl_vat.to_string(), "74.50");
    assert_eq!(p.receipts_excl_vat.to_string(), "67.34");
    assert_eq!(p.vat.len(), 4);
}

async fn late_night_last_day_of_month() {
    let s = changes(
        Script::new(),
        vec![("true", vec![ok(fx!("late-changes.json"))])],
    );
    let s = events(s, fx!("events-future.json"), None);
    let s = event_tickets(
        s,
        "400200",
        vec![("true", vec![ok(fx!("late-event-400200.json"))])],
    );
    let (_server, spec) = start(s).await;
    let (outcome, _) = run_sync(&spec, &creds(), None, utc(2026, 2, 1, 3, 0)).await;
    let records = outcome.unwrap().records;
    let perfs = performances(&records);
    // 22:30 UTC = 23:30 Paris, still 31 January.
    assert_eq!(perfs[0].starts_at, utc(2026, 1, 31, 22, 30));
    assert_eq!(
        releve_domain::calendar::local_date(perfs[0].starts_at).to_string(),
        "2026-01-31"
    );
    let jan = facts(&records, Month::new(2026, 1).unwrap());
    assert_eq!(jan.performances.len(), 1);
    assert_eq!(jan.performances[0].receipts_incl_vat.to_string(), "12.50");
    assert!(facts(&records, Month::new(2026, 2).unwrap())
        .performances
        .is_empty());
}

async fn unauthorized() {
    let (server, spec) = start(
        Script::new()
            .route(Route::get(TICKETS_PATH).reply(Reply::json(401, r#"{"error":"Unauthorized"}"#))),
    )
    .await;
    let (outcome, sleeper) = run_sync(&spec, &creds(), None, utc(2026, 3, 1, 3, 0)).await;
    let err = outcome.unwrap_err();
    assert!(
        matches!(
            err,
            ApiError::Http(HttpError::Unauthorized { status: 401, .. })
        ),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("shotgun") && text.contains("identifiants"),
        "{text}"
    );
    assert!(!text.contains(TOKEN));
    assert!(!err.is_retryable());
    assert!(sleeper.delays().is_empty());
    // A missing variable is named and nothing is called.
    let before = server.requests().len();
    let (outcome, _) = run_sync(
        &spec,
        &env(&[("ORGANIZER_ID", ORGANIZER)]),
        None,
        utc(2026, 3, 1, 3, 0),
    )
    .await;
    assert!(outcome.unwrap_err().to_string().contains("T_TOKEN"));
    assert_eq!(server.requests().len(), before);
    // `check` with a token issued before July 2025 sends it as `token`.
    let (server, spec) = start(
        Script::new().route(
            Route::get(EVENTS_PATH)
                .query("organizer_id", ORGANIZER)
                .query("token", OLD_TOKEN)
                .without("key")
                .reply(ok(r#"{"data":[]}"#)),
        ),
    )
    .await;
    let sleeper = std::sync::Arc::new(crate::http::RecordingSleeper::new(utc(2026, 3, 1, 3, 0)));
    let old = env(&[("ORGANIZER_ID", ORGANIZER), ("TOKEN", OLD_TOKEN)]);
    crate::api::check(&spec, &old, sleeper).await.unwrap();
    assert!(server.unmatched().is_empty());
}

async fn rate_limited_then_success() {
    let (server, spec) = start(release_party(
        vec![
            Reply::json(429, r#"{"error":"Too Many Requests"}"#).header("Retry-After", "7"),
            ok(fx!("basic-changes.json")),
        ],
        vec![ok(fx!("basic-event-400100.json"))],
    ))
    .await;
    let (outcome, sleeper) = run_sync(&spec, &creds(), None, utc(2026, 3, 1, 3, 0)).await;
    let outcome = outcome.unwrap();
    // Retry-After honoured through the sleeper, nothing else waited.
    assert_eq!(sleeper.delays(), [Duration::from_secs(7)]);
    assert_eq!(tickets(&outcome.records).len(), 4);
    assert_eq!(server.requests().len(), 4);
    assert!(outcome.raw.iter().all(|r| r.status == 200));
}

async fn server_error_then_success() {
    let (server, spec) = start(release_party(
        vec![ok(fx!("basic-changes.json"))],
        vec![
            Reply::json(500, "Internal Server Error"),
            ok(fx!("basic-event-400100.json")),
        ],
    ))
    .await;
    let (outcome, sleeper) = run_sync(&spec, &creds(), None, utc(2026, 3, 1, 3, 0)).await;
    assert_eq!(tickets(&outcome.unwrap().records).len(), 4);
    // First backoff of the shared client: 2 s.
    assert_eq!(sleeper.delays(), [Duration::from_secs(2)]);
    let event_calls = server
        .requests()
        .iter()
        .filter(|r| r.query_value("event_id") == Some("400100"))
        .count();
    assert_eq!(event_calls, 2);
}

async fn malformed_body() {
    let (_server, spec) = start(release_party(
        vec![ok(fx!("malformed-changes.json"))],
        vec![ok(fx!("basic-event-400100.json"))],
    ))
    .await;
    let (outcome, _) = run_sync(&spec, &creds(), None, utc(2026, 3, 1, 3, 0)).await;
    let err = outcome.unwrap_err();
    match &err {
        ApiError::Malformed {
            vendor,
            endpoint,
            path,
            ..
        } => assert_eq!(
            (vendor.as_str(), endpoint.as_str(), path.as_str()),
            ("shotgun", "/tickets/sold", "data[1].ticket_price")
        ),
        other => panic!("{other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.contains("/tickets/sold") && text.contains("data[1].ticket_price"),
        "{text}"
    );
}

// ---- pure normaliser -------------------------------------------------------------------

fn exchange(endpoint: &str, body: &str) -> RawExchange {
    RawExchange {
        vendor: "shotgun".into(),
        endpoint: endpoint.into(),
        request: format!("GET {endpoint}"),
        status: 200,
        body: body.into(),
        fetched_at: utc(2026, 3, 1, 3, 0),
    }
}

fn row(id: u64, event: u64, price: &str, vat: &str, status: &str) -> String {
    format!(
        r#"{{"ticket_id":{id},"event_id":{event},"event_name":"Soirée","event_start_time":"2026-03-07T21:00:00.000Z","currency":"eur","ticket_price":{price},"vat_rate":{vat},"ticket_title":"Plein tarif","ticket_status":"{status}","ordered_at":"2026-03-01T10:00:00.000Z"}}"#
    )
}

#[test]
fn statuses_map_to_domain() {
    assert_eq!(status("valid"), Some(TicketStatus::Valid));
    assert_eq!(status("refunded"), Some(TicketStatus::Refunded));
    for s in [
        "canceled",
        "resold",
        "rejected",
        "pending_organizer_approval",
        "payment_plan_pending",
    ] {
        assert_eq!(status(s), Some(TicketStatus::Cancelled), "{s}");
    }
    assert_eq!(status("lost"), None);
}

#[test]
fn times_with_and_without_offset() {
    assert_eq!(
        parse_time("2026-02-14T22:00:00.000Z", Some("America/New_York")),
        Some(utc(2026, 2, 14, 22, 0))
    );
    // Naive: read in the event's zone. 20:00 New York (UTC−5) = 01:00 UTC next day.
    assert_eq!(
        parse_time("2026-02-14T20:00:00", Some("America/New_York")),
        Some(utc(2026, 2, 15, 1, 0))
    );
    // Naive without zone: Paris, summer time (UTC+2).
    assert_eq!(
        parse_time("2026-07-14 23:30:00", None),
        Some(utc(2026, 7, 14, 21, 30))
    );
    assert_eq!(parse_time("", None), None);
}

#[test]
fn event_missing_from_list_is_described_by_its_tickets() {
    let body = format!(
        r#"{{"pagination":{{"next":null}},"data":[{}]}}"#,
        row(1, 9, "14.999999999", "0.055", "valid")
    );
    let records = normalise("shotgun", &[exchange("/tickets/sold", &body)]);
    let p = performances(&records);
    assert_eq!(p[0].external_id, "9");
    assert_eq!(p[0].show_title, "Soirée");
    assert_eq!(p[0].starts_at, utc(2026, 3, 7, 21, 0));
    // Float noise from the vendor's arithmetic rounds to the cent: 14.999999999 → 15.00.
    assert_eq!(tickets(&records)[0].price_incl_vat.to_string(), "15.00");
}

#[test]
fn unmappable_rows_are_quarantined_alone() {
    let body = format!(
        r#"{{"pagination":{{"next":null}},"data":[{},{},{},{}]}}"#,
        row(1, 9, "20.0", "0.055", "valid"),
        row(2, 9, "20.0", "null", "valid"),
        row(3, 9, "20.0", "0.07", "valid"),
        row(4, 9, "20.0", "0.055", "teleported"),
    );
    let records = normalise("shotgun", &[exchange("/tickets/sold", &body)]);
    assert_eq!(tickets(&records).len(), 1);
    let reasons: Vec<String> = records
        .iter()
        .filter_map(|r| match r {
            Record::Quarantined(q) => Some(format!("{} | {}", q.column.clone().unwrap(), q.reason)),
            _ => None,
        })
        .collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(
        reasons[0].starts_with("/tickets/sold[ticket_id=2].vat_rate")
            && reasons[0].contains("sans taux")
    );
    assert!(reasons[1].contains("inconnu"), "{reasons:?}"); // 7 % is not a French rate
    assert!(reasons[2].contains("teleported"));
}

#[test]
fn later_pages_supersede_earlier_ones() {
    let first = format!(r#"{{"data":[{}]}}"#, row(1, 9, "20.0", "0.055", "valid"));
    let later = format!(r#"{{"data":[{}]}}"#, row(1, 9, "20.0", "0.055", "refunded"));
    let records = normalise(
        "shotgun#2",
        &[
            exchange("/tickets/sold", &first),
            exchange("/tickets/sold", &later),
        ],
    );
    let t = tickets(&records);
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].status, TicketStatus::Refunded);
    assert_eq!(t[0].source, "shotgun#2");
}

#[test]
fn cancelled_event_and_foreign_currency() {
    let events = r#"{"data":[{"id":9,"name":"Annulé","timezone":"Europe/Paris","startTime":"2026-03-07T21:00:00.000Z","cancelledAt":"2026-03-01T09:00:00.000Z","leftTicketsCount":-1,"deals":[]}]}"#;
    let tickets_body = format!(
        r#"{{"data":[{}]}}"#,
        row(1, 9, "20.0", "0.055", "canceled").replace("\"eur\"", "\"gbp\"")
    );
    let records = normalise(
        "shotgun",
        &[
            exchange("/organizers/12345/events", events),
            exchange("/tickets/sold", &tickets_body),
        ],
    );
    assert!(performances(&records)[0].cancelled);
    assert_eq!(quarantined(&records), 1);
}

#[tokio::test]
async fn nothing_changed_means_one_call() {
    let (server, spec) = start(changes(
        Script::new(),
        vec![(
            "true",
            vec![ok(r#"{"query":{},"pagination":{"next":null},"data":[]}"#)],
        )],
    ))
    .await;
    let (outcome, _) = run_sync(&spec, &creds(), None, utc(2026, 3, 1, 3, 0)).await;
    assert!(outcome.unwrap().records.is_empty());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_cursor_that_does_not_move_ends_the_listing() {
    // `next` is set but the last ticket id equals the cursor sent: stop, do not loop.
    let body = format!(
        r#"{{"pagination":{{"next":"x"}},"data":[{}]}}"#,
        row(70000002, 400100, "15.0", "0.055", "valid")
    );
    let s = changes(
        Script::new(),
        vec![("true", vec![ok(&body)]), ("70000002", vec![ok(&body)])],
    );
    let s = events(s, fx!("events-future.json"), None);
    let s = event_tickets(
        s,
        "400100",
        vec![("true", vec![ok(&body)]), ("70000002", vec![ok(&body)])],
    );
    let (server, spec) = start(s).await;
    let (outcome, _) = run_sync(&spec, &creds(), None, utc(2026, 3, 1, 3, 0)).await;
    assert_eq!(tickets(&outcome.unwrap().records).len(), 1);
    // 2 change pages, 1 event page, 2 pages of the event.
    assert_eq!(server.requests().len(), 5);
}

/// The same event read from Shotgun and from the equivalent `tickets_csv` file gives
/// identical monthly facts (what `aggregates.json` carries).
#[test]
fn same_facts_as_the_equivalent_tickets_csv() {
    let vendor = normalise(
        "shotgun",
        &[
            exchange("/organizers/12345/events", fx!("events-future.json")),
            exchange("/tickets/sold", fx!("refund-event-400100-2.json")),
        ],
    );
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/shotgun/equivalent-refund.tickets.csv");
    let csv: Vec<Record> = crate::tickets_csv::read("shotgun", &path)
        .unwrap()
        .collect();
    assert_eq!(quarantined(&csv), 0);
    let month = Month::new(2026, 2).unwrap();
    let (v, c) = (facts(&vendor, month), facts(&csv, month));
    assert_eq!(v.performances.len(), 1);
    assert_eq!(v, c);
    assert_eq!(
        serde_json::to_string(&v.performances).unwrap(),
        serde_json::to_string(&c.performances).unwrap()
    );
}
