//! Billetweb against the replay server, in every compliance scenario.

use super::*;
use crate::api::compliance::suite::ScenarioFn;
use crate::api::testing::*;
use crate::api::{normalise_stored, Scenario};
use crate::http::HttpError;
use crate::replay::{ReplayServer, Reply, Route, Script};
use releve_domain::{Month, PriceKind, TicketStatus};
use serde_json::{json, Value};
use std::time::Duration;

pub(crate) const SUITE: &[(Scenario, ScenarioFn)] = &[
    (Scenario::BasicMonth, || Box::pin(basic_month())),
    (Scenario::SeveralPages, || {
        Box::pin(several_events_and_sessions())
    }),
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

const USER: &str = "40712";
const KEY: &str = "bw-s3cret-key";

fn creds() -> std::collections::BTreeMap<String, String> {
    env(&[("USER", USER), ("KEY", KEY)])
}

pub(crate) fn event(id: &str, name: &str, start: &str, multiple: bool, tax_rate: &str) -> Value {
    json!({"id": id, "ext_id": format!("ev-{id}"), "name": name, "start": start,
           "end": start, "multiple": if multiple { "1" } else { "0" },
           "place": "Théâtre des Halles, Avignon", "online": "1", "tax_rate": tax_rate, "tags": []})
}

pub(crate) fn tariff(id: &str, name: &str, price: Value, tax: &str, commission: Value) -> Value {
    json!({"id": id, "full_name": name, "name": name, "category": "", "price": price,
           "description": "", "quota": "0", "visibility": "0", "tax": tax, "commission": commission})
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn attendee(
    id: &str,
    event: &str,
    tariff: (&str, &str),
    price: &str,
    payment: &str,
    session: &str,
    disabled: &str,
) -> Value {
    json!({"id": id, "event": event, "ticket": tariff.1, "ticket_id": tariff.0, "category": "",
           "price": price, "pass": "0", "disabled": disabled, "order_id": format!("o{id}"),
           "order_paid": "1", "order_payment_type": payment, "order_origin": "web",
           "order_session": session, "order_date": "2026-02-02 18:40:12",
           "last_update": "2026-02-02 18:40:12"})
}

fn authed(route: Route) -> Route {
    route
        .query("user", USER)
        .query("key", KEY)
        .query("version", "1")
}

/// Sessions (multi-date only), tariffs and the successive answers to `/attendees` of an event.
type EventFixture<'a> = (&'a str, Option<Vec<Value>>, Vec<Value>, Vec<Reply>);

/// A fake Billetweb: `changed` answers `/attendees`; each event has optional sessions,
/// tariffs and attendees.
fn script(changed: Vec<Value>, events: Vec<Value>, per_event: Vec<EventFixture<'_>>) -> Script {
    let mut s = Script::new()
        .route(
            authed(Route::get("/api/attendees").query("last_update", "*"))
                .reply(Reply::json(200, Value::Array(changed).to_string())),
        )
        .route(
            authed(Route::get("/api/events").query("past", "1"))
                .reply(Reply::json(200, Value::Array(events).to_string())),
        );
    for (id, dates, tariffs, attendees) in per_event {
        if let Some(d) = dates {
            s = s.route(
                authed(Route::get(&format!("/api/event/{id}/dates")).query("past", "1"))
                    .reply(Reply::json(200, Value::Array(d).to_string())),
            );
        }
        s = s.route(
            authed(Route::get(&format!("/api/event/{id}/tickets")))
                .reply(Reply::json(200, Value::Array(tariffs).to_string())),
        );
        let mut r = authed(Route::get(&format!("/api/event/{id}/attendees")));
        for reply in attendees {
            r = r.reply(reply);
        }
        s = s.route(r);
    }
    s
}

fn json_reply(rows: Vec<Value>) -> Reply {
    Reply::json(200, Value::Array(rows).to_string())
}

/// "La Tempête", single date, 14 March 2026 20:30 Paris, 5.5 %.
fn tempete(attendees: Vec<Reply>) -> Script {
    script(
        vec![attendee(
            "5550001",
            "48213",
            ("9001", "Plein tarif"),
            "22.00",
            "web",
            "0",
            "0",
        )],
        vec![event(
            "48213",
            "La Tempête",
            "2026-03-14 20:30:00",
            false,
            "5.5",
        )],
        vec![(
            "48213",
            None,
            vec![
                tariff("9001", "Plein tarif", json!(22), "", json!(0.99)),
                tariff("9003", "Tarif réduit", json!(15), "", json!(0.5)),
            ],
            attendees,
        )],
    )
}

fn tempete_attendees() -> Vec<Value> {
    vec![
        attendee(
            "5550001",
            "48213",
            ("9001", "Plein tarif"),
            "22.00",
            "web",
            "0",
            "0",
        ),
        attendee(
            "5550002",
            "48213",
            ("9001", "Plein tarif"),
            "22.00",
            "cash",
            "0",
            "0",
        ),
        attendee(
            "5550003",
            "48213",
            ("9003", "Tarif réduit"),
            "15.00",
            "web",
            "0",
            "0",
        ),
        attendee(
            "5550004",
            "48213",
            ("9003", "Tarif réduit"),
            "15.00",
            "4030",
            "0",
            "0",
        ),
    ]
}

async fn basic_month() {
    let server = ReplayServer::start(tempete(vec![json_reply(tempete_attendees())]))
        .await
        .unwrap();
    let spec = spec(SourceKind::Billetweb, &format!("{}/api", server.base_url()));
    let now = utc(2026, 4, 1, 3, 0);
    let (outcome, sleeper) = run_sync(&spec, &creds(), None, now).await;
    let outcome = outcome.unwrap();
    // The answers just recorded, mutated and normalised again (robustness/vendors.rs).
    crate::robustness::mutate_vendor_answers(SourceKind::Billetweb, &outcome.raw);
    assert!(sleeper.delays().is_empty());
    assert_eq!(outcome.cursor, now);
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());
    // First sync: 13 months back, up to now.
    let changed = &server.requests_to("/api/attendees")[0];
    assert_eq!(
        changed.query_value("last_update"),
        Some(utc(2025, 3, 1, 3, 0).timestamp().to_string().as_str())
    );
    assert_eq!(
        changed.query_value("to"),
        Some(now.timestamp().to_string().as_str())
    );
    // Single-date event: no /dates call.
    assert!(server.requests_to("/api/event/48213/dates").is_empty());
    assert_eq!(outcome.raw.len(), 4);
    assert_scrubbed(&outcome.raw, &[KEY, "user=40712"]);
    assert!(outcome.raw[0].request.contains("key=***"));

    let perfs = performances(&outcome.records);
    assert_eq!(perfs.len(), 1);
    assert_eq!(perfs[0].external_id, "48213-0");
    assert_eq!(perfs[0].show_title, "La Tempête");
    assert_eq!(perfs[0].venue.name, "Théâtre des Halles, Avignon");
    // 20:30 Paris in winter = 19:30 UTC.
    assert_eq!(perfs[0].starts_at, utc(2026, 3, 14, 19, 30));
    let t = tickets(&outcome.records);
    // Commission only on web payments: 22 − 0.99 = 21.01; cash 22; 15 − 0.50 = 14.50; code 4030: 15.
    let prices: Vec<String> = t.iter().map(|t| t.price_incl_vat.to_string()).collect();
    assert_eq!(prices, ["21.01", "22.00", "14.50", "15.00"]);
    assert!(t
        .iter()
        .all(|t| t.vat_rate.to_string() == "5.5" && t.status == TicketStatus::Valid));
    assert_eq!(t[0].price_kind, Some(PriceKind::Full));
    assert_eq!(t[2].price_kind, Some(PriceKind::Reduced));
    assert_eq!(t[0].performance_external_id, "48213-0");
    let f = facts(&outcome.records, Month::new(2026, 3).unwrap());
    let p = &f.performances[0];
    // 21.01 + 22 + 14.50 + 15 = 72.51; excl = 72.51 / 1.055 = 68.730… → 68.73.
    assert_eq!(
        (
            p.paid_tickets,
            p.receipts_incl_vat.to_string(),
            p.receipts_excl_vat.to_string()
        ),
        (4, "72.51".into(), "68.73".into())
    );
}

async fn several_events_and_sessions() {
    // Billetweb does not page: "several pages" is several events and sessions, one call each.
    let sessions = vec![
        json!({"id": "771001", "start": "2026-03-20 20:30:00", "end": "", "name": "", "place": "", "disabled": "0", "quota": "300"}),
        json!({"id": "771002", "start": "2026-03-21 17:00:00", "end": "", "name": "", "place": "Chapelle", "disabled": "0", "quota": "0"}),
    ];
    let s = script(
        vec![
            attendee(
                "1",
                "48300",
                ("9101", "Plein tarif"),
                "18.00",
                "cash",
                "771001",
                "0",
            ),
            attendee(
                "9",
                "48213",
                ("9001", "Plein tarif"),
                "22.00",
                "cash",
                "0",
                "0",
            ),
        ],
        vec![
            event("48213", "La Tempête", "2026-03-14 20:30:00", false, "5.5"),
            event("48300", "Nuit du jazz", "2026-03-20 20:30:00", true, "5.5"),
            event("48999", "Unchanged", "2026-03-02 20:30:00", false, "5.5"),
        ],
        vec![
            (
                "48213",
                None,
                vec![tariff("9001", "Plein tarif", json!(22), "", json!(false))],
                vec![json_reply(vec![attendee(
                    "9",
                    "48213",
                    ("9001", "Plein tarif"),
                    "22.00",
                    "cash",
                    "0",
                    "0",
                )])],
            ),
            (
                "48300",
                Some(sessions),
                vec![tariff("9101", "Plein tarif", json!("18"), "", json!(false))],
                vec![json_reply(vec![
                    attendee(
                        "1",
                        "48300",
                        ("9101", "Plein tarif"),
                        "18.00",
                        "cash",
                        "771001",
                        "0",
                    ),
                    attendee(
                        "2",
                        "48300",
                        ("9101", "Plein tarif"),
                        "18.00",
                        "cash",
                        "771001",
                        "0",
                    ),
                    attendee(
                        "3",
                        "48300",
                        ("9101", "Plein tarif"),
                        "18.00",
                        "cash",
                        "771002",
                        "0",
                    ),
                ])],
            ),
        ],
    );
    let server = ReplayServer::start(s).await.unwrap();
    let spec = spec(
        SourceKind::Billetweb,
        &format!("{}/api/", server.base_url()),
    );
    let (outcome, _) = run_sync(
        &spec,
        &creds(),
        Some(utc(2026, 3, 1, 0, 0)),
        utc(2026, 4, 1, 3, 0),
    )
    .await;
    let outcome = outcome.unwrap();
    assert!(server.unmatched().is_empty());
    // /attendees, /events, 48213 tickets+attendees, 48300 dates+tickets+attendees; 48999 untouched.
    assert_eq!(server.requests().len(), 7);
    assert!(server.requests_to("/api/event/48999/attendees").is_empty());
    let perfs = performances(&outcome.records);
    let ids: Vec<&str> = perfs.iter().map(|p| p.external_id.as_str()).collect();
    assert_eq!(ids, ["48213-0", "48300-771001", "48300-771002"]);
    assert_eq!(perfs[1].capacity, Some(300));
    assert_eq!(perfs[2].capacity, None);
    assert_eq!(perfs[2].venue.name, "Chapelle");
    let t = tickets(&outcome.records);
    let on: Vec<&str> = t
        .iter()
        .map(|t| t.performance_external_id.as_str())
        .collect();
    assert_eq!(
        on,
        ["48300-771001", "48300-771001", "48300-771002", "48213-0"]
    );
}

async fn refund_after_first_sync() {
    let mut refunded = tempete_attendees();
    refunded[1]["disabled"] = json!("1");
    let server = ReplayServer::start(tempete(vec![
        json_reply(tempete_attendees()),
        json_reply(refunded),
    ]))
    .await
    .unwrap();
    let spec = spec(SourceKind::Billetweb, &format!("{}/api", server.base_url()));
    let t1 = utc(2026, 3, 16, 3, 0);
    let (first, _) = run_sync(&spec, &creds(), None, t1).await;
    let first = first.unwrap();
    assert_eq!(tickets(&first.records)[1].status, TicketStatus::Valid);
    let t2 = utc(2026, 4, 1, 3, 0);
    let (second, _) = run_sync(&spec, &creds(), Some(first.cursor), t2).await;
    let second = second.unwrap();
    // The second sync asks for changes since the first one's start.
    let asked = server.requests_to("/api/attendees");
    assert_eq!(
        asked[1].query_value("last_update"),
        Some(t1.timestamp().to_string().as_str())
    );
    let t = tickets(&second.records);
    assert_eq!(
        (t[1].ticket_id.as_str(), t[1].status),
        ("5550002", TicketStatus::Refunded)
    );
    // Re-normalising everything stored (both syncs, in order) keeps the latest state.
    let all: Vec<_> = first.raw.iter().chain(second.raw.iter()).cloned().collect();
    let again = normalise_stored(SourceKind::Billetweb, "billetweb", &all);
    assert_eq!(tickets(&again), t);
    let f = facts(&again, Month::new(2026, 3).unwrap());
    // 72.51 − 22.00 (refunded cash ticket) = 50.51.
    assert_eq!(
        (
            f.performances[0].paid_tickets,
            f.performances[0].void_tickets
        ),
        (3, 1)
    );
    assert_eq!(f.performances[0].receipts_incl_vat.to_string(), "50.51");
}

async fn free_tickets_and_invitations() {
    let mut free = attendee(
        "5550010",
        "48213",
        ("9002", "Invitation"),
        "0.00",
        "invitation",
        "0",
        "0",
    );
    free["order_origin"] = json!("Accueil");
    let empty_type = attendee(
        "5550011",
        "48213",
        ("9004", "Gratuit enfant"),
        "0.00",
        "",
        "0",
        "0",
    );
    let paid = attendee(
        "5550012",
        "48213",
        ("9001", "Plein tarif"),
        "22.00",
        "cash",
        "0",
        "0",
    );
    let mut s = tempete(vec![json_reply(vec![free, empty_type, paid])]);
    s.routes[2].replies = vec![json_reply(vec![
        tariff("9001", "Plein tarif", json!(22), "", json!(0.99)),
        tariff("9002", "Invitation", json!(0), "", json!(false)),
        tariff("9004", "Gratuit enfant", json!(0), "", json!(false)),
    ])];
    let server = ReplayServer::start(s).await.unwrap();
    let spec = spec(SourceKind::Billetweb, &format!("{}/api", server.base_url()));
    let (outcome, _) = run_sync(&spec, &creds(), None, utc(2026, 4, 1, 3, 0)).await;
    let records = outcome.unwrap().records;
    let t = tickets(&records);
    assert_eq!(t.len(), 3);
    assert!(t[..2].iter().all(|t| t.is_free()
        && t.price_kind == Some(PriceKind::Free)
        && t.vat_rate.to_string() == "0"
        && t.counts()));
    let f = facts(&records, Month::new(2026, 3).unwrap());
    assert_eq!(
        (
            f.performances[0].paid_tickets,
            f.performances[0].free_tickets
        ),
        (1, 2)
    );
}

async fn mixed_vat_rates() {
    let mut s = tempete(vec![json_reply(vec![
        attendee(
            "1",
            "48213",
            ("9001", "Plein tarif"),
            "22.00",
            "cash",
            "0",
            "0",
        ),
        attendee(
            "2",
            "48213",
            ("9005", "Dîner-spectacle"),
            "60.00",
            "cash",
            "0",
            "0",
        ),
        attendee(
            "3",
            "48213",
            ("9006", "Création"),
            "10.00",
            "cash",
            "0",
            "0",
        ),
    ])]);
    s.routes[2].replies = vec![json_reply(vec![
        tariff("9001", "Plein tarif", json!(22), "", json!(false)),
        tariff("9005", "Dîner-spectacle", json!(60), "20", json!(false)),
        tariff("9006", "Création", json!(10), "2.1", json!(false)),
    ])];
    let server = ReplayServer::start(s).await.unwrap();
    let spec = spec(SourceKind::Billetweb, &format!("{}/api", server.base_url()));
    let (outcome, _) = run_sync(&spec, &creds(), None, utc(2026, 4, 1, 3, 0)).await;
    let records = outcome.unwrap().records;
    let rates: Vec<String> = tickets(&records)
        .iter()
        .map(|t| t.vat_rate.to_string())
        .collect();
    // The tariff's own rate overrides the event's 5.5 %.
    assert_eq!(rates, ["5.5", "20", "2.1"]);
    let f = facts(&records, Month::new(2026, 3).unwrap());
    let vat: Vec<(String, String)> = f.performances[0]
        .vat
        .iter()
        .map(|v| (v.rate.to_string(), v.receipts_excl_vat.to_string()))
        .collect();
    // 10/1.021 = 9.794 → 9.79; 22/1.055 = 20.853 → 20.85; 60/1.2 = 50.00.
    assert_eq!(
        vat,
        [
            ("2.1".into(), "9.79".into()),
            ("5.5".into(), "20.85".into()),
            ("20".into(), "50.00".into())
        ]
    );
}

async fn late_night_last_day_of_month() {
    let s = script(
        vec![attendee(
            "1",
            "50001",
            ("1", "Plein tarif"),
            "12.00",
            "cash",
            "0",
            "0",
        )],
        vec![event(
            "50001",
            "Nuit blanche",
            "2026-01-31 23:30:00",
            false,
            "5.5",
        )],
        vec![(
            "50001",
            None,
            vec![tariff("1", "Plein tarif", json!(12), "", json!(false))],
            vec![json_reply(vec![attendee(
                "1",
                "50001",
                ("1", "Plein tarif"),
                "12.00",
                "cash",
                "0",
                "0",
            )])],
        )],
    );
    let server = ReplayServer::start(s).await.unwrap();
    let spec = spec(SourceKind::Billetweb, &format!("{}/api", server.base_url()));
    let (outcome, _) = run_sync(&spec, &creds(), None, utc(2026, 2, 1, 3, 0)).await;
    let records = outcome.unwrap().records;
    // 23:30 Paris (UTC+1) = 22:30 UTC, still 31 January in Paris.
    assert_eq!(
        performances(&records)[0].starts_at,
        utc(2026, 1, 31, 22, 30)
    );
    assert_eq!(
        facts(&records, Month::new(2026, 1).unwrap())
            .performances
            .len(),
        1
    );
    assert_eq!(
        facts(&records, Month::new(2026, 2).unwrap())
            .performances
            .len(),
        0
    );
}

async fn unauthorized() {
    let server = ReplayServer::start(
        Script::new()
            .route(Route::get("/api/attendees").reply(Reply::json(401, "{\"error\":\"unauthorized\"}")))
            .route(Route::get("/api/events").reply(Reply::json(
                200,
                r#"{"error":"unauthorized","description":"This key has limited rights to specific events"}"#,
            ))),
    )
    .await
    .unwrap();
    let spec = spec(SourceKind::Billetweb, &format!("{}/api", server.base_url()));
    let (outcome, sleeper) = run_sync(&spec, &creds(), None, utc(2026, 4, 1, 3, 0)).await;
    let err = outcome.unwrap_err();
    assert!(
        matches!(
            err,
            ApiError::Http(HttpError::Unauthorized { status: 401, .. })
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("billetweb") && err.to_string().contains("identifiants"));
    assert!(!err.is_retryable());
    assert!(sleeper.delays().is_empty());
    // A key restricted to some events: the body says so, with HTTP 200.
    let sleeper = std::sync::Arc::new(crate::http::RecordingSleeper::new(utc(2026, 4, 1, 3, 0)));
    let err = crate::api::check(&spec, &creds(), sleeper)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("tous les événements"), "{err}");
    // Missing variable: named, no call made.
    let before = server.requests().len();
    let (outcome, _) = run_sync(&spec, &env(&[("USER", USER)]), None, utc(2026, 4, 1, 3, 0)).await;
    assert!(outcome.unwrap_err().to_string().contains("T_KEY"));
    assert_eq!(server.requests().len(), before);
}

async fn rate_limited_then_success() {
    let mut s = tempete(vec![
        Reply::html(
            503,
            "<html><script src=\"/cdn-cgi/challenge-platform/h/b/orchestrate\"></script></html>",
        ),
        json_reply(tempete_attendees()),
    ]);
    // /attendees: HTTP 429 with Retry-After; /events: the rate-limit body with HTTP 200.
    s.routes[0].replies.insert(0, Reply::json(429, r#"{"error":"rate_limiting","description":"You exceed the global rate limiter : 100 hits per minute"}"#).header("Retry-After", "30"));
    s.routes[1].replies.insert(0, Reply::json(200, r#"{"error":"rate_limiting","description":"You exceed the global rate limiter : 100 hits per minute"}"#));
    let server = ReplayServer::start(s).await.unwrap();
    let spec = spec(SourceKind::Billetweb, &format!("{}/api", server.base_url()));
    let (outcome, sleeper) = run_sync(&spec, &creds(), None, utc(2026, 4, 1, 3, 0)).await;
    let outcome = outcome.unwrap();
    // Retry-After 30 s honoured, then the 2 s first backoff twice (body and Cloudflare page).
    assert_eq!(
        sleeper.delays(),
        [
            Duration::from_secs(30),
            Duration::from_secs(2),
            Duration::from_secs(2)
        ]
    );
    assert_eq!(tickets(&outcome.records).len(), 4);
    // Only the successful answers are kept.
    assert!(outcome
        .raw
        .iter()
        .all(|r| !r.body.contains("rate_limiting")));
    // Still throttled after every attempt: a clear, retryable error.
    let server = ReplayServer::start(
        Script::new().route(
            Route::get("/api/attendees")
                .reply(Reply::html(403, "<html>cdn-cgi/challenge-platform</html>")),
        ),
    )
    .await
    .unwrap();
    let spec =
        crate::api::testing::spec(SourceKind::Billetweb, &format!("{}/api", server.base_url()));
    let (outcome, _) = run_sync(&spec, &creds(), None, utc(2026, 4, 1, 3, 0)).await;
    let err = outcome.unwrap_err();
    assert!(err.is_retryable());
    assert!(err.to_string().contains("Cloudflare"), "{err}");
}

async fn server_error_then_success() {
    let mut s = tempete(vec![json_reply(tempete_attendees())]);
    s.routes[2]
        .replies
        .insert(0, Reply::json(500, "Internal error"));
    let server = ReplayServer::start(s).await.unwrap();
    let spec = spec(SourceKind::Billetweb, &format!("{}/api", server.base_url()));
    let (outcome, sleeper) = run_sync(&spec, &creds(), None, utc(2026, 4, 1, 3, 0)).await;
    assert_eq!(tickets(&outcome.unwrap().records).len(), 4);
    assert_eq!(sleeper.delays(), [Duration::from_secs(2)]);
    assert_eq!(server.requests_to("/api/event/48213/tickets").len(), 2);
}

async fn malformed_body() {
    let mut rows = tempete_attendees();
    rows[1]["price"] = json!({"amount": 22});
    let server = ReplayServer::start(tempete(vec![json_reply(rows)]))
        .await
        .unwrap();
    let spec = spec(SourceKind::Billetweb, &format!("{}/api", server.base_url()));
    let (outcome, _) = run_sync(&spec, &creds(), None, utc(2026, 4, 1, 3, 0)).await;
    let err = outcome.unwrap_err();
    match &err {
        ApiError::Malformed {
            vendor,
            endpoint,
            path,
            ..
        } => {
            assert_eq!(
                (vendor.as_str(), endpoint.as_str(), path.as_str()),
                ("billetweb", "/event/48213/attendees", "[1].price")
            );
        }
        other => panic!("{other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.contains("billetweb")
            && text.contains("/event/48213/attendees")
            && text.contains("[1].price"),
        "{text}"
    );
}

#[test]
fn stored_rows_that_no_longer_fit_are_quarantined_not_dropped() {
    let raw = vec![
        RawExchange { vendor: "billetweb".into(), endpoint: "/events".into(), request: String::new(), status: 200,
            body: Value::Array(vec![event("1", "X", "0000-00-00 00:00:00", false, "5.5")]).to_string(), fetched_at: utc(2026, 1, 1, 0, 0) },
        RawExchange { vendor: "billetweb".into(), endpoint: "/event/1/attendees".into(), request: String::new(), status: 200,
            body: r#"[{"id":"7","price":[1]},{"id":"8","price":"12.00","ticket":"Plein","order_payment_type":"cash"}]"#.into(), fetched_at: utc(2026, 1, 1, 0, 0) },
    ];
    let records = normalise::normalise("billetweb", &raw);
    // The performance without a start date and the unreadable row: 2 quarantined; ticket 8
    // has no tariff and no rate → the event's 5.5 %.
    assert_eq!(quarantined(&records), 2);
    let t = tickets(&records);
    assert_eq!((t.len(), t[0].vat_rate.to_string()), (1, "5.5".to_string()));
}
