//! Weezevent: normaliser unit tests and the compliance suite on the replay server.
//! Fixtures: `collectors/testdata/weezevent/` (bodies shaped like the classic API's).

use super::normalise::{local_time, normalise, status, UNKNOWN_VENUE};
use crate::api::compliance::suite::ScenarioFn;
use crate::api::testing::*;
use crate::api::{normalise_stored, ApiError, RawExchange, Scenario};
use crate::http::HttpError;
use crate::replay::{ReplayServer, Reply, Route, Script};
use crate::{Record, SourceKind, SourceSpec};
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
    (Scenario::MixedVatRates, || {
        Box::pin(mixed_tariffs_without_vat())
    }),
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
            "/testdata/weezevent/",
            $name
        ))
    };
}

const API_KEY: &str = "wz-api-key-0042";
const USERNAME: &str = "billetterie@theatre.example";
const PASSWORD: &str = "m0t-de-passe";
const ACCESS: &str = "8b1f0c9d2e7a4b3c";

fn creds() -> std::collections::BTreeMap<String, String> {
    env(&[
        ("API_KEY", API_KEY),
        ("USERNAME", USERNAME),
        ("PASSWORD", PASSWORD),
    ])
}

fn ok(body: &str) -> Reply {
    Reply::json(200, body)
}

fn authed(route: Route) -> Route {
    route
        .query("api_key", API_KEY)
        .query("access_token", ACCESS)
}

fn token_route(replies: Vec<Reply>) -> Route {
    let r = Route::post("/auth/access_token")
        .form("username", USERNAME)
        .form("password", PASSWORD)
        .form("api_key", API_KEY);
    replies.into_iter().fold(r, Route::reply)
}

fn with(route: Route, replies: Vec<Reply>) -> Route {
    replies.into_iter().fold(route, Route::reply)
}

/// Token, events and the change feed (first page).
fn base(events: Vec<Reply>, changes: Vec<Reply>) -> Script {
    Script::new()
        .route(token_route(vec![ok(&format!(
            "{{\"accessToken\":\"{ACCESS}\"}}"
        ))]))
        .route(with(
            authed(Route::get("/events")).query("include_closed", "true"),
            events,
        ))
        .route(with(
            authed(Route::get("/participant/list"))
                .query("last_update", "*")
                .query("include_deleted", "true")
                .query("max", "500")
                .query("page", "1"),
            changes,
        ))
}

/// One event read in full: details, dates when given, tariffs, participants (page 1).
fn event(
    s: Script,
    id: &str,
    details: &str,
    dates: Option<&str>,
    tickets: Vec<Reply>,
    participants: Vec<Reply>,
) -> Script {
    let mut s = s.route(authed(Route::get(&format!("/event/{id}/details"))).reply(ok(details)));
    if let Some(d) = dates {
        s = s.route(
            authed(Route::get("/dates"))
                .query("id_event", id)
                .reply(ok(d)),
        );
    }
    s.route(with(
        authed(Route::get("/tickets")).query("id_event[]", id),
        tickets,
    ))
    .route(with(
        authed(Route::get("/participant/list"))
            .query("id_event[]", id)
            .query("include_deleted", "true")
            .query("page", "1")
            .without("last_update"),
        participants,
    ))
}

fn scapin(changes: Vec<Reply>, tickets: Vec<Reply>, participants: Vec<Reply>) -> Script {
    event(
        base(vec![ok(fx!("events.json"))], changes),
        "310001",
        fx!("details-310001.json"),
        None,
        tickets,
        participants,
    )
}

async fn start(script: Script) -> (ReplayServer, SourceSpec) {
    let server = ReplayServer::start(script).await.unwrap();
    let spec = spec(SourceKind::Weezevent, server.base_url());
    (server, spec)
}

async fn basic_month() {
    let (server, spec) = start(scapin(
        vec![ok(fx!("basic-changes.json"))],
        vec![ok(fx!("tickets-310001.json"))],
        vec![ok(fx!("basic-participants-310001.json"))],
    ))
    .await;
    let (outcome, sleeper) = run_sync(&spec, &creds(), None, utc(2026, 4, 1, 3, 0)).await;
    let outcome = outcome.unwrap();
    // The answers just recorded, mutated and normalised again (robustness/vendors.rs).
    crate::robustness::mutate_vendor_answers(SourceKind::Weezevent, &outcome.raw);
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());
    assert!(sleeper.delays().is_empty());
    let reqs = server.requests();
    // Token, events, changes, details, tariffs, participants.
    assert_eq!(reqs.len(), 6);
    // Since = 2025-03-01T03:00Z (13 months back) = 04:00 in Paris (winter time).
    assert_eq!(
        reqs[2].query_value("last_update"),
        Some("2025-03-01 04:00:00")
    );
    // The token answer is not kept (it holds a secret); no secret in what is kept.
    assert_eq!(outcome.raw.len(), 5);
    assert!(outcome
        .raw
        .iter()
        .all(|r| r.endpoint != "/auth/access_token"));
    assert_scrubbed(&outcome.raw, &[API_KEY, ACCESS, PASSWORD, USERNAME]);
    assert!(outcome.raw[0].request.contains("access_token=***"));
    let records = &outcome.records;
    assert_eq!(quarantined(records), 0);
    let p = performances(records);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].external_id, "310001");
    assert_eq!(p[0].show_title, "Les Fourberies de Scapin");
    // 20:30 Paris = 19:30 UTC in March (before the switch to summer time on the 29th).
    assert_eq!(p[0].starts_at, utc(2026, 3, 14, 19, 30));
    assert_eq!(p[0].venue.name, "Théâtre des Digues");
    assert_eq!(p[0].venue.postal_code.as_deref(), Some("44000"));
    assert_eq!(p[0].venue.city.as_deref(), Some("Nantes"));
    let t = tickets(records);
    let summary: Vec<(String, String, Option<PriceKind>)> = t
        .iter()
        .map(|t| {
            (
                t.ticket_id.clone(),
                t.price_incl_vat.to_string(),
                t.price_kind,
            )
        })
        .collect();
    let expected = [
        ("99000000", "20.00", PriceKind::Full),
        ("99000001", "20.00", PriceKind::Full),
        ("99000002", "20.00", PriceKind::Full),
        ("99000003", "12.50", PriceKind::Reduced),
        ("99000004", "0.00", PriceKind::Free),
    ];
    assert_eq!(
        summary,
        expected.map(|(a, b, c)| (a.to_string(), b.to_string(), Some(c)))
    );
    // Sold 20 January 08:00 Paris = 07:00 UTC.
    assert_eq!(t[0].sold_at, Some(utc(2026, 1, 20, 7, 0)));
    let f = facts(records, Month::new(2026, 3).unwrap());
    let pf = &f.performances[0];
    // 3 × 20 + 12.50 = 72.50; excl. at the assumed 5.5 %: 72.50 / 1.055 = 68.720 → 68.72.
    assert_eq!((pf.paid_tickets, pf.free_tickets), (4, 1));
    assert_eq!(pf.receipts_incl_vat.to_string(), "72.50");
    assert_eq!(pf.receipts_excl_vat.to_string(), "68.72");
}

/// 503 participants of a two-date festival: k even → date 9201, odd → 9202; every tenth
/// (k = 0, 10 … 500: 51 of them) is a free accompanying adult, the others an 8 € day pass.
fn festival_page(range: std::ops::Range<u32>) -> String {
    let rows: Vec<String> = range
        .map(|k| {
            let date = if k % 2 == 0 { 9201 } else { 9202 };
            let ticket = if k % 10 == 0 { "420002" } else { "420001" };
            format!(
                r#"{{"id_participant":{},"id_event":310002,"id_date":{date},"id_ticket":"{ticket}","barcode":"{}","deleted":"0","refund":"0","comment":"","create_date":"2026-02-{:02} 10:00:00","origin":"minisite","id_transaction":{},"promo_code":"","control_status":{{"status":"0","scan_date":"0000-00-00 00:00:00","scan_user":"0","scan_user_name":""}},"owner":{{"first_name":"","last_name":"","email":""}}}}"#,
                99_100_000 + k,
                2_000_000_000u64 + u64::from(k),
                1 + k % 28,
                6_600_000 + k / 3
            )
        })
        .collect();
    format!(
        "{{\"participants\":[{}],\"server_time\":\"2026-04-01 05:00:00\"}}",
        rows.join(",\n")
    )
}

async fn several_pages() {
    let page1 = festival_page(0..500);
    let page2 = festival_page(500..503);
    let s = Script::new()
        .route(token_route(vec![ok(&format!(
            "{{\"accessToken\":\"{ACCESS}\"}}"
        ))]))
        .route(authed(Route::get("/events")).reply(ok(fx!("events.json"))));
    let mut s = s;
    for (page, body) in [("1", &page1), ("2", &page2)] {
        s = s
            .route(
                authed(Route::get("/participant/list"))
                    .query("last_update", "*")
                    .query("page", page)
                    .reply(ok(body)),
            )
            .route(
                authed(Route::get("/participant/list"))
                    .query("id_event[]", "310002")
                    .query("page", page)
                    .without("last_update")
                    .reply(ok(body)),
            );
    }
    let s = s
        .route(authed(Route::get("/event/310002/details")).reply(ok(fx!("details-310002.json"))))
        .route(
            authed(Route::get("/dates"))
                .query("id_event", "310002")
                .reply(ok(fx!("dates-310002.json"))),
        )
        .route(
            authed(Route::get("/tickets"))
                .query("id_event[]", "310002")
                .reply(ok(fx!("tickets-310002.json"))),
        );
    let (server, spec) = start(s).await;
    let (outcome, sleeper) = run_sync(&spec, &creds(), None, utc(2026, 4, 1, 3, 0)).await;
    let outcome = outcome.unwrap();
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());
    let pages: Vec<(bool, String)> = server
        .requests_to("/participant/list")
        .iter()
        .map(|r| {
            (
                r.query_value("last_update").is_some(),
                r.query_value("page").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        pages,
        [
            (true, "1".to_string()),
            (true, "2".to_string()),
            (false, "1".to_string()),
            (false, "2".to_string())
        ]
    );
    // 9 calls at 8 per second: the ninth waits one interval, 1/8 s.
    assert_eq!(sleeper.delays(), [Duration::from_millis(125)]);
    let records = &outcome.records;
    let p = performances(records);
    let ids: Vec<&str> = p.iter().map(|p| p.external_id.as_str()).collect();
    assert_eq!(ids, ["310002-9201", "310002-9202"]);
    // 10:00 and 15:00 Paris = 09:00 and 14:00 UTC.
    assert_eq!(
        (p[0].starts_at, p[1].starts_at),
        (utc(2026, 3, 21, 9, 0), utc(2026, 3, 22, 14, 0))
    );
    assert_eq!(tickets(records).len(), 503);
    let f = facts(records, Month::new(2026, 3).unwrap());
    let per: Vec<(u64, u64, String)> = f
        .performances
        .iter()
        .map(|p| {
            (
                p.paid_tickets,
                p.free_tickets,
                p.receipts_incl_vat.to_string(),
            )
        })
        .collect();
    // Date 9201: 252 even k, 51 free, 201 × 8 = 1608.00; date 9202: 251 × 8 = 2008.00.
    assert_eq!(
        per,
        [
            (201, 51, "1608.00".to_string()),
            (251, 0, "2008.00".to_string())
        ]
    );
}

async fn refund_after_first_sync() {
    let (server, spec) = start(scapin(
        vec![
            ok(fx!("basic-changes.json")),
            ok(fx!("refund-changes.json")),
        ],
        vec![ok(fx!("tickets-310001.json"))],
        vec![
            ok(fx!("basic-participants-310001.json")),
            ok(fx!("refund-participants-310001.json")),
        ],
    ))
    .await;
    let (first, _) = run_sync(&spec, &creds(), None, utc(2026, 3, 1, 3, 0)).await;
    let first = first.unwrap();
    let (second, _) = run_sync(&spec, &creds(), Some(first.cursor), utc(2026, 4, 1, 3, 0)).await;
    let second = second.unwrap();
    let since: Vec<String> = server
        .requests()
        .iter()
        .filter_map(|r| r.query_value("last_update").map(str::to_string))
        .collect();
    // The second sync asks for changes since the first one (2026-03-01T03:00Z, 04:00 Paris).
    assert_eq!(since, ["2025-02-01 04:00:00", "2026-03-01 04:00:00"]);
    let t = tickets(&second.records);
    let status_of = |id: &str| t.iter().find(|t| t.ticket_id == id).unwrap().status;
    assert_eq!(status_of("99000002"), TicketStatus::Refunded);
    assert_eq!(status_of("99000005"), TicketStatus::Cancelled);
    assert_eq!(status_of("99000001"), TicketStatus::Valid);
    let all: Vec<RawExchange> = first.raw.iter().chain(&second.raw).cloned().collect();
    let again = normalise_stored(SourceKind::Weezevent, "weezevent", &all);
    assert_eq!(tickets(&again), t);
    let f = facts(&again, Month::new(2026, 3).unwrap());
    // Valid paid: 20 + 20 + 12.50 = 52.50.
    assert_eq!(f.performances[0].paid_tickets, 3);
    assert_eq!(f.performances[0].receipts_incl_vat.to_string(), "52.50");
}

async fn free_tickets_and_invitations() {
    let (_server, spec) = start(scapin(
        vec![ok(fx!("free-changes.json"))],
        vec![ok(fx!("tickets-310001.json"))],
        vec![ok(fx!("free-participants-310001.json"))],
    ))
    .await;
    let (outcome, _) = run_sync(&spec, &creds(), None, utc(2026, 4, 1, 3, 0)).await;
    let records = outcome.unwrap().records;
    let t = tickets(&records);
    let free: Vec<_> = t.iter().filter(|t| t.is_free()).collect();
    // Three invitations (a tariff nested two categories deep), rate 0, kind free.
    assert_eq!(free.len(), 3);
    assert!(free.iter().all(|t| t.vat_rate == VatRate::ZERO
        && t.price_kind == Some(PriceKind::Free)
        && t.price_category.as_deref() == Some("Invitation")));
    let f = facts(&records, Month::new(2026, 3).unwrap());
    assert_eq!(
        (
            f.performances[0].paid_tickets,
            f.performances[0].free_tickets
        ),
        (1, 3)
    );
    assert_eq!(f.performances[0].receipts_incl_vat.to_string(), "20.00");
}

/// The classic API has no VAT: every paid tariff gets the assumed 5.5 %, whatever its price
/// or its category, and prices given as numbers or strings are read exactly.
async fn mixed_tariffs_without_vat() {
    let (_server, spec) = start(scapin(
        vec![ok(fx!("mixed-participants-310001.json"))],
        vec![ok(fx!("tickets-310001.json"))],
        vec![ok(fx!("mixed-participants-310001.json"))],
    ))
    .await;
    let (outcome, _) = run_sync(&spec, &creds(), None, utc(2026, 4, 1, 3, 0)).await;
    let records = outcome.unwrap().records;
    let t = tickets(&records);
    let got: Vec<(String, String, Option<PriceKind>)> = t
        .iter()
        .map(|t| {
            (
                t.price_incl_vat.to_string(),
                t.vat_rate.to_string(),
                t.price_kind,
            )
        })
        .collect();
    let expected = [
        ("20.00", PriceKind::Full),
        ("12.50", PriceKind::Reduced),
        ("9.90", PriceKind::Reduced), // "Moins de 12 ans", price sent as a string
        ("22.00", PriceKind::Other),  // reseller ticket, string id "FNAC-77"
    ];
    assert_eq!(
        got,
        expected.map(|(p, k)| (p.to_string(), "5.5".to_string(), Some(k)))
    );
    let f = facts(&records, Month::new(2026, 3).unwrap());
    // 20 + 12.50 + 9.90 + 22 = 64.40; excl. 64.40 / 1.055 = 61.042 → 61.04.
    assert_eq!(f.performances[0].receipts_incl_vat.to_string(), "64.40");
    assert_eq!(f.performances[0].receipts_excl_vat.to_string(), "61.04");
}

async fn late_night_last_day_of_month() {
    let s = event(
        base(
            vec![ok(fx!("events.json"))],
            vec![ok(fx!("late-participants-310003.json"))],
        ),
        "310003",
        fx!("details-310003.json"),
        None,
        vec![ok(fx!("tickets-310003.json"))],
        vec![ok(fx!("late-participants-310003.json"))],
    );
    let (_server, spec) = start(s).await;
    let (outcome, _) = run_sync(&spec, &creds(), None, utc(2026, 2, 1, 3, 0)).await;
    let records = outcome.unwrap().records;
    let p = performances(&records);
    // "2026-01-31 23:30:00" Paris = 22:30 UTC.
    assert_eq!(p[0].starts_at, utc(2026, 1, 31, 22, 30));
    assert_eq!(p[0].venue.name, UNKNOWN_VENUE);
    let jan = facts(&records, Month::new(2026, 1).unwrap());
    // 2 × 10.50.
    assert_eq!(jan.performances[0].receipts_incl_vat.to_string(), "21.00");
    assert!(facts(&records, Month::new(2026, 2).unwrap())
        .performances
        .is_empty());
}

async fn unauthorized() {
    let (server, spec) = start(Script::new().route(token_route(vec![Reply::json(
        401,
        r#"{"error":{"code":401,"message":"Invalid credentials"}}"#,
    )])))
    .await;
    let (outcome, sleeper) = run_sync(&spec, &creds(), None, utc(2026, 4, 1, 3, 0)).await;
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
        text.contains("weezevent") && !text.contains(PASSWORD),
        "{text}"
    );
    // Never retried: five wrong logins ban the key for 30 minutes.
    assert_eq!(server.requests().len(), 1);
    assert!(sleeper.delays().is_empty());
    let (outcome, _) = run_sync(
        &spec,
        &env(&[("API_KEY", API_KEY), ("USERNAME", USERNAME)]),
        None,
        utc(2026, 4, 1, 3, 0),
    )
    .await;
    assert!(outcome.unwrap_err().to_string().contains("T_PASSWORD"));
    assert_eq!(server.requests().len(), 1);
}

async fn rate_limited_then_success() {
    let s = event(
        base(
            vec![
                Reply::json(429, r#"{"error":"fair use"}"#).header("Retry-After", "5"),
                ok(fx!("events.json")),
            ],
            vec![ok(fx!("basic-changes.json"))],
        ),
        "310001",
        fx!("details-310001.json"),
        None,
        vec![ok(fx!("tickets-310001.json"))],
        vec![ok(fx!("basic-participants-310001.json"))],
    );
    let (server, spec) = start(s).await;
    let (outcome, sleeper) = run_sync(&spec, &creds(), None, utc(2026, 4, 1, 3, 0)).await;
    assert_eq!(tickets(&outcome.unwrap().records).len(), 5);
    assert_eq!(sleeper.delays(), [Duration::from_secs(5)]);
    assert_eq!(server.requests_to("/events").len(), 2);
}

async fn server_error_then_success() {
    let (server, spec) = start(scapin(
        vec![ok(fx!("basic-changes.json"))],
        vec![
            Reply::json(500, "Internal Server Error"),
            ok(fx!("tickets-310001.json")),
        ],
        vec![ok(fx!("basic-participants-310001.json"))],
    ))
    .await;
    let (outcome, sleeper) = run_sync(&spec, &creds(), None, utc(2026, 4, 1, 3, 0)).await;
    assert_eq!(tickets(&outcome.unwrap().records).len(), 5);
    assert_eq!(sleeper.delays(), [Duration::from_secs(2)]);
    assert_eq!(server.requests_to("/tickets").len(), 2);
}

async fn malformed_body() {
    let (_server, spec) = start(scapin(
        vec![ok(fx!("malformed-changes.json"))],
        vec![ok(fx!("tickets-310001.json"))],
        vec![ok(fx!("basic-participants-310001.json"))],
    ))
    .await;
    let (outcome, _) = run_sync(&spec, &creds(), None, utc(2026, 4, 1, 3, 0)).await;
    let err = outcome.unwrap_err();
    match &err {
        ApiError::Malformed {
            vendor,
            endpoint,
            path,
            ..
        } => assert_eq!(
            (vendor.as_str(), endpoint.as_str(), path.as_str()),
            ("weezevent", "/participant/list", "participants[1].deleted")
        ),
        other => panic!("{other:?}"),
    }
    // A token answer without `accessToken` is malformed too, without echoing the body.
    let (_server, spec) =
        start(Script::new().route(token_route(vec![ok(r#"{"token":"s3cr3t-t0ken"}"#)]))).await;
    let (outcome, _) = run_sync(&spec, &creds(), None, utc(2026, 4, 1, 3, 0)).await;
    let text = outcome.unwrap_err().to_string();
    assert!(
        text.contains("/auth/access_token") && !text.contains("s3cr3t-t0ken"),
        "{text}"
    );
}

// ---- pure normaliser -------------------------------------------------------------------

fn exchange(endpoint: &str, body: &str) -> RawExchange {
    RawExchange {
        vendor: "weezevent".into(),
        endpoint: endpoint.into(),
        request: format!("GET {endpoint}"),
        status: 200,
        body: body.into(),
        fetched_at: utc(2026, 4, 1, 3, 0),
    }
}

fn participant(id: u32, date: u32, ticket: &str, deleted: &str, refund: &str) -> String {
    format!(
        r#"{{"id_participant":{id},"id_event":1,"id_date":{date},"id_ticket":"{ticket}","deleted":"{deleted}","refund":"{refund}","create_date":"0000-00-00 00:00:00"}}"#
    )
}

#[test]
fn statuses_and_times() {
    let p = |d: &str, r: &str, paid: &str| {
        let mut v: serde_json::Value = serde_json::from_str(&participant(1, 0, "1", d, r)).unwrap();
        if !paid.is_empty() {
            v["paid"] = serde_json::Value::String(paid.into());
        }
        serde_json::from_value::<super::model::Participant>(v).unwrap()
    };
    assert_eq!(status(&p("0", "0", "")), TicketStatus::Valid);
    assert_eq!(status(&p("1", "1", "")), TicketStatus::Refunded);
    assert_eq!(status(&p("1", "0", "")), TicketStatus::Cancelled);
    assert_eq!(status(&p("0", "0", "0")), TicketStatus::Cancelled);
    assert_eq!(local_time("0000-00-00 00:00:00"), None);
    assert_eq!(local_time(""), None);
    // Summer time: 20:00 Paris = 18:00 UTC.
    assert_eq!(
        local_time("2026-07-10 20:00:00"),
        Some(utc(2026, 7, 10, 18, 0))
    );
}

#[test]
fn unknown_date_or_tariff_is_quarantined() {
    let events = r#"{"events":[{"id":1,"name":"Bal","date":{"start":"2026-05-02 21:00:00","end":""},"multiple_dates":1}]}"#;
    let dates = r#"{"dates":[{"id":7,"id_event":1,"date":"2026-05-02 21:00:00","tickets":["5"]}]}"#;
    let tariffs = r#"{"events":[{"id":1,"tickets":[{"id":5,"name":"Entrée","price":"7.50"}],"categories":[]}]}"#;
    let people = format!(
        r#"{{"participants":[{},{},{}]}}"#,
        participant(1, 7, "5", "0", "0"),
        participant(2, 8, "5", "0", "0"),
        participant(3, 7, "6", "0", "0")
    );
    let records = normalise(
        "weezevent",
        &[
            exchange("/events", events),
            exchange("/dates", dates),
            exchange("/tickets", tariffs),
            exchange("/participant/list", &people),
        ],
    );
    let t = tickets(&records);
    assert_eq!(t.len(), 1);
    assert_eq!(
        (
            t[0].performance_external_id.as_str(),
            t[0].price_incl_vat.to_string()
        ),
        ("1-7", "7.50".to_string())
    );
    // "Entrée" is no known label: kind other (never guessed as full price).
    assert_eq!(t[0].price_kind, Some(PriceKind::Other));
    let columns: Vec<String> = records
        .iter()
        .filter_map(|r| match r {
            Record::Quarantined(q) => q.column.clone(),
            _ => None,
        })
        .collect();
    assert_eq!(
        columns,
        [
            "/participant/list[id_participant=2].id_date",
            "/participant/list[id_participant=3].id_ticket"
        ]
    );
}

#[tokio::test]
async fn nothing_changed_means_no_event_is_read_and_check_passes() {
    let (server, spec) = start(base(
        vec![ok(fx!("events.json"))],
        vec![ok(fx!("empty-participants.json"))],
    ))
    .await;
    let (outcome, _) = run_sync(&spec, &creds(), None, utc(2026, 4, 1, 3, 0)).await;
    let outcome = outcome.unwrap();
    assert!(outcome.records.is_empty());
    // Token, events, one change-feed page: no per-event call.
    assert_eq!(server.requests().len(), 3);
    let sleeper = std::sync::Arc::new(crate::http::RecordingSleeper::new(utc(2026, 4, 1, 3, 0)));
    crate::api::check(&spec, &creds(), sleeper).await.unwrap();
    assert_eq!(server.requests_to("/auth/access_token").len(), 2);
}

#[tokio::test]
async fn event_ids_go_fifty_per_change_feed_call() {
    let events: Vec<String> = (1..=51)
        .map(|i| format!(r#"{{"id":{i},"name":"Séance {i}","date":{{"start":"2026-03-01 20:00:00","end":""}},"participants":1,"multiple_dates":0}}"#))
        .collect();
    let (server, spec) = start(base(
        vec![ok(&format!("{{\"events\":[{}]}}", events.join(",")))],
        vec![ok(fx!("empty-participants.json"))],
    ))
    .await;
    let (outcome, _) = run_sync(&spec, &creds(), None, utc(2026, 4, 1, 3, 0)).await;
    outcome.unwrap();
    let per_call: Vec<usize> = server
        .requests_to("/participant/list")
        .iter()
        .map(|r| r.query.iter().filter(|(k, _)| k == "id_event[]").count())
        .collect();
    assert_eq!(per_call, [50, 1]);
}

/// The same event read from Weezevent and from the equivalent `tickets_csv` file gives
/// identical monthly facts (what `aggregates.json` carries).
#[test]
fn same_facts_as_the_equivalent_tickets_csv() {
    let vendor = normalise(
        "weezevent",
        &[
            exchange("/events", fx!("events.json")),
            exchange("/event/310001/details", fx!("details-310001.json")),
            exchange("/tickets", fx!("tickets-310001.json")),
            exchange("/participant/list", fx!("basic-participants-310001.json")),
        ],
    );
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/weezevent/equivalent-basic.tickets.csv");
    let csv: Vec<Record> = crate::tickets_csv::read("weezevent", &path)
        .unwrap()
        .collect();
    assert_eq!(quarantined(&csv), 0);
    let month = Month::new(2026, 3).unwrap();
    let (v, c) = (facts(&vendor, month), facts(&csv, month));
    assert_eq!(v.performances[0].paid_tickets, 4);
    assert_eq!(v, c);
    assert_eq!(
        serde_json::to_string(&v.performances).unwrap(),
        serde_json::to_string(&c.performances).unwrap()
    );
}
