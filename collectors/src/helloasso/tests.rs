//! HelloAsso against the replay server, in every compliance scenario.

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
        Box::pin(several_pages_and_token_refresh())
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

const CLIENT_ID: &str = "ha-client-0042";
const CLIENT_SECRET: &str = "ha-secret-s3cr3t";
const ORG: &str = "/v5/organizations/cie-du-vent";
const SLUG: &str = "la-tempete-2026-03-20";

fn creds() -> std::collections::BTreeMap<String, String> {
    env(&[("CLIENT_ID", CLIENT_ID), ("CLIENT_SECRET", CLIENT_SECRET)])
}

fn token_reply(access: &str, expires_in: i64) -> Reply {
    Reply::json(200, json!({"access_token": access, "token_type": "bearer", "expires_in": expires_in, "refresh_token": "refresh-r1"}).to_string())
}

pub(crate) fn page(data: Vec<Value>, index: i64, total: i64, token: Option<&str>) -> Reply {
    Reply::json(200, json!({"data": data, "pagination": {"pageSize": 100, "totalCount": -1, "pageIndex": index, "totalPages": total, "continuationToken": token}}).to_string())
}

pub(crate) fn tier(id: i64, label: &str, cents: i64, vat: Value) -> Value {
    json!({"id": id, "label": label, "tierType": "Registration", "price": cents, "vatRate": vat, "paymentFrequency": "Single"})
}

pub(crate) fn form(slug: &str, title: &str, start: &str, tiers: Vec<Value>) -> Value {
    json!({"formSlug": slug, "formType": "Event", "title": title, "state": "Public", "currency": "EUR",
           "startDate": start, "endDate": start,
           "place": {"name": "Salle des fêtes", "address": "1 place de la Mairie", "city": "Vannes", "zipCode": "56000", "country": "FRA"},
           "tiers": tiers, "organizationSlug": "cie-du-vent"})
}

pub(crate) fn item(
    id: i64,
    cents: i64,
    state: &str,
    name: &str,
    tier: i64,
    category: &str,
) -> Value {
    json!({"id": id, "amount": cents, "initialAmount": cents, "type": "Registration", "state": state, "name": name,
           "tierId": tier, "priceCategory": category,
           "order": {"id": id / 10, "date": "2026-02-03T19:22:10+01:00", "formSlug": SLUG, "formType": "Event"},
           "payer": {"email": "p@example.org"}, "payments": []})
}

fn tempete_tiers() -> Vec<Value> {
    vec![
        tier(55001, "Tarif plein", 1500, json!(5.5)),
        tier(55002, "Enfant -12 ans", 0, json!(0)),
        tier(55003, "Tarif réduit", 1000, json!(5.5)),
        tier(55004, "Invitation", 0, json!(0)),
        tier(55010, "Repas et spectacle", 3000, json!(20)),
        tier(55011, "Création", 1000, json!(0.021)),
    ]
}

fn order(slug: &str) -> Value {
    json!({"id": 910001, "date": "2026-02-03T19:22:10+01:00", "formSlug": slug, "formType": "Event", "amount": {"total": 1500, "vat": 78, "discount": 0}})
}

fn bearer(route: Route) -> Route {
    route.header("authorization", "*")
}

/// A fake HelloAsso with one event form whose items answer `items` in turn.
fn script(start: &str, items: Vec<Reply>, expires_in: i64) -> Script {
    let mut items_route = bearer(
        Route::get(&format!("{ORG}/forms/Event/{SLUG}/items")).query("tierTypes", "Registration"),
    );
    for r in items {
        items_route = items_route.reply(r);
    }
    Script::new()
        .route(
            Route::post("/oauth2/token")
                .form("grant_type", "client_credentials")
                .form("client_id", CLIENT_ID)
                .form("client_secret", CLIENT_SECRET)
                .reply(token_reply("tok-1", expires_in)),
        )
        .route(
            Route::post("/oauth2/token")
                .form("grant_type", "refresh_token")
                .form("client_id", CLIENT_ID)
                .form("refresh_token", "refresh-r1")
                .reply(token_reply("tok-2", 1800)),
        )
        .route(bearer(Route::get("/v5/users/me/organizations")).reply(Reply::json(200, json!([{"name": "Cie du Vent", "organizationSlug": "cie-du-vent", "role": "OrganizationAdmin"}]).to_string())))
        .route(bearer(Route::get(&format!("{ORG}/orders")).query("formTypes", "Event").without("continuationToken")).reply(page(vec![order(SLUG)], 1, 1, Some("MjAyNi0wMi0wM1Q="))))
        .route(bearer(Route::get(&format!("{ORG}/forms")).query("formTypes", "Event")).reply(page(vec![json!({"formSlug": SLUG, "formType": "Event", "startDate": start})], 1, 1, None)))
        .route(bearer(Route::get(&format!("{ORG}/forms/Event/{SLUG}/public"))).reply(Reply::json(200, form(SLUG, "La Tempête", start, tempete_tiers()).to_string())))
        .route(items_route)
}

const START: &str = "2026-03-20T20:00:00+01:00";

async fn basic_month() {
    let items = vec![
        item(920001, 1500, "Processed", "Tarif plein", 55001, "Fixed"),
        item(920003, 1000, "Processed", "Tarif réduit", 55003, "Fixed"),
        item(920004, 1500, "Registered", "Tarif plein", 55001, "Fixed"),
    ];
    let server = ReplayServer::start(script(START, vec![page(items, 1, 1, None)], 1800))
        .await
        .unwrap();
    let spec = spec(SourceKind::Helloasso, server.base_url());
    let now = utc(2026, 4, 1, 3, 0);
    let (outcome, sleeper) = run_sync(&spec, &creds(), None, now).await;
    let outcome = outcome.unwrap();
    // The answers just recorded, mutated and normalised again (robustness/vendors.rs).
    crate::robustness::mutate_vendor_answers(SourceKind::Helloasso, &outcome.raw);
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());
    assert!(sleeper.delays().is_empty());
    let reqs = server.requests();
    assert_eq!(reqs[0].path, "/oauth2/token");
    assert!(reqs[1..]
        .iter()
        .all(|r| r.header("authorization") == Some("Bearer tok-1")));
    let orders = &server.requests_to(&format!("{ORG}/orders"))[0];
    assert_eq!(orders.query_value("from"), Some("2025-03-01T03:00:00Z"));
    assert_eq!(orders.query_value("to"), Some("2026-04-01T03:00:00Z"));
    assert_eq!(orders.query_value("pageSize"), Some("100"));
    // No token, secret or token call in what is stored.
    assert!(outcome
        .raw
        .iter()
        .all(|r| r.endpoint != "/oauth2/token" && !r.body.contains("tok-1")));
    assert_scrubbed(&outcome.raw, &[CLIENT_SECRET, CLIENT_ID]);

    let p = performances(&outcome.records);
    assert_eq!(p.len(), 1);
    assert_eq!(
        (p[0].external_id.as_str(), p[0].show_title.as_str()),
        (SLUG, "La Tempête")
    );
    assert_eq!(p[0].starts_at, utc(2026, 3, 20, 19, 0));
    assert_eq!(
        (
            p[0].venue.name.as_str(),
            p[0].venue.postal_code.as_deref(),
            p[0].venue.city.as_deref()
        ),
        ("Salle des fêtes", Some("56000"), Some("Vannes"))
    );
    let t = tickets(&outcome.records);
    // Cents: 1500 → 15.00, 1000 → 10.00.
    let prices: Vec<String> = t.iter().map(|t| t.price_incl_vat.to_string()).collect();
    assert_eq!(prices, ["15.00", "10.00", "15.00"]);
    assert!(t
        .iter()
        .all(|t| t.vat_rate.to_string() == "5.5" && t.status == TicketStatus::Valid));
    assert_eq!(
        t.iter().map(|t| t.price_kind.unwrap()).collect::<Vec<_>>(),
        [PriceKind::Full, PriceKind::Reduced, PriceKind::Full]
    );
    let f = facts(&outcome.records, Month::new(2026, 3).unwrap());
    // 40.00 / 1.055 = 37.914… → 37.91.
    assert_eq!(
        (
            f.performances[0].receipts_incl_vat.to_string(),
            f.performances[0].receipts_excl_vat.to_string()
        ),
        ("40.00".into(), "37.91".into())
    );
}

async fn several_pages_and_token_refresh() {
    let i = |id| item(id, 1500, "Processed", "Tarif plein", 55001, "Fixed");
    // A token that expires within the safety minute: every later call refreshes it.
    let mut s = script(START, vec![], 30);
    let items_path = format!("{ORG}/forms/Event/{SLUG}/items");
    s.routes.pop();
    s = s
        .route(
            bearer(Route::get(&items_path).without("continuationToken")).reply(page(
                vec![i(1), i(2)],
                1,
                3,
                Some("tA"),
            )),
        )
        .route(
            bearer(Route::get(&items_path).query("continuationToken", "tA")).reply(page(
                vec![i(3), i(4)],
                2,
                3,
                Some("tB"),
            )),
        )
        // Last page still carries a fresh token: pageIndex = totalPages ends the listing.
        .route(
            bearer(Route::get(&items_path).query("continuationToken", "tB")).reply(page(
                vec![i(5)],
                3,
                3,
                Some("tC"),
            )),
        )
        // Orders: the second page repeats the token with no data (no end marker).
        .route(
            bearer(
                Route::get(&format!("{ORG}/orders")).query("continuationToken", "MjAyNi0wMi0wM1Q="),
            )
            .reply(page(vec![], -1, -1, Some("MjAyNi0wMi0wM1Q="))),
        );
    s.routes[3].replies = vec![page(vec![order(SLUG)], -1, -1, Some("MjAyNi0wMi0wM1Q="))];
    let server = ReplayServer::start(s).await.unwrap();
    let spec = spec(SourceKind::Helloasso, server.base_url());
    let (outcome, _) = run_sync(&spec, &creds(), None, utc(2026, 4, 1, 3, 0)).await;
    let outcome = outcome.unwrap();
    assert!(server.unmatched().is_empty(), "{:?}", server.unmatched());
    assert_eq!(tickets(&outcome.records).len(), 5);
    assert_eq!(server.requests_to(&items_path).len(), 3);
    assert!(server
        .requests_to(&items_path)
        .iter()
        .all(|r| r.header("authorization") == Some("Bearer tok-2")));
    assert_eq!(server.requests_to(&format!("{ORG}/orders")).len(), 2);
    let grants: Vec<String> = server
        .requests_to("/oauth2/token")
        .iter()
        .map(|r| {
            r.form
                .iter()
                .find(|(k, _)| k == "grant_type")
                .unwrap()
                .1
                .clone()
        })
        .collect();
    // tok-1 expires within the safety minute: refreshed once; tok-2 lasts 30 min.
    assert_eq!(grants, ["client_credentials", "refresh_token"]);
}

async fn refund_after_first_sync() {
    let first = vec![
        item(920001, 1500, "Processed", "Tarif plein", 55001, "Fixed"),
        item(920003, 1000, "Processed", "Tarif réduit", 55003, "Fixed"),
    ];
    let mut second = first.clone();
    second[1]["state"] = json!("Refunded");
    let mut s = script(
        START,
        vec![page(first, 1, 1, None), page(second, 1, 1, None)],
        1800,
    );
    // After the first sync, no new order: the form is re-read because its date is recent.
    s.routes[3].replies = vec![
        page(vec![order(SLUG)], 1, 1, None),
        page(vec![], 1, 1, None),
    ];
    let server = ReplayServer::start(s).await.unwrap();
    let spec = spec(SourceKind::Helloasso, server.base_url());
    let (first, _) = run_sync(&spec, &creds(), None, utc(2026, 3, 16, 3, 0)).await;
    let first = first.unwrap();
    let (second, _) = run_sync(&spec, &creds(), Some(first.cursor), utc(2026, 4, 1, 3, 0)).await;
    let second = second.unwrap();
    let orders = server.requests_to(&format!("{ORG}/orders"));
    assert_eq!(orders[1].query_value("from"), Some("2026-03-16T03:00:00Z"));
    let t = tickets(&second.records);
    assert_eq!(
        (t[1].ticket_id.as_str(), t[1].status),
        ("920003", TicketStatus::Refunded)
    );
    let all: Vec<_> = first.raw.iter().chain(second.raw.iter()).cloned().collect();
    let again = normalise_stored(SourceKind::Helloasso, "helloasso", &all);
    assert_eq!(tickets(&again), t);
    let f = facts(&again, Month::new(2026, 3).unwrap());
    assert_eq!(
        (
            f.performances[0].paid_tickets,
            f.performances[0].void_tickets
        ),
        (1, 1)
    );
}

async fn free_tickets_and_invitations() {
    let items = vec![
        item(920001, 1500, "Processed", "Tarif plein", 55001, "Fixed"),
        item(920002, 0, "Processed", "Enfant -12 ans", 55002, "Free"),
        item(920005, 0, "Registered", "Invitation", 55004, "Fixed"),
    ];
    let server = ReplayServer::start(script(START, vec![page(items, 1, 1, None)], 1800))
        .await
        .unwrap();
    let (outcome, _) = run_sync(
        &spec(SourceKind::Helloasso, server.base_url()),
        &creds(),
        None,
        utc(2026, 4, 1, 3, 0),
    )
    .await;
    let records = outcome.unwrap().records;
    let t = tickets(&records);
    assert!(t[1..]
        .iter()
        .all(|t| t.is_free() && t.counts() && t.price_kind == Some(PriceKind::Free)));
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
    let items = vec![
        item(1, 1500, "Processed", "Tarif plein", 55001, "Fixed"),
        item(2, 3000, "Processed", "Repas et spectacle", 55010, "Fixed"),
        item(3, 1000, "Processed", "Création", 55011, "Fixed"),
    ];
    let server = ReplayServer::start(script(START, vec![page(items, 1, 1, None)], 1800))
        .await
        .unwrap();
    let (outcome, _) = run_sync(
        &spec(SourceKind::Helloasso, server.base_url()),
        &creds(),
        None,
        utc(2026, 4, 1, 3, 0),
    )
    .await;
    let records = outcome.unwrap().records;
    // Percent 5.5 and 20 as observed; 0.021 as the OpenAPI documents it → 2.1 %.
    let rates: Vec<String> = tickets(&records)
        .iter()
        .map(|t| t.vat_rate.to_string())
        .collect();
    assert_eq!(rates, ["5.5", "20", "2.1"]);
    let f = facts(&records, Month::new(2026, 3).unwrap());
    // 10/1.021 = 9.79; 15/1.055 = 14.22; 30/1.2 = 25.00 → 49.01 excl.
    assert_eq!(f.performances[0].receipts_excl_vat.to_string(), "49.01");
}

async fn late_night_last_day_of_month() {
    let start = "2026-01-31T23:30:00+01:00";
    let items = vec![item(1, 1500, "Processed", "Tarif plein", 55001, "Fixed")];
    let server = ReplayServer::start(script(start, vec![page(items, 1, 1, None)], 1800))
        .await
        .unwrap();
    let (outcome, _) = run_sync(
        &spec(SourceKind::Helloasso, server.base_url()),
        &creds(),
        None,
        utc(2026, 2, 1, 3, 0),
    )
    .await;
    let records = outcome.unwrap().records;
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
    // Bad client secret: the token endpoint refuses (HelloAsso answers 400 or 401).
    let server = ReplayServer::start(Script::new().route(
        Route::post("/oauth2/token").reply(Reply::json(400, r#"{"error":"unauthorized_client"}"#)),
    ))
    .await
    .unwrap();
    let (outcome, _) = run_sync(
        &spec(SourceKind::Helloasso, server.base_url()),
        &creds(),
        None,
        utc(2026, 4, 1, 3, 0),
    )
    .await;
    let err = outcome.unwrap_err();
    assert!(
        matches!(err, ApiError::Http(HttpError::Unauthorized { .. })),
        "{err:?}"
    );
    assert!(err.to_string().contains("helloasso") && err.to_string().contains("identifiants"));
    assert!(!err.to_string().contains(CLIENT_SECRET));
    // A token refused mid-sync (401): refreshed once, then the call succeeds.
    let mut s = script(
        START,
        vec![page(
            vec![item(1, 1500, "Processed", "Tarif plein", 55001, "Fixed")],
            1,
            1,
            None,
        )],
        1800,
    );
    s.routes[2]
        .replies
        .insert(0, Reply::json(401, r#"{"message":"Token expired"}"#));
    let server = ReplayServer::start(s).await.unwrap();
    let (outcome, _) = run_sync(
        &spec(SourceKind::Helloasso, server.base_url()),
        &creds(),
        None,
        utc(2026, 4, 1, 3, 0),
    )
    .await;
    assert_eq!(tickets(&outcome.unwrap().records).len(), 1);
    let grants: Vec<Option<String>> = server
        .requests_to("/oauth2/token")
        .iter()
        .map(|r| {
            r.form
                .iter()
                .find(|(k, _)| k == "grant_type")
                .map(|g| g.1.clone())
        })
        .collect();
    assert_eq!(
        grants,
        [
            Some("client_credentials".into()),
            Some("refresh_token".into())
        ]
    );
    // Still refused after the refresh: an authorisation error, not a loop.
    let mut s = script(START, vec![], 1800);
    s.routes[2].replies = vec![Reply::json(401, "{}")];
    let server = ReplayServer::start(s).await.unwrap();
    let (outcome, _) = run_sync(
        &spec(SourceKind::Helloasso, server.base_url()),
        &creds(),
        None,
        utc(2026, 4, 1, 3, 0),
    )
    .await;
    assert!(matches!(
        outcome.unwrap_err(),
        ApiError::Http(HttpError::Unauthorized { status: 401, .. })
    ));
    assert_eq!(server.requests_to("/v5/users/me/organizations").len(), 2);
}

async fn rate_limited_then_success() {
    let mut s = script(
        START,
        vec![page(
            vec![item(1, 1500, "Processed", "Tarif plein", 55001, "Fixed")],
            1,
            1,
            None,
        )],
        1800,
    );
    s.routes[3]
        .replies
        .insert(0, Reply::json(429, "{}").header("Retry-After", "10"));
    let server = ReplayServer::start(s).await.unwrap();
    let (outcome, sleeper) = run_sync(
        &spec(SourceKind::Helloasso, server.base_url()),
        &creds(),
        None,
        utc(2026, 4, 1, 3, 0),
    )
    .await;
    assert_eq!(tickets(&outcome.unwrap().records).len(), 1);
    assert_eq!(sleeper.delays(), [Duration::from_secs(10)]);
}

async fn server_error_then_success() {
    let items = page(
        vec![item(1, 1500, "Processed", "Tarif plein", 55001, "Fixed")],
        1,
        1,
        None,
    );
    let server = ReplayServer::start(script(START, vec![Reply::json(500, "{}"), items], 1800))
        .await
        .unwrap();
    let (outcome, sleeper) = run_sync(
        &spec(SourceKind::Helloasso, server.base_url()),
        &creds(),
        None,
        utc(2026, 4, 1, 3, 0),
    )
    .await;
    assert_eq!(tickets(&outcome.unwrap().records).len(), 1);
    assert_eq!(sleeper.delays(), [Duration::from_secs(2)]);
}

async fn malformed_body() {
    let mut bad = item(2, 1500, "Processed", "Tarif plein", 55001, "Fixed");
    bad["amount"] = json!("quinze euros");
    let items = page(
        vec![
            item(1, 1500, "Processed", "Tarif plein", 55001, "Fixed"),
            bad,
        ],
        1,
        1,
        None,
    );
    let server = ReplayServer::start(script(START, vec![items], 1800))
        .await
        .unwrap();
    let (outcome, _) = run_sync(
        &spec(SourceKind::Helloasso, server.base_url()),
        &creds(),
        None,
        utc(2026, 4, 1, 3, 0),
    )
    .await;
    match outcome.unwrap_err() {
        ApiError::Malformed {
            vendor,
            endpoint,
            path,
            ..
        } => {
            assert_eq!(vendor, "helloasso");
            assert_eq!(endpoint, format!("{ORG}/forms/Event/{SLUG}/items"));
            assert_eq!(path, "data[1].amount");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn undated_forms_and_missing_tiers_are_quarantined() {
    let at = utc(2026, 1, 1, 0, 0);
    let mut undated = form("boutique", "Boutique", START, vec![]);
    undated["startDate"] = Value::Null;
    let raw = vec![
        RawExchange { vendor: "helloasso".into(), endpoint: format!("{ORG}/forms/Event/boutique/public"), request: String::new(), status: 200, body: undated.to_string(), fetched_at: at },
        RawExchange { vendor: "helloasso".into(), endpoint: format!("{ORG}/forms/Event/{SLUG}/public"), request: String::new(), status: 200, body: form(SLUG, "La Tempête", START, tempete_tiers()).to_string(), fetched_at: at },
        RawExchange { vendor: "helloasso".into(), endpoint: format!("{ORG}/forms/Event/{SLUG}/items"), request: String::new(), status: 200,
            body: json!({"data": [item(1, 1500, "Processed", "Ancien tarif", 99999, "Fixed"), item(2, 0, "Processed", "Ancien gratuit", 99998, "Free")], "pagination": {}}).to_string(), fetched_at: at },
    ];
    let records = normalise::normalise("helloasso", &raw);
    // Undated form + paid item of a vanished tier; the free one needs no rate.
    assert_eq!(quarantined(&records), 2);
    assert_eq!(tickets(&records).len(), 1);
}
