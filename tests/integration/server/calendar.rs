//! The `.ics` feed of deadlines (issue 11): valid iCalendar read back by a strict little
//! parser (CRLF, lines of at most 75 octets, folding, balanced components), the events with
//! hand-computed dates (see `reminders.rs`), a stable UID, DTSTAMP from the server's injected
//! clock, the same bytes in the workspace and over the API, and the usual refusals. Also the
//! Indicateurs page's default season against the injected clock.

use super::harness::{Setup, TestServer, OTHER, VENUE};
use super::reminders::{paris, tickets, HEADER, PROGRAMME, PROGRAMME_SOURCE};
use releve::server::access::Role;
use reqwest::StatusCode;
use std::collections::BTreeMap;
use std::sync::Arc;

async fn november_at(local: &str) -> TestServer {
    let server = TestServer::start_setup(Setup {
        extra_venue: PROGRAMME_SOURCE,
        files: &[
            ("tickets.csv", &tickets()),
            ("programme.csv", PROGRAMME),
            ("tickets-large.csv", HEADER),
        ],
        clock: Some(Arc::new(releve_domain::FixedClock(paris(local)))),
        ..Setup::default()
    })
    .await;
    assert_eq!(server.run_month("2025-11").await, 0);
    server
}

/// One property: its name, its parameters (as written) and its unescaped value.
type Props = Vec<(String, String)>;

/// Checks the framing rules and gives the VEVENTs' properties (`NAME;PARAMS` → value).
fn parse(text: &str) -> Vec<BTreeMap<String, String>> {
    assert!(text.ends_with("\r\n"), "the last line ends with CRLF");
    let physical: Vec<&str> = text[..text.len() - 2].split("\r\n").collect();
    for line in &physical {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line break in {line:?}"
        );
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    let mut logical: Vec<String> = Vec::new();
    for line in physical {
        match line.strip_prefix(' ') {
            Some(rest) => logical.last_mut().expect("no fold first").push_str(rest),
            None => logical.push(line.to_string()),
        }
    }
    let mut stack: Vec<String> = Vec::new();
    let mut events = Vec::new();
    let mut current: Props = Vec::new();
    for line in logical {
        let (name, value) = line.split_once(':').expect("NAME:VALUE");
        match name {
            "BEGIN" => stack.push(value.to_string()),
            "END" => {
                assert_eq!(stack.pop().as_deref(), Some(value), "balanced {value}");
                if value == "VEVENT" {
                    events.push(current.drain(..).collect());
                }
            }
            _ if stack.last().map(String::as_str) == Some("VEVENT") => {
                let unescaped = value
                    .replace("\\n", "\n")
                    .replace("\\,", ",")
                    .replace("\\;", ";")
                    .replace("\\\\", "\\");
                current.push((name.to_string(), unescaped));
            }
            _ => {}
        }
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
    events
}

#[tokio::test]
async fn the_feed_is_valid_icalendar_with_stable_uids_and_the_clocks_stamp() {
    let server = november_at("2025-12-20 09:00").await;
    let password = server.user("lecteur@digues.fr", VENUE, Role::Viewer).await;
    let mut viewer = server.signed_in("lecteur@digues.fr", &password).await;
    let response = viewer.get(&format!("/o/{VENUE}/echeances.ics")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    let text = response.text().await.unwrap();
    assert!(
        text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"),
        "{text}"
    );
    assert!(
        text.contains("\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n"),
        "{text}"
    );
    let events = parse(&text);
    let summary: Vec<(&str, &str, &str)> = events
        .iter()
        .map(|e| {
            (
                e["UID"].as_str(),
                e["DTSTART;VALUE=DATE"].as_str(),
                e["DTEND;VALUE=DATE"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "theatre-des-digues-sacem-2025-11@releve",
                "20251231",
                "20260101"
            ),
            (
                "theatre-des-digues-sibil-2025-11@releve",
                "20260109",
                "20260110"
            ),
            (
                "theatre-des-digues-astp-2025-11@releve",
                "20260228",
                "20260301"
            ),
            (
                "theatre-des-digues-cnm-2025-11@releve",
                "20260228",
                "20260301"
            ),
        ]
    );
    let sacem = &events[0];
    // 09:00 in Paris on 20 December (UTC+1) is 08:00 UTC.
    assert_eq!(sacem["DTSTAMP"], "20251220T080000Z");
    assert_eq!(sacem["SEQUENCE"], "1");
    assert_eq!(
        sacem["SUMMARY"],
        "SACEM novembre 2025 : à envoyer (Théâtre des Digues)"
    );
    assert_eq!(
        sacem["DESCRIPTION"],
        "Déclaration SACEM de novembre 2025 de Théâtre des Digues, dernier jour : 31/12/2025.\nVersion 1 : brouillon."
    );
    // The alarm of the first reminder threshold (7 days) sits inside the event.
    assert!(
        text.contains("BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-P7D\r\n"),
        "{text}"
    );

    // The same bytes again, and over the API with a read token.
    let again = viewer
        .get(&format!("/o/{VENUE}/echeances.ics"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(again, text);
    let token = server.token("agenda", "read", Some(VENUE), None).await;
    let client = reqwest::Client::new();
    let api = server.api(&format!("/organisations/{VENUE}/deadlines.ics"));
    let response = client.get(&api).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), text);

    // Refusals: no token 401; another organisation's feed 404, in both places.
    let response = client.get(&api).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let other = server.api(&format!("/organisations/{OTHER}/deadlines.ics"));
    let response = client.get(&other).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = viewer.get(&format!("/o/{OTHER}/echeances.ics")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // Signed out: the sign-in page, not the feed.
    let response = server
        .browser()
        .get(&format!("/o/{VENUE}/echeances.ics"))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    server.stop().await;
}

/// The Indicateurs page opens on the season of the latest run (November 2025 → 2025-2026),
/// whatever the server's clock says (here a year later).
#[tokio::test]
async fn the_indicators_page_opens_on_the_season_of_the_latest_run() {
    let server = november_at("2026-12-20 09:00").await;
    let password = server.user("lecteur@digues.fr", VENUE, Role::Viewer).await;
    let mut viewer = server.signed_in("lecteur@digues.fr", &password).await;
    let (status, page) = viewer.page(&format!("/o/{VENUE}/indicateurs")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("<option value=\"2025-2026\" selected>2025-2026</option>"),
        "{page}"
    );
    assert!(!page.contains("2026-2027"), "{page}");
    server.stop().await;
}
