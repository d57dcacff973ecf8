//! Mapado against the replay server, in every compliance scenario.

use super::client::{CHANGED_FIELDS, DATE_FIELDS, DATE_LOOKUP_FIELDS, TICKET_FIELDS};
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
        Box::pin(several_pages_and_id_chunks())
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

const TOKEN: &str = "mp-token-9f8e7d";
const START: &str = "2026-03-20T20:30:00+01:00";

fn creds() -> std::collections::BTreeMap<String, String> {
    env(&[("TOKEN", TOKEN)])
}

pub(crate) fn collection(members: Vec<Value>, next: Option<&str>) -> Reply {
    let mut view = json!({"@id": "/v1/tickets?page=1", "@type": "hydra:PartialCollectionView"});
    if let Some(n) = next {
        view["hydra:next"] = json!(n);
    }
    Reply::json_ld(200, json!({"@context": "/v1/contexts/Ticket", "@type": "hydra:Collection", "hydra:totalItems": members.len(), "hydra:member": members, "hydra:view": view}).to_string())
}

/// A price as Mapado sends it: `facialValue` in cents and, beside it, `valueIncvat` as a JSON
/// float in euros — the vendor's own representation, which the collector must not trust.
fn price(id: u32, kind: &str, name: &str, cents: i64, rate: Value) -> Value {
    json!({"@id": format!("/v1/ticket_prices/{id}"), "id": id, "type": kind, "name": name, "description": null, "currency": "EUR",
           "facialValue": cents, "valueIncvat": cents as f64 / 100.0, "tax": {"rate": rate, "countryCode": "FR"}})
}

fn date(id: u32, start: &str, prices: Vec<Value>) -> Value {
    json!({"@id": format!("/v1/event_dates/{id}"), "ticketing": "/v1/ticketings/7001", "startDate": start, "endDate": start,
           "startOfEventDay": start, "status": "opened", "totalStock": 400, "ticketPriceList": prices})
}

fn prices_44001() -> Vec<Value> {
    vec![
        price(66001, "full_price", "Plein", 1800, json!(0.055)),
        price(66002, "exempted", "Exonéré", 0, json!(0.0)),
        price(66003, "reduced", "Réduit", 1200, json!(0.055)),
        price(66004, "other", "Formule dîner", 4500, json!(0.2)),
        price(66005, "default", "Création", 1000, json!(0.021)),
        price(66006, "other", "Invitation", 0, json!(0.055)),
    ]
}

pub(crate) fn ticket(id: u32, status: &str, cents: Option<i64>, price: u32, date: u32) -> Value {
    json!({"@id": format!("/v1/tickets/{id}"), "@type": "Ticket", "status": status, "facialValue": cents,
           "ticketPrice": format!("/v1/ticket_prices/{price}"), "eventDate": format!("/v1/event_dates/{date}"),
           "isValid": status == "payed", "imported": false, "boughtAt": "2026-02-03T10:15:00+01:00"})
}

fn auth(route: Route) -> Route {
    route.header("authorization", &format!("Bearer {TOKEN}"))
}

/// A fake Mapado with ticketing 7001 (dates 44001 at `start` and 44002), whose full ticket
/// listing answers `tickets` in turn.
fn script(start: &str, tickets: Vec<Reply>) -> Script {
    let mut full = auth(
        Route::get("/v1/tickets")
            .query("ticketing", "/v1/ticketings/7001")
            .query("fields", TICKET_FIELDS),
    );
    for r in tickets {
        full = full.reply(r);
    }
    Script::new()
        .route(auth(Route::get("/v1/tickets").query("fields", CHANGED_FIELDS).query("updatedSince", "*")).reply(collection(
            vec![json!({"@id": "/v1/tickets/8800011", "eventDate": "/v1/event_dates/44001", "updatedAt": "2026-02-03T10:15:00+01:00"})],
            None,
        )))
        .route(auth(Route::get("/v1/event_dates").query("fields", DATE_LOOKUP_FIELDS)).reply(collection(
            vec![json!({"@id": "/v1/event_dates/44001", "ticketing": "/v1/ticketings/7001"})],
            None,
        )))
        .route(auth(Route::get("/v1/ticketings").query("@id", "7001")).reply(collection(
            vec![json!({"@id": "/v1/ticketings/7001", "type": "dated_events", "title": "Le Misanthrope", "currency": "EUR",
                        "eventDateList": ["/v1/event_dates/44001", "/v1/event_dates/44002"],
                        "venue": {"name": "Grande salle", "city": "Nantes", "zipCode": "44000", "countryCode": "FR"}})],
            None,
        )))
        .route(auth(Route::get("/v1/event_dates").query("fields", DATE_FIELDS).query("@id", "44001,44002")).reply(collection(
            vec![date(44001, start, prices_44001()), date(44002, "2026-03-21T16:00:00+01:00", vec![price(66101, "full_price", "Plein", 1800, json!(0.055))])],
            None,
        )))
        .route(full)
}

async fn sync_once(
    s: Script,
    now: chrono::DateTime<chrono::Utc>,
) -> (
    ReplayServer,
    Result<crate::api::SyncOutcome, ApiError>,
    std::sync::Arc<crate::http::RecordingSleeper>,
) {
    let server = ReplayServer::start(s).await.unwrap();
    let (outcome, sleeper) = run_sync(
        &spec(SourceKind::Mapado, server.base_url()),
        &creds(),
        None,
        now,
    )
    .await;
    (server, outcome, sleeper)
}

async fn basic_month() {
    let rows = vec![
        ticket(8800011, "payed", Some(1800), 66001, 44001),
        ticket(8800012, "payed", Some(1200), 66003, 44001),
        ticket(8800013, "payed", None, 66001, 44001),
    ];
    let (server, outcome, sleeper) = sync_once(
        script(START, vec![collection(rows, None)]),
        utc(2026, 4, 1, 3, 0),
    )
    .await;
    let outcome = outcome.unwrap();
    // The answers just recorded, mutated and normalised again (robustness/vendors.rs).
    crate::robustness::mutate_vendor_answers(SourceKind::Mapado, &outcome.raw);
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());
    assert!(sleeper.delays().is_empty());
    assert_eq!(
        server.requests_to("/v1/tickets")[0].query_value("updatedSince"),
        Some("2025-03-01T03:00:00+00:00")
    );
    assert_eq!(outcome.raw.len(), 5);
    assert!(outcome.raw.iter().all(|r| !r.request.contains(TOKEN)));
    let p = performances(&outcome.records);
    assert_eq!(
        p.iter().map(|p| p.external_id.as_str()).collect::<Vec<_>>(),
        ["44001", "44002"]
    );
    assert_eq!(
        (p[0].show_id.as_str(), p[0].show_title.as_str()),
        ("7001", "Le Misanthrope")
    );
    assert_eq!(p[0].starts_at, utc(2026, 3, 20, 19, 30));
    assert_eq!(
        (p[0].capacity, p[0].venue.postal_code.as_deref()),
        (Some(400), Some("44000"))
    );
    let t = tickets(&outcome.records);
    // Cents: 1800 → 18.00, 1200 → 12.00; the null facialValue takes its category's 1800.
    assert_eq!(
        t.iter()
            .map(|t| t.price_incl_vat.to_string())
            .collect::<Vec<_>>(),
        ["18.00", "12.00", "18.00"]
    );
    assert_eq!(
        t.iter().map(|t| t.price_kind.unwrap()).collect::<Vec<_>>(),
        [PriceKind::Full, PriceKind::Reduced, PriceKind::Full]
    );
    assert!(t.iter().all(|t| t.vat_rate.to_string() == "5.5"
        && t.status == TicketStatus::Valid
        && t.performance_external_id == "44001"));
    let f = facts(&outcome.records, Month::new(2026, 3).unwrap());
    // 48.00 / 1.055 = 45.497… → 45.50.
    assert_eq!(
        (
            f.performances[0].receipts_incl_vat.to_string(),
            f.performances[0].receipts_excl_vat.to_string()
        ),
        ("48.00".into(), "45.50".into())
    );
}

async fn several_pages_and_id_chunks() {
    let mut s = script(START, vec![]);
    // Changed feed: 501 event dates over two pages announced by the older `hydra:nextPage`.
    let changed: Vec<Value> = (0..501).map(|i| json!({"@id": format!("/v1/tickets/{}", 9_000_000 + i), "eventDate": format!("/v1/event_dates/{}", 40_000 + i)})).collect();
    let mut first =
        json!({"hydra:member": changed[..300], "hydra:totalItems": 501, "hydra:nextPage": 2});
    first["hydra:member"] = Value::Array(changed[..300].to_vec());
    s.routes[0] = auth(
        Route::get("/v1/tickets")
            .query("fields", CHANGED_FIELDS)
            .query("page", "1"),
    )
    .reply(Reply::json_ld(200, first.to_string()));
    s = s.route(
        auth(
            Route::get("/v1/tickets")
                .query("fields", CHANGED_FIELDS)
                .query("page", "2"),
        )
        .reply(collection(changed[300..].to_vec(), None)),
    );
    // Full listing: two pages linked by `hydra:view.hydra:next`.
    let full = auth(Route::get("/v1/tickets").query("ticketing", "/v1/ticketings/7001"));
    s.routes[4] = full.clone().query("page", "1").reply(collection(
        vec![
            ticket(1, "payed", Some(1800), 66001, 44001),
            ticket(2, "payed", Some(1800), 66001, 44001),
        ],
        Some("/v1/tickets?page=2"),
    ));
    s = s.route(full.query("page", "2").reply(collection(
        vec![ticket(3, "payed", Some(1800), 66101, 44002)],
        None,
    )));
    let (server, outcome, _) = sync_once(s, utc(2026, 4, 1, 3, 0)).await;
    let outcome = outcome.unwrap();
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());
    let lookups: Vec<_> = server
        .requests_to("/v1/event_dates")
        .into_iter()
        .filter(|r| r.query_value("fields") == Some(DATE_LOOKUP_FIELDS))
        .collect();
    // 501 short ids → chunks of 500 and 1, without the IRI prefix.
    let sizes: Vec<usize> = lookups
        .iter()
        .map(|r| r.query_value("@id").unwrap().split(',').count())
        .collect();
    assert_eq!(sizes, [500, 1]);
    assert!(lookups
        .iter()
        .all(|r| !r.query_value("@id").unwrap().contains("/v1/")));
    assert_eq!(
        lookups[0].query_value("@id").unwrap().split(',').next(),
        Some("40000")
    );
    let t = tickets(&outcome.records);
    assert_eq!(t.len(), 3);
    assert_eq!(t[2].performance_external_id, "44002");
}

async fn refund_after_first_sync() {
    let valid = vec![
        ticket(8800011, "payed", Some(1800), 66001, 44001),
        ticket(8800012, "payed", Some(1800), 66001, 44001),
    ];
    let mut refunded = valid.clone();
    refunded[1]["status"] = json!("refunded");
    let server = ReplayServer::start(script(
        START,
        vec![collection(valid, None), collection(refunded, None)],
    ))
    .await
    .unwrap();
    let spec = spec(SourceKind::Mapado, server.base_url());
    let (first, _) = run_sync(&spec, &creds(), None, utc(2026, 3, 16, 3, 0)).await;
    let first = first.unwrap();
    let (second, _) = run_sync(&spec, &creds(), Some(first.cursor), utc(2026, 4, 1, 3, 0)).await;
    let second = second.unwrap();
    let feeds: Vec<_> = server
        .requests_to("/v1/tickets")
        .into_iter()
        .filter(|r| r.query_value("fields") == Some(CHANGED_FIELDS))
        .collect();
    assert_eq!(
        feeds[1].query_value("updatedSince"),
        Some("2026-03-16T03:00:00+00:00")
    );
    let t = tickets(&second.records);
    assert_eq!(
        (t[1].ticket_id.as_str(), t[1].status),
        ("8800012", TicketStatus::Refunded)
    );
    let all: Vec<_> = first.raw.iter().chain(second.raw.iter()).cloned().collect();
    assert_eq!(
        tickets(&normalise_stored(SourceKind::Mapado, "mapado", &all)),
        t
    );
}

async fn free_tickets_and_invitations() {
    let rows = vec![
        ticket(1, "payed", Some(1800), 66001, 44001),
        ticket(2, "payed", Some(0), 66002, 44001),
        ticket(3, "payed", Some(0), 66006, 44001),
    ];
    let (_server, outcome, _) = sync_once(
        script(START, vec![collection(rows, None)]),
        utc(2026, 4, 1, 3, 0),
    )
    .await;
    let records = outcome.unwrap().records;
    let t = tickets(&records);
    assert!(t[1..].iter().all(|t| t.is_free()
        && t.counts()
        && t.price_kind == Some(PriceKind::Free)
        && t.vat_rate.to_string() == "0"));
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
    let rows = vec![
        ticket(1, "payed", Some(1800), 66001, 44001),
        ticket(2, "payed", Some(4500), 66004, 44001),
        ticket(3, "payed", Some(1000), 66005, 44001),
    ];
    let (_server, outcome, _) = sync_once(
        script(START, vec![collection(rows, None)]),
        utc(2026, 4, 1, 3, 0),
    )
    .await;
    let records = outcome.unwrap().records;
    // Fractions on the wire: 0.055, 0.2, 0.021.
    assert_eq!(
        tickets(&records)
            .iter()
            .map(|t| t.vat_rate.to_string())
            .collect::<Vec<_>>(),
        ["5.5", "20", "2.1"]
    );
    let f = facts(&records, Month::new(2026, 3).unwrap());
    // 10/1.021 = 9.79; 18/1.055 = 17.06; 45/1.2 = 37.50 → 64.35.
    assert_eq!(f.performances[0].receipts_excl_vat.to_string(), "64.35");
}

async fn late_night_last_day_of_month() {
    let rows = vec![ticket(1, "payed", Some(1800), 66001, 44001)];
    let (_server, outcome, _) = sync_once(
        script("2026-01-31T23:30:00+01:00", vec![collection(rows, None)]),
        utc(2026, 2, 1, 3, 0),
    )
    .await;
    let records = outcome.unwrap().records;
    assert_eq!(
        performances(&records)[0].starts_at,
        utc(2026, 1, 31, 22, 30)
    );
    let jan = facts(&records, Month::new(2026, 1).unwrap());
    assert_eq!(
        (jan.performances.len(), jan.performances[0].paid_tickets),
        (1, 1)
    );
    // 44002 (21 March) is not in January; nothing of January leaks into February.
    assert!(facts(&records, Month::new(2026, 2).unwrap())
        .performances
        .is_empty());
}

async fn unauthorized() {
    let server = ReplayServer::start(script(START, vec![])).await.unwrap();
    let (outcome, _) = run_sync(
        &spec(SourceKind::Mapado, server.base_url()),
        &env(&[("TOKEN", "wrong-token")]),
        None,
        utc(2026, 4, 1, 3, 0),
    )
    .await;
    let err = outcome.unwrap_err();
    assert!(
        matches!(
            err,
            ApiError::Http(HttpError::Unauthorized { status: 401, .. })
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("mapado") && !err.to_string().contains("wrong-token"));
    assert_eq!(server.requests().len(), 1);
    let sleeper = std::sync::Arc::new(crate::http::RecordingSleeper::new(utc(2026, 4, 1, 3, 0)));
    assert!(crate::api::check(
        &spec(SourceKind::Mapado, server.base_url()),
        &env(&[("TOKEN", "wrong")]),
        sleeper
    )
    .await
    .is_err());
}

async fn rate_limited_then_success() {
    let mut s = script(
        START,
        vec![collection(
            vec![ticket(1, "payed", Some(1800), 66001, 44001)],
            None,
        )],
    );
    // Retry-After as an HTTP date, 20 s after the (virtual) clock: Wed 1 April 2026 03:00:20 GMT.
    s.routes[0].replies.insert(
        0,
        Reply::json(429, "{}").header("Retry-After", "Wed, 01 Apr 2026 03:00:20 GMT"),
    );
    let (_server, outcome, sleeper) = sync_once(s, utc(2026, 4, 1, 3, 0)).await;
    assert_eq!(tickets(&outcome.unwrap().records).len(), 1);
    assert_eq!(sleeper.delays(), [Duration::from_secs(20)]);
}

async fn server_error_then_success() {
    let mut s = script(
        START,
        vec![collection(
            vec![ticket(1, "payed", Some(1800), 66001, 44001)],
            None,
        )],
    );
    s.routes[2]
        .replies
        .insert(0, Reply::json(502, "Bad gateway"));
    let (server, outcome, sleeper) = sync_once(s, utc(2026, 4, 1, 3, 0)).await;
    assert_eq!(tickets(&outcome.unwrap().records).len(), 1);
    assert_eq!(sleeper.delays(), [Duration::from_secs(2)]);
    assert_eq!(server.requests_to("/v1/ticketings").len(), 2);
}

async fn malformed_body() {
    let mut bad = ticket(2, "payed", Some(1800), 66001, 44001);
    bad["facialValue"] = json!("dix-huit");
    let rows = vec![ticket(1, "payed", Some(1800), 66001, 44001), bad];
    let (_server, outcome, _) = sync_once(
        script(START, vec![collection(rows, None)]),
        utc(2026, 4, 1, 3, 0),
    )
    .await;
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
                ("mapado", "/v1/tickets", "hydra:member[1].facialValue")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn foreign_tax_and_imported_tickets_without_price_are_quarantined() {
    let at = utc(2026, 1, 1, 0, 0);
    let mut foreign = price(1, "full_price", "Plein", 2000, json!(0.21));
    foreign["tax"]["countryCode"] = json!("BE");
    let ex = |endpoint: &str, members: Vec<Value>| RawExchange {
        vendor: "mapado".into(),
        endpoint: endpoint.into(),
        request: String::new(),
        status: 200,
        body: json!({"hydra:member": members}).to_string(),
        fetched_at: at,
    };
    let mut imported = ticket(11, "payed", Some(1500), 1, 44001);
    imported["ticketPrice"] = Value::Null;
    imported["imported"] = json!(true);
    let raw = vec![
        ex(
            "/v1/ticketings",
            vec![
                json!({"@id": "/v1/ticketings/7001", "type": "dated_events", "title": "X", "eventDateList": ["/v1/event_dates/44001"]}),
            ],
        ),
        ex("/v1/event_dates", vec![date(44001, START, vec![foreign])]),
        ex(
            "/v1/tickets",
            vec![ticket(10, "payed", Some(2000), 1, 44001), imported],
        ),
    ];
    let records = normalise::normalise("mapado", &raw);
    assert_eq!(quarantined(&records), 2);
    assert!(tickets(&records).is_empty());
    assert_eq!(performances(&records).len(), 1);
}
