//! The register client against a local stand-in answering like the register: active, ceased,
//! not found, public body, licence holder, association, 429 with `Retry-After`, timeout and
//! malformed JSON. Fixtures: `fixtures/registry/`.

use super::*;
use crate::http::RecordingSleeper;
use crate::replay::{ReplayServer, Reply, Route, Script};
use std::sync::Arc;
use std::time::Duration;

const ACTIVE: &str = include_str!("../../../fixtures/registry/active-licence.json");
const CEASED: &str = include_str!("../../../fixtures/registry/ceased.json");
const NOT_FOUND: &str = include_str!("../../../fixtures/registry/not-found.json");
const PUBLIC: &str = include_str!("../../../fixtures/registry/public-body.json");
const ASSOCIATION: &str = include_str!("../../../fixtures/registry/association.json");
const NO_LICENCE: &str = include_str!("../../../fixtures/registry/no-licence.json");

fn number(text: &str) -> CompanyNumber {
    CompanyNumber::parse(text).unwrap()
}

fn company(n: &str, body: &str) -> Company {
    match parse_answer(&number(n), body).unwrap() {
        Finding::Found(c) => *c,
        Finding::NotFound => panic!("{n} not found"),
    }
}

fn client(base: &str) -> (RegistryClient, Arc<RecordingSleeper>) {
    let sleeper = Arc::new(RecordingSleeper::new(chrono::Utc::now()));
    let client = RegistryClient::new(RegistryConfig::new(base), sleeper.clone());
    (client, sleeper)
}

#[test]
fn an_active_licence_holder_with_its_establishment() {
    let c = company("91234561800025", ACTIVE);
    assert_eq!(c.siren, "912345618");
    assert_eq!(c.name, "LES NUITS BLEUES PRODUCTIONS");
    assert_eq!(
        c.full_name.as_deref(),
        Some("LES NUITS BLEUES PRODUCTIONS (LNB)")
    );
    assert_eq!(c.acronym.as_deref(), Some("LNB"));
    assert!(c.active && !c.is_ceased());
    assert_eq!(c.live_show_licence, Some(true));
    assert_eq!(c.licence_status.as_deref(), Some("valide"));
    assert!(!c.is_public_body());
    assert_eq!(
        c.legal_category_label().as_deref(),
        Some("société par actions simplifiée (SAS) (5710)")
    );
    // The SIRET asked is the secondary establishment, not the head office.
    let e = c.establishment.as_ref().unwrap();
    assert_eq!(e.siret.as_deref(), Some("91234561800025"));
    assert_eq!(e.street().as_deref(), Some("5 IMPASSE DU PORT"));
    let h = c.head_office.as_ref().unwrap();
    assert_eq!(h.street().as_deref(), Some("12 RUE DES LILAS"));
    assert_eq!(h.postal_code.as_deref(), Some("44000"));
    assert_eq!(h.city.as_deref(), Some("NANTES"));
    // Asked by SIREN: no establishment, the head office is the address.
    let by_siren = company("912345618", ACTIVE);
    assert_eq!(by_siren.establishment, None);
    assert_eq!(
        by_siren.address().unwrap().siret.as_deref(),
        Some("91234561800017")
    );
}

#[test]
fn a_ceased_company_and_a_closed_establishment() {
    let c = company("92345672700018", CEASED);
    assert!(!c.active);
    assert_eq!(c.establishment.as_ref().unwrap().active, Some(false));
    assert!(c.is_ceased());
    assert_eq!(c.live_show_licence, Some(false));
    assert_eq!(c.licence_status.as_deref(), Some("invalide"));
}

#[test]
fn not_found_and_answers_about_another_company() {
    assert_eq!(
        parse_answer(&number("81234567600009"), NOT_FOUND).unwrap(),
        Finding::NotFound
    );
    // A full-text search may return other companies: only the number's own SIREN counts.
    assert_eq!(
        parse_answer(&number("81234567600009"), ACTIVE).unwrap(),
        Finding::NotFound
    );
}

#[test]
fn a_public_body_an_association_and_a_company_without_licence() {
    let commune = company("21490123300012", PUBLIC);
    assert!(commune.is_public_body());
    assert!(commune.local_authority);
    assert_eq!(
        commune.legal_category_label().as_deref(),
        Some("commune (7210)")
    );
    // An association is never a public-body hint, even with a public-service flag.
    let asso = company("934567835", ASSOCIATION);
    assert!(asso.association && asso.public_service);
    assert!(!asso.is_public_body());
    let plain = company("78546219300018", NO_LICENCE);
    assert_eq!(plain.live_show_licence, Some(false));
    assert_eq!(plain.licence_status, None);
    assert!(!plain.is_public_body() && !plain.is_ceased());
}

#[test]
fn malformed_json_is_a_clear_error() {
    for body in ["<html>maintenance</html>", "{\"results\": 3}", ""] {
        let err = parse_answer(&number("912345618"), body).unwrap_err();
        assert!(matches!(err, RegistryError::Malformed { .. }), "{err}");
        assert!(!err.is_outage());
        let message = err.to_string();
        assert!(message.contains("réponse illisible"), "{message}");
        assert!(message.contains("912345618"), "{message}");
    }
}

#[tokio::test]
async fn only_the_number_is_sent() {
    let server = ReplayServer::start(
        Script::new().route(
            Route::get("/search")
                .query("q", "91234561800025")
                .reply(Reply::json(200, ACTIVE)),
        ),
    )
    .await
    .unwrap();
    let (client, sleeper) = client(server.base_url());
    let raw = client.search(&number("912 345 618 00025")).await.unwrap();
    assert_eq!(raw.body, ACTIVE);
    assert!(
        raw.request.ends_with("/search?q=91234561800025"),
        "{}",
        raw.request
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].query,
        vec![("q".to_string(), "91234561800025".to_string())]
    );
    assert!(sleeper.delays().is_empty());
}

#[tokio::test]
async fn a_429_is_waited_for_as_told_then_answered() {
    let server = ReplayServer::start(
        Script::new().route(
            Route::get("/search")
                .reply(
                    Reply::json(429, "{\"erreur\": \"trop de requêtes\"}")
                        .header("Retry-After", "2"),
                )
                .reply(Reply::json(200, PUBLIC)),
        ),
    )
    .await
    .unwrap();
    let (client, sleeper) = client(server.base_url());
    let raw = client.search(&number("21490123300012")).await.unwrap();
    assert!(matches!(
        parse_answer(&number("21490123300012"), &raw.body).unwrap(),
        Finding::Found(_)
    ));
    assert_eq!(server.requests().len(), 2);
    assert_eq!(sleeper.delays(), vec![Duration::from_secs(2)]);
}

#[tokio::test]
async fn a_register_that_keeps_refusing_is_an_outage() {
    let server = ReplayServer::start(
        Script::new()
            .route(Route::get("/search").reply(Reply::json(429, "{}").header("Retry-After", "1"))),
    )
    .await
    .unwrap();
    let (client, _) = client(server.base_url());
    let err = client.search(&number("912345618")).await.unwrap_err();
    assert!(err.is_outage(), "{err}");
    // Three attempts, then it gives up.
    assert_eq!(server.requests().len(), 3);
    let message = err.to_string();
    assert!(
        message.contains("répertoire des entreprises injoignable"),
        "{message}"
    );
    assert!(message.contains("le relevé continue sans lui"), "{message}");
}

#[tokio::test]
async fn five_lookups_a_second_at_most() {
    let server = ReplayServer::start(
        Script::new().route(Route::get("/search").reply(Reply::json(200, NOT_FOUND))),
    )
    .await
    .unwrap();
    let (client, sleeper) = client(server.base_url());
    for _ in 0..7 {
        client.search(&number("912345618")).await.unwrap();
    }
    // Five go at once, then one every 200 ms.
    assert_eq!(
        sleeper.delays(),
        vec![Duration::from_millis(200), Duration::from_millis(200)]
    );
}

#[tokio::test]
async fn a_register_that_does_not_answer_times_out() {
    // Accepts connections and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let hold = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            open.push(stream);
        }
    });
    let mut config = RegistryConfig::new(&base);
    config.http.timeout = Duration::from_millis(150);
    config.http.max_attempts = 2;
    let sleeper = Arc::new(RecordingSleeper::new(chrono::Utc::now()));
    let client = RegistryClient::new(config, sleeper);
    let err = client.search(&number("912345618")).await.unwrap_err();
    assert!(err.is_outage(), "{err}");
    assert!(err.to_string().contains("injoignable"), "{err}");
    hold.abort();
}

#[tokio::test]
async fn nothing_listening_is_an_outage() {
    // Port 1 on the loopback: the connection is refused at once.
    let (client, _) = client("http://127.0.0.1:1");
    let err = client.search(&number("912345618")).await.unwrap_err();
    assert!(err.is_outage(), "{err}");
}
