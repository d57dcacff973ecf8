//! The review workspace of issue 9, part A, over HTTP: the month's dashboard, the declaration
//! page (figures, downloads, approval, submission), the journal and the administration page;
//! role refusals, other organisations' pages, CSRF on every form, and a refund after approval.
//!
//! Scenario (hand-computed): one jazz concert, « Nuit Jazz », 28 November 2025 at 20:30, two
//! tickets at 15.00 € with 5.5 % VAT → CNM. Receipts 30.00 TTC; excl. VAT round(30 / 1.055, 2)
//! = 28.44; tax round(28.44 × 3.5 %, 2) = round(0.9954) = 1.00 €. After one ticket is refunded:
//! 15.00 TTC → 14.22 HT → tax round(0.4977) = 0.50 €, a difference of −0.50 €.

use super::harness::{csrf_of, Browser, TestServer, OTHER, VENUE};
use releve::server::access::Role;
use releve_domain::Month;
use releve_store::VersionStatus;
use reqwest::StatusCode;

const HEADER: &str = "ticket_id,performance_id,show_id,show_title,starts_at,venue_name,venue_postal_code,venue_city,price_category,price_kind,price_incl_vat,vat_rate,status,sold_at\n";

fn tickets(second_status: &str) -> String {
    format!(
        "{HEADER}J-1,PJ,,Nuit Jazz,2025-11-28 20:30,Club,44000,Nantes,Plein tarif,full,15.00,5.5,valid,2025-10-01T10:00:00+02:00\n\
         J-2,PJ,,Nuit Jazz,2025-11-28 20:30,Club,44000,Nantes,Plein tarif,full,15.00,5.5,{second_status},2025-10-01T10:00:00+02:00\n"
    )
}

const PROGRAMME: &str = "performance_id;show_title;starts_at;venue_name;venue_postal_code;venue_city;venue_type;capacity;discipline;audience;producer_name;producer_siret;producer_subsidised;free_admission;cession_price_excl_vat;creation;cancelled\n\
PJ;Nuit Jazz;2025-11-28 20:30;Club;44000;Nantes;SALLE_CONCERT_AUDITORIUM_OPERA_ZENITH;120;jazz;;;;;;;;\n";

const PROGRAMME_SOURCE: &str =
    "\n  [[organisation.source]]\n  kind = \"programme_csv\"\n  path = \"programme.csv\"\n";

const CNM: &str = "/o/theatre-des-digues/2025-11/cnm";

/// A server on the scenario with November 2025 already run.
async fn november() -> TestServer {
    let server = TestServer::start_serving_outputs(
        "",
        PROGRAMME_SOURCE,
        &[
            ("tickets.csv", &tickets("valid")),
            ("programme.csv", PROGRAMME),
            ("tickets-large.csv", HEADER),
        ],
    )
    .await;
    server.run_month("2025-11").await;
    server
}

async fn as_role(server: &TestServer, email: &str, role: Role) -> Browser {
    let password = server.user(email, VENUE, role).await;
    server.signed_in(email, &password).await
}

fn month() -> Month {
    "2025-11".parse().unwrap()
}

async fn cnm_status(server: &TestServer, number: u32) -> VersionStatus {
    server
        .state
        .store()
        .version(VENUE, "cnm", month(), number)
        .await
        .unwrap()
        .status
}

/// Approves CNM version `number` as a signatory; returns the response.
async fn approve(browser: &mut Browser, number: &str) -> reqwest::Response {
    let (_, html) = browser.page(CNM).await;
    let csrf = csrf_of(&html);
    browser
        .post(
            &format!("{CNM}/approuver"),
            &[
                ("csrf", &csrf),
                ("version", number),
                ("signataire", "Claire Martin, directrice"),
            ],
        )
        .await
}

#[tokio::test]
async fn the_month_dashboard_and_the_declaration_show_the_runs_figures() {
    let server = november().await;
    let mut viewer = as_role(&server, "lecteur@digues.fr", Role::Viewer).await;

    // /o/{org} opens the latest month with declarations.
    let response = viewer.get("/o/theatre-des-digues").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        "/o/theatre-des-digues/2025-11"
    );
    let (status, html) = viewer.page("/o/theatre-des-digues/2025-11").await;
    assert_eq!(status, StatusCode::OK);
    for body in ["SIBIL", "CNM", "ASTP", "SACEM", "SACD"] {
        assert!(
            html.contains(&format!(">{body}</a></h3>")),
            "card {body}: {html}"
        );
    }
    // CNM card: a draft, 1,00 € due by 28/02/2026 (last day of the 3rd month after).
    assert!(html.contains("1,00\u{a0}€"), "{html}");
    // (tera escapes « / » in text as &#x2F;)
    let unescaped = html.replace("&#x2F;", "/");
    assert!(unescaped.contains("au plus tard le 28/02/2026"), "{html}");
    assert!(html.contains("brouillon"), "{html}");
    // A month picker that works without JavaScript.
    assert!(html.contains("<label for=\"mois\">"), "{html}");
    let picked = viewer.get("/o/theatre-des-digues?mois=2025-10").await;
    assert_eq!(
        picked.headers()["location"],
        "/o/theatre-des-digues/2025-10"
    );

    let (status, html) = viewer.page(CNM).await;
    assert_eq!(status, StatusCode::OK);
    // The line as on the CNM form: 2 paid tickets, 30,00 TTC, 28,44 HT, 3,5 %, 1,00 due.
    for figure in [
        "30,00\u{a0}€",
        "28,44\u{a0}€",
        "3,5\u{a0}%",
        "1,00\u{a0}€",
        "Nuit Jazz",
    ] {
        assert!(html.contains(figure), "{figure}: {html}");
    }
    assert!(html.contains("<tfoot>"), "totals row: {html}");
    assert!(html.contains("Pourquoi cette déclaration"), "{html}");
    // A viewer sees no approval form.
    assert!(!html.contains("/approuver\""), "{html}");

    // The downloads are the bytes the run wrote.
    for format in ["json", "csv", "pdf"] {
        let response = viewer.get(&format!("{CNM}/versions/1/{format}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{format}");
        let disposition = response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            disposition.contains(&format!("cnm.v1.{format}")),
            "{disposition}"
        );
        let bytes = response.bytes().await.unwrap();
        let written = std::fs::read(
            server
                .out()
                .join(VENUE)
                .join("2025-11")
                .join(format!("cnm.{format}")),
        )
        .unwrap();
        assert_eq!(bytes.as_ref(), written.as_slice(), "{format}");
    }
    // CNM has no XML (SACD has one).
    let response = viewer
        .get("/o/theatre-des-digues/2025-11/cnm/versions/1/xml")
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    server.stop().await;
}

#[tokio::test]
async fn a_file_rewritten_by_a_later_run_is_not_served_as_the_old_version() {
    let server = november().await;
    let mut viewer = as_role(&server, "lecteur@digues.fr", Role::Viewer).await;
    let path = server.out().join(VENUE).join("2025-11").join("cnm.csv");
    std::fs::write(&path, "autre contenu\n").unwrap();
    let (status, html) = viewer.page(&format!("{CNM}/versions/1/csv")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("ne contient plus ce fichier"), "{html}");
    server.stop().await;
}

#[tokio::test]
async fn a_viewer_cannot_approve_and_a_preparer_cannot_manage_users() {
    let server = november().await;
    let mut viewer = as_role(&server, "lecteur@digues.fr", Role::Viewer).await;
    let response = approve(&mut viewer, "1").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("Action non autorisée"));
    assert_eq!(cnm_status(&server, 1).await, VersionStatus::Draft);
    // Nor record a submission.
    let (_, html) = viewer.page(CNM).await;
    let csrf = csrf_of(&html);
    let response = viewer
        .post(
            &format!("{CNM}/transmission"),
            &[
                ("csrf", &csrf),
                ("version", "1"),
                ("signataire", "x"),
                ("canal", "portail"),
                ("recu", "R"),
                ("date", "2025-12-10"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let mut preparer = as_role(&server, "prep@digues.fr", Role::Preparer).await;
    let (status, _) = preparer.page("/o/theatre-des-digues/admin").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, html) = preparer.page("/o/theatre-des-digues/2025-11").await;
    assert!(
        !html.contains("/admin\""),
        "no admin link for a preparer: {html}"
    );
    let csrf = csrf_of(&html);
    let response = preparer
        .post(
            "/o/theatre-des-digues/admin/membres",
            &[
                ("csrf", &csrf),
                ("email", "intrus@digues.fr"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(server
        .state
        .store()
        .user_by_email("intrus@digues.fr")
        .await
        .unwrap()
        .is_none());
    // A preparer cannot approve either (approval is the signatory's).
    let response = approve(&mut preparer, "1").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    server.stop().await;
}

#[tokio::test]
async fn another_organisations_pages_are_not_found() {
    let server = november().await;
    let mut signatory = as_role(&server, "sign@digues.fr", Role::Signatory).await;
    let (_, html) = signatory.page(CNM).await;
    let csrf = csrf_of(&html);
    for path in [
        "/o/compagnie-du-large".to_string(),
        format!("/o/{OTHER}/2025-11"),
        format!("/o/{OTHER}/2025-11/cnm"),
        format!("/o/{OTHER}/2025-11/cnm/versions/1/pdf"),
        format!("/o/{OTHER}/journal"),
        format!("/o/{OTHER}/admin"),
        "/o/inconnue/2025-11".to_string(),
    ] {
        let (status, html) = signatory.page(&path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(html.contains("Page introuvable"), "{path}");
    }
    let response = signatory
        .post(
            &format!("/o/{OTHER}/2025-11/cnm/approuver"),
            &[("csrf", &csrf), ("version", "1"), ("signataire", "x")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    server.stop().await;
}

#[tokio::test]
async fn every_form_refuses_a_wrong_csrf_token() {
    let server = november().await;
    let mut signatory = as_role(&server, "sign@digues.fr", Role::Signatory).await;
    let response = signatory
        .post(
            &format!("{CNM}/approuver"),
            &[
                ("csrf", "faux"),
                ("version", "1"),
                ("signataire", "Claire Martin, directrice"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.text().await.unwrap().contains("Formulaire expiré"));
    assert_eq!(cnm_status(&server, 1).await, VersionStatus::Draft);

    assert_eq!(
        approve(&mut signatory, "1").await.status(),
        StatusCode::SEE_OTHER
    );
    let response = signatory
        .post(
            &format!("{CNM}/transmission"),
            &[
                ("csrf", "faux"),
                ("version", "1"),
                ("signataire", "C"),
                ("canal", "portail"),
                ("recu", "R-1"),
                ("date", "2025-12-10"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(cnm_status(&server, 1).await, VersionStatus::Approved);

    let password = server.user("admin@digues.fr", VENUE, Role::Admin).await;
    let mut admin = server.signed_in("admin@digues.fr", &password).await;
    for (path, email) in [
        ("/o/theatre-des-digues/admin/membres", "nouveau@digues.fr"),
        (
            "/o/theatre-des-digues/admin/membres/retrait",
            "sign@digues.fr",
        ),
    ] {
        let response = admin
            .post(
                path,
                &[("csrf", "faux"), ("email", email), ("role", "signatory")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let members = server.state.store().members(VENUE).await.unwrap();
    assert!(members.contains(&("sign@digues.fr".into(), "signatory".into())));
    assert!(!members.iter().any(|(e, _)| e == "nouveau@digues.fr"));
    // The sign-out form too.
    let response = admin.post("/deconnexion", &[("csrf", "faux")]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    server.stop().await;
}

#[tokio::test]
async fn approval_by_a_signatory_freezes_the_version_and_shows_in_the_journal() {
    let server = november().await;
    let mut signatory = as_role(&server, "sign@digues.fr", Role::Signatory).await;
    let (_, html) = signatory.page(CNM).await;
    assert!(html.contains("<label for=\"signataire\">"), "{html}");

    // The signatory's name is required.
    let csrf = csrf_of(&html);
    let response = signatory
        .post(
            &format!("{CNM}/approuver"),
            &[("csrf", &csrf), ("version", "1"), ("signataire", " ")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(cnm_status(&server, 1).await, VersionStatus::Draft);

    let response = approve(&mut signatory, "1").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        format!("{CNM}?version=1&fait=approuvee")
    );
    let v1 = server
        .state
        .store()
        .version(VENUE, "cnm", month(), 1)
        .await
        .unwrap();
    assert_eq!(v1.status, VersionStatus::Approved);
    assert_eq!(
        v1.approved_by.as_deref(),
        Some("Claire Martin, directrice (sign@digues.fr)")
    );
    // `releve approve`'s code froze the files into versions/ of the served folder; the page
    // downloads that frozen copy.
    let frozen = server
        .out()
        .join(VENUE)
        .join("2025-11")
        .join("versions")
        .join("cnm.v1.pdf");
    let frozen_bytes = std::fs::read(&frozen).expect("frozen PDF written at approval");
    let response = signatory.get(&format!("{CNM}/versions/1/pdf")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.bytes().await.unwrap().as_ref(),
        frozen_bytes.as_slice()
    );
    // Frozen: approving again is refused with the store's reason, on the page.
    let response = approve(&mut signatory, "1").await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let text = response.text().await.unwrap();
    assert!(
        text.contains("seul un brouillon peut être approuvé"),
        "{text}"
    );
    // The same run again does not change an approved version.
    server.run_month("2025-11").await;
    assert_eq!(cnm_status(&server, 1).await, VersionStatus::Approved);
    let versions = server
        .state
        .store()
        .versions(VENUE, Some("cnm"), Some(month()))
        .await
        .unwrap();
    assert_eq!(versions.len(), 1);

    let (_, html) = signatory.page(CNM).await;
    assert!(html.contains("approuvé"), "{html}");
    assert!(html.contains("Enregistrer la transmission"), "{html}");
    // Record the submission made on the CNM portal.
    let csrf = csrf_of(&html);
    let response = signatory
        .post(
            &format!("{CNM}/transmission"),
            &[
                ("csrf", &csrf),
                ("version", "1"),
                ("signataire", "Claire Martin, directrice"),
                ("canal", "portail"),
                ("recu", "CNM-2025-11-0042"),
                ("date", "2025-12-10"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let v1 = server
        .state
        .store()
        .version(VENUE, "cnm", month(), 1)
        .await
        .unwrap();
    assert_eq!(v1.status, VersionStatus::Submitted);
    let submission = v1.submission.unwrap();
    assert_eq!(
        (submission.channel.as_str(), submission.receipt.as_str()),
        ("portail", "CNM-2025-11-0042")
    );
    // 10 December 2025 at noon in Paris = 11:00 UTC.
    assert_eq!(submission.at.to_rfc3339(), "2025-12-10T11:00:00+00:00");

    let (status, journal) = signatory.page("/o/theatre-des-digues/journal").await;
    assert_eq!(status, StatusCode::OK);
    assert!(journal.contains("approbation"), "{journal}");
    assert!(journal.contains("transmission"), "{journal}");
    assert!(
        journal.contains("Claire Martin, directrice (sign@digues.fr)"),
        "{journal}"
    );
    assert!(journal.contains("reçu « CNM-2025-11-0042 »"), "{journal}");
    // The approval names the frozen copies and their SHA-256.
    assert!(journal.contains("cnm.v1.pdf (SHA-256"), "{journal}");
    // Filters: only the approvals; nothing for SACD.
    let (_, only) = signatory
        .page("/o/theatre-des-digues/journal?action=approve")
        .await;
    assert!(only.contains("1 ligne(s) sur 2"), "{only}");
    let (_, sacd) = signatory
        .page("/o/theatre-des-digues/journal?organisme=sacd")
        .await;
    assert!(sacd.contains("Aucune ligne ne correspond"), "{sacd}");
    let (_, person) = signatory
        .page("/o/theatre-des-digues/journal?personne=Claire+Martin%2C+directrice+%28sign%40digues.fr%29&mois=2025-11")
        .await;
    assert!(person.contains("2 ligne(s) sur 2"), "{person}");

    // The dashboard says it was sent; it is no longer among the deadlines to meet.
    let (_, html) = signatory.page("/o/theatre-des-digues/2025-11").await;
    assert!(html.contains("envoyé"), "{html}");
    let deadlines = &html[html.find("id=\"echeances\"").unwrap()..];
    assert!(!deadlines.contains(">CNM</a></td>"), "{deadlines}");
    assert!(deadlines.contains(">SIBIL</a></td>"), "{deadlines}");
    server.stop().await;
}

#[tokio::test]
async fn a_refund_after_approval_shows_a_rectificatif_to_approve() {
    let server = november().await;
    let mut signatory = as_role(&server, "sign@digues.fr", Role::Signatory).await;
    assert_eq!(
        approve(&mut signatory, "1").await.status(),
        StatusCode::SEE_OTHER
    );

    std::fs::write(server.dir.path().join("tickets.csv"), tickets("refunded")).unwrap();
    assert_eq!(
        server.run_month("2025-11").await,
        1,
        "an amendment needs attention"
    );

    let (_, html) = signatory.page("/o/theatre-des-digues/2025-11").await;
    let card_start = html.find("id=\"carte-cnm\"").expect("CNM card");
    let card = &html[card_start..card_start + html[card_start..].find("</article>").unwrap()];
    assert!(card.contains("rectificatif à approuver"), "{card}");
    assert!(card.contains("version 2, rectifie la version 1"), "{card}");
    assert!(card.contains("0,50\u{a0}€"), "{card}");

    let (_, page) = signatory.page(CNM).await;
    assert!(
        page.contains("Ce rectificatif corrige la version 1"),
        "{page}"
    );
    assert!(
        page.contains("Différence entre la version 1 et la version 2"),
        "{page}"
    );
    // tax_due 1.00 → 0.50, −0.50; paid tickets 2 → 1.
    assert!(page.contains("<code>tax_due</code></td><td class=\"num\">1,00</td><td class=\"num\">0,50</td><td class=\"num\">-0,50</td>"), "{page}");
    assert!(page.contains("<code>paid_tickets</code></td><td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">-1</td>"), "{page}");
    assert!(
        page.replace("&#x2F;", "/")
            .contains("Nuit Jazz (28/11/2025)"),
        "{page}"
    );
    // The run rewrote the top-level files with the rectificatif: version 2's CSV is the
    // top-level one; version 1's is its frozen copy, with the approved figures.
    let response = signatory.get(&format!("{CNM}/versions/2/csv")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let month_folder = server.out().join(VENUE).join("2025-11");
    let top = std::fs::read(month_folder.join("cnm.csv")).unwrap();
    assert_eq!(response.bytes().await.unwrap().as_ref(), top.as_slice());
    let response = signatory.get(&format!("{CNM}/versions/1/csv")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let frozen = std::fs::read(month_folder.join("versions").join("cnm.v1.csv")).unwrap();
    assert_ne!(frozen, top);
    assert_eq!(response.bytes().await.unwrap().as_ref(), frozen.as_slice());

    // Approving the rectificatif.
    assert_eq!(
        approve(&mut signatory, "2").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(cnm_status(&server, 2).await, VersionStatus::Approved);
    let (_, journal) = signatory.page("/o/theatre-des-digues/journal").await;
    assert!(journal.contains("rectificatif préparé"), "{journal}");
    assert!(
        journal.contains("version 2 ; rectifie la version 1"),
        "{journal}"
    );
    server.stop().await;
}

#[tokio::test]
async fn an_admin_manages_memberships_and_sees_tokens_without_their_value() {
    let server = november().await;
    let token = server
        .token("billetterie", "write", Some(VENUE), None)
        .await;
    server.token("autre-orga", "read", Some(OTHER), None).await;
    let mut admin = as_role(&server, "admin@digues.fr", Role::Admin).await;
    let (status, html) = admin.page("/o/theatre-des-digues/admin").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("billetterie"), "{html}");
    assert!(html.contains("jamais"), "never used: {html}");
    assert!(!html.contains(&token), "the token's value never shows");
    assert!(
        !html.contains("autre-orga"),
        "another organisation's token: {html}"
    );
    for id in ["m-email", "m-role"] {
        assert!(html.contains(&format!("<label for=\"{id}\">")), "{id}");
    }

    // A new person: an account with a password shown once, then a second role.
    let csrf = csrf_of(&html);
    let response = admin
        .post(
            "/o/theatre-des-digues/admin/membres",
            &[
                ("csrf", &csrf),
                ("email", "Nouveau@Digues.fr"),
                ("role", "viewer"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Compte créé pour nouveau@digues.fr"),
        "{html}"
    );
    let password = html
        .split("affiché une seule fois : ")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .to_string();
    let mut newcomer = server.signed_in("nouveau@digues.fr", &password).await;
    let (status, _) = newcomer.page("/o/theatre-des-digues/2025-11").await;
    assert_eq!(status, StatusCode::OK);

    let response = admin
        .post(
            "/o/theatre-des-digues/admin/membres",
            &[
                ("csrf", &csrf),
                ("email", "nouveau@digues.fr"),
                ("role", "signatory"),
            ],
        )
        .await;
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("a désormais le rôle"));
    let response = admin
        .post(
            "/o/theatre-des-digues/admin/membres/retrait",
            &[
                ("csrf", &csrf),
                ("email", "nouveau@digues.fr"),
                ("role", "viewer"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let members = server.state.store().members(VENUE).await.unwrap();
    assert!(members.contains(&("nouveau@digues.fr".into(), "signatory".into())));
    assert!(!members.contains(&("nouveau@digues.fr".into(), "viewer".into())));

    // The last admin cannot be withdrawn.
    let response = admin
        .post(
            "/o/theatre-des-digues/admin/membres/retrait",
            &[
                ("csrf", &csrf),
                ("email", "admin@digues.fr"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    server.stop().await;
}

#[tokio::test]
async fn approval_is_refused_while_a_blocking_point_is_open_unless_a_reason_is_given() {
    // A second performance missing from the programme: no discipline, a blocking point of the
    // whole month (no body), which blocks the CNM approval too.
    let unknown = "X-1,PX,,Mystère,2025-11-29 20:00,Club,44000,Nantes,Plein tarif,full,10.00,5.5,valid,2025-10-01T10:00:00+02:00\n";
    let server = TestServer::start_serving_outputs(
        "",
        PROGRAMME_SOURCE,
        &[
            ("tickets.csv", &(tickets("valid") + unknown)),
            ("programme.csv", PROGRAMME),
            ("tickets-large.csv", HEADER),
        ],
    )
    .await;
    server.run_month("2025-11").await;
    let mut signatory = as_role(&server, "sign@digues.fr", Role::Signatory).await;

    let response = approve(&mut signatory, "1").await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let text = response.text().await.unwrap();
    assert!(text.contains("approbation refusée"), "{text}");
    assert!(
        text.contains("Mystère"),
        "the blocking point is listed: {text}"
    );
    assert_eq!(cnm_status(&server, 1).await, VersionStatus::Draft);

    let (_, html) = signatory.page(CNM).await;
    let csrf = csrf_of(&html);
    let response = signatory
        .post(
            &format!("{CNM}/approuver"),
            &[
                ("csrf", &csrf),
                ("version", "1"),
                ("signataire", "Claire Martin, directrice"),
                (
                    "malgre",
                    "Mystère est une répétition publique gratuite, hors CNM",
                ),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(cnm_status(&server, 1).await, VersionStatus::Approved);
    let (_, journal) = signatory.page("/o/theatre-des-digues/journal").await;
    assert!(
        journal.contains("malgré les points ouverts : « Mystère est une répétition publique gratuite, hors CNM »"),
        "{journal}"
    );
    server.stop().await;
}

#[tokio::test]
async fn without_an_output_folder_the_server_uses_the_last_runs() {
    // `releve serve` without --out: the folder is the --out the last run recorded.
    let server = TestServer::start_with("", PROGRAMME_SOURCE).await;
    for (name, content) in [
        ("tickets.csv", tickets("valid")),
        ("programme.csv", PROGRAMME.to_string()),
        ("tickets-large.csv", HEADER.to_string()),
    ] {
        std::fs::write(server.dir.path().join(name), content).unwrap();
    }
    server.run_month("2025-11").await;
    let mut viewer = as_role(&server, "lecteur@digues.fr", Role::Viewer).await;
    let response = viewer.get(&format!("{CNM}/versions/1/csv")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let written = std::fs::read(server.out().join(VENUE).join("2025-11").join("cnm.csv")).unwrap();
    assert_eq!(response.bytes().await.unwrap().as_ref(), written.as_slice());
    server.stop().await;
}

#[tokio::test]
async fn before_any_run_the_pages_say_there_is_nothing_yet() {
    let server = TestServer::start().await;
    let mut viewer = as_role(&server, "lecteur@digues.fr", Role::Viewer).await;
    let (status, html) = viewer.page("/o/theatre-des-digues/2025-11").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(html.matches("rien à déclarer").count(), 5, "{html}");
    assert!(
        html.contains("Aucune déclaration en attente d'envoi"),
        "{html}"
    );
    let (status, html) = viewer.page(CNM).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Aucune déclaration CNM n'a été préparée"),
        "{html}"
    );
    // An unknown body or a malformed month is a 404, not an error.
    for path in [
        "/o/theatre-des-digues/2025-11/urssaf",
        "/o/theatre-des-digues/2025-13",
        "/o/theatre-des-digues?mois=novembre",
    ] {
        let (status, _) = viewer.page(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let (_, journal) = viewer.page("/o/theatre-des-digues/journal").await;
    assert!(journal.contains("Aucune ligne ne correspond"), "{journal}");
    server.stop().await;
}

/// The ids of the form fields of a page that have no `<label for=…>` (hidden fields aside).
fn unlabelled_fields(html: &str) -> Vec<String> {
    let mut missing = Vec::new();
    for tag in ["<input", "<select", "<textarea"] {
        for (start, _) in html.match_indices(tag) {
            let element = &html[start..start + html[start..].find('>').unwrap()];
            if element.contains("type=\"hidden\"") {
                continue;
            }
            let id = element
                .split("id=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next());
            match id {
                Some(id) if html.contains(&format!("<label for=\"{id}\"")) => {}
                _ => missing.push(element.to_string()),
            }
        }
    }
    missing
}

#[tokio::test]
async fn every_form_field_of_the_workspace_has_a_label() {
    // The check itself finds a field without a label.
    assert_eq!(
        unlabelled_fields("<label for=\"a\">A</label><input id=\"a\"><select id=\"b\">").len(),
        1
    );
    let server = november().await;
    let password = server.user("tous@digues.fr", VENUE, Role::Admin).await;
    server.user("tous@digues.fr", VENUE, Role::Signatory).await;
    let mut person = server.signed_in("tous@digues.fr", &password).await;
    let mut pages = Vec::new();
    for path in [
        "/",
        "/o/theatre-des-digues/2025-11",
        CNM,
        "/o/theatre-des-digues/journal",
        "/o/theatre-des-digues/admin",
    ] {
        pages.push((path.to_string(), person.page(path).await.1));
    }
    // The submission form appears once the version is approved.
    assert_eq!(
        approve(&mut person, "1").await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, approved) = person.page(CNM).await;
    assert!(approved.contains("id=\"canal\""), "{approved}");
    pages.push(("approved CNM".into(), approved));
    for (path, html) in pages {
        assert!(html.contains("<html lang=\"fr\">"), "{path}");
        assert!(html.contains("href=\"#contenu\""), "skip link on {path}");
        assert_eq!(unlabelled_fields(&html), Vec::<String>::new(), "{path}");
    }
    server.stop().await;
}
