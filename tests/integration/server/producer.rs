//! The producer page (issue 19) over HTTP, with the company register's local stand-in: what
//! the register says of a producer's SIRET with its source and date, the register's suggestion
//! about it from the month's points, its one-click confirmation (a correction through
//! `corrections::apply`, in the audit log like a manual one, the month recomputed), the
//! administrators' refresh, and the refusals.
//!
//! Scenario: « Le Bal des Remparts », a theatre show on 21 November 2025 (two tickets at
//! 12,00 €), produced by the commune of Lanvière-sur-Loire (SIRET 214 901 233 00012), its
//! subsidy not said; the venue is subsidised, so ASTP asks whether the producer is public or
//! subsidised, and the register (a local authority) suggests `producer_subsidised = yes`.

use super::harness::{csrf_of, Browser, Setup, TestServer, OTHER, VENUE};
use releve::server::access::Role;
use releve_collectors::replay::{ReplayServer, Reply, Route, Script};
use reqwest::StatusCode;

const PUBLIC: &str = include_str!("../../../fixtures/registry/public-body.json");
const NOT_FOUND: &str = include_str!("../../../fixtures/registry/not-found.json");
const COMMUNE: &str = "21490123300012";
const PAGE: &str = "/o/theatre-des-digues/producteurs/21490123300012";

const HEADER: &str = "ticket_id,performance_id,show_id,show_title,starts_at,venue_name,venue_postal_code,venue_city,price_category,price_kind,price_incl_vat,vat_rate,status,sold_at\n";

fn tickets() -> String {
    format!(
        "{HEADER}B-1,P4,,Le Bal des Remparts,2025-11-21 20:00,Grande salle,44000,Nantes,Plein tarif,full,12.00,5.5,valid,2025-10-01T10:00:00+02:00\n\
         B-2,P4,,Le Bal des Remparts,2025-11-21 20:00,Grande salle,44000,Nantes,Plein tarif,full,12.00,5.5,valid,2025-10-01T10:00:00+02:00\n"
    )
}

const PROGRAMME: &str = "performance_id;show_title;starts_at;venue_name;venue_postal_code;venue_city;discipline;producer_name;producer_siret;producer_subsidised\n\
P4;Le Bal des Remparts;2025-11-21 20:00;Grande salle;44000;Nantes;theatre;Commune de Lanvière-sur-Loire;21490123300012;\n";

const PROGRAMME_SOURCE: &str =
    "\n  [[organisation.source]]\n  kind = \"programme_csv\"\n  path = \"programme.csv\"\n";

async fn register() -> ReplayServer {
    let script = Script::new()
        .route(
            Route::get("/search")
                .query("q", COMMUNE)
                .reply(Reply::json(200, PUBLIC)),
        )
        .route(
            Route::get("/search")
                .query("q", "81234567600009")
                .reply(Reply::json(200, NOT_FOUND)),
        );
    ReplayServer::start(script).await.unwrap()
}

async fn as_role(server: &TestServer, email: &str, role: Role) -> Browser {
    let password = server.user(email, VENUE, role).await;
    server.signed_in(email, &password).await
}

#[tokio::test]
async fn the_register_says_who_the_producer_is_and_a_suggestion_is_confirmed_in_one_click() {
    let register = register().await;
    let server = TestServer::start_setup(Setup {
        extra_venue: PROGRAMME_SOURCE,
        files: &[
            ("tickets.csv", &tickets()),
            ("programme.csv", PROGRAMME),
            ("tickets-large.csv", HEADER),
        ],
        registry_url: Some(register.base_url()),
        ..Setup::default()
    })
    .await;
    server.run_month("2025-11").await;
    assert_eq!(
        register.requests().len(),
        2,
        "the organisation and the producer"
    );

    let mut viewer = as_role(&server, "lect@digues.fr", Role::Viewer).await;
    // The performance page leads to it.
    let (_, page) = viewer
        .page("/o/theatre-des-digues/2025-11/p/tickets_csv:P4")
        .await;
    assert!(
        page.contains(
            "href=\"&#x2F;o&#x2F;theatre-des-digues&#x2F;producteurs&#x2F;21490123300012\""
        ),
        "{page}"
    );
    let (status, page) = viewer.page(PAGE).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("SIRET 214 901 233 00012"), "{page}");
    assert!(
        page.contains("<dt>Nom</dt><dd>COMMUNE DE LANVIERE-SUR-LOIRE</dd>"),
        "{page}"
    );
    assert!(page.contains("<dt>État</dt><dd>active</dd>"), "{page}");
    assert!(
        page.contains("<dt>Collectivité territoriale</dt><dd>oui</dd>"),
        "{page}"
    );
    assert!(page.contains("PLACE DE L&#x27;HOTEL DE VILLE"), "{page}");
    assert!(
        page.contains("Source : selon le répertoire des entreprises, consulté le"),
        "{page}"
    );
    assert!(
        page.contains("Réponse suggérée : <code>producer_subsidised = yes</code>"),
        "{page}"
    );
    assert!(
        !page.contains("Confirmer cette réponse"),
        "a viewer does not correct: {page}"
    );
    assert!(!page.contains("Actualiser auprès du répertoire"), "{page}");

    // A viewer cannot confirm; a preparer confirms (the first register point of the month).
    let (_, page) = viewer.page("/").await;
    let csrf = csrf_of(&page);
    let confirm = [("mois", "2025-11"), ("point", "0")];
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend_from_slice(&confirm);
    let response = viewer.post(&format!("{PAGE}/confirmer"), &fields).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let mut preparer = as_role(&server, "prep@digues.fr", Role::Preparer).await;
    let (_, page) = preparer.page(PAGE).await;
    assert!(page.contains("Confirmer cette réponse"), "{page}");
    let csrf = csrf_of(&page);
    let response = preparer
        .post(
            &format!("{PAGE}/confirmer"),
            &[("csrf", "faux"), ("mois", "2025-11"), ("point", "0")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend_from_slice(&confirm);
    let response = preparer.post(&format!("{PAGE}/confirmer"), &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        format!("{PAGE}?mois=2025-11&fait=confirme")
    );
    let corrections = server.state.store().corrections(VENUE).await.unwrap();
    assert_eq!(corrections.len(), 1, "{corrections:?}");
    let c = &corrections[0];
    assert_eq!(
        (c.field.as_str(), c.value.as_deref()),
        ("producer_subsidised", Some("yes"))
    );
    assert!(
        c.reason.starts_with(
            "Suggestion du répertoire des entreprises confirmée (SIRET 214 901 233 00012"
        ),
        "{}",
        c.reason
    );
    let audit = server.state.store().audit_log(VENUE).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "correction" && e.actor.contains("prep@digues.fr")),
        "{audit:?}"
    );
    // The month was recomputed with the answer: the suggestion is gone from its points.
    let (_, page) = preparer.page(&format!("{PAGE}?mois=2025-11")).await;
    assert!(!page.contains("Réponse suggérée"), "{page}");

    // Only administrators refresh; a refresh asks the register again.
    let response = preparer
        .post(&format!("{PAGE}/actualiser"), &[("csrf", &csrf)])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let mut admin = as_role(&server, "admin@digues.fr", Role::Admin).await;
    let (_, page) = admin.page(PAGE).await;
    assert!(page.contains("Actualiser auprès du répertoire"), "{page}");
    let csrf = csrf_of(&page);
    let before = register.requests().len();
    let response = admin
        .post(&format!("{PAGE}/actualiser"), &[("csrf", &csrf)])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(register.requests().len(), before + 1);
    // The fresh answer is cached: the page does not ask again.
    let (_, page) = admin.page(&format!("{PAGE}?fait=actualise")).await;
    assert!(
        page.contains("Réponse du répertoire des entreprises actualisée."),
        "{page}"
    );
    assert_eq!(register.requests().len(), before + 1);

    // Another organisation's producer page does not exist for these users; nor a bad number.
    let (status, _) = admin
        .page(&format!("/o/{OTHER}/producteurs/{COMMUNE}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = admin
        .page("/o/theatre-des-digues/producteurs/21490123300013")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    server.stop().await;
}
