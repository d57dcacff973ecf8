//! The month's facts counted by the database (`GROUP BY` performance, status, VAT rate, price
//! kind, zero price; integer cents) against a plain ticket-by-ticket computation written here,
//! on random data from a fixed seed: many performances over three months with some at the
//! Paris midnight of a month boundary and on the night the clocks go back, every VAT rate, refunds,
//! cancellations, invitations, two sources sharing performance ids, tickets of unknown
//! performances, and a re-import that changes some tickets. On SQLite, then on PostgreSQL when
//! `DATABASE_URL` points to it (a schema of the test's own; it says so when it skips).

use crate::support::Scenario;
use chrono::{DateTime, Duration, TimeZone, Utc};
use releve::config::Config;
use releve_domain::corrections::Corrections;
use releve_domain::facts::{build_month_facts, FactsInput};
use releve_domain::{
    Money, Month, PerformanceRecord, PriceKind, Ticket, TicketStatus, VatRate, Venue, PARIS,
};
use releve_store::Store;
use rust_decimal::{Decimal, RoundingStrategy};
use sqlx::{Connection, Executor};
use std::collections::BTreeMap;

const ORG: &str = "theatre-des-digues";
const SOURCES: [&str; 2] = ["tickets_csv", "billetweb"];
const RATES: [&str; 8] = ["0", "0.9", "1.05", "2.1", "5.5", "8.5", "10", "20"];

/// splitmix64: the same sequence on every machine.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    PARIS
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

/// Performances from mid-October to mid-December 2025, with the month boundaries' midnights
/// (both sides) and the night of 26 October (clocks go back at 03:00) among them.
fn performances(random: &mut Random) -> Vec<PerformanceRecord> {
    let mut starts = vec![
        paris(2025, 10, 31, 23, 59),
        paris(2025, 11, 1, 0, 0),
        paris(2025, 11, 30, 23, 45),
        paris(2025, 12, 1, 0, 15),
        paris(2025, 10, 26, 2, 30),
        paris(2025, 10, 26, 23, 30),
    ];
    let first = paris(2025, 10, 15, 0, 0);
    for _ in 0..240 {
        starts.push(first + Duration::minutes(random.below(60 * 24 * 60) as i64));
    }
    starts
        .into_iter()
        .enumerate()
        .map(|(i, starts_at)| PerformanceRecord {
            // The same external ids in both sources: the facts must keep them apart.
            source: SOURCES[i % 2].into(),
            external_id: format!("P{}", i / 2),
            show_id: format!("show-{}", i % 17),
            show_title: format!("Spectacle {}", i % 17),
            starts_at,
            venue: Venue {
                name: "Grande salle".into(),
                ..Venue::default()
            },
            capacity: Some(300),
            cancelled: i % 29 == 0,
        })
        .collect()
}

fn ticket(random: &mut Random, source: &str, performance: &str, id: usize) -> Ticket {
    let free = random.below(7) == 0;
    let rate = if free && random.below(2) == 0 {
        "0"
    } else {
        RATES[random.below(RATES.len() as u64) as usize]
    };
    let status = match random.below(10) {
        0 => TicketStatus::Refunded,
        1 => TicketStatus::Cancelled,
        _ => TicketStatus::Valid,
    };
    let kind = match random.below(6) {
        0 => None,
        1 => Some(PriceKind::Full),
        2 => Some(PriceKind::Reduced),
        3 => Some(PriceKind::Subscription),
        4 => Some(PriceKind::Free),
        _ => Some(PriceKind::Other),
    };
    Ticket {
        source: source.into(),
        ticket_id: format!("T{id}"),
        performance_external_id: performance.into(),
        // Odd cents everywhere, so that the per-rate rounding has something to round.
        price_incl_vat: if free {
            Money::ZERO
        } else {
            Money::from_cents(1 + random.below(9_000) as i64)
        },
        vat_rate: VatRate::parse(rate).unwrap(),
        status,
        price_category: Some(format!("cat-{}", random.below(4))),
        price_kind: kind,
        sold_at: None,
    }
}

/// Tickets of the performances and of a few performances no source knows (never counted).
fn tickets(random: &mut Random, records: &[PerformanceRecord], count: usize) -> Vec<Ticket> {
    (0..count)
        .map(|id| {
            if random.below(50) == 0 {
                return ticket(random, SOURCES[0], "UNKNOWN", id);
            }
            let r = &records[random.below(records.len() as u64) as usize];
            ticket(random, &r.source, &r.external_id, id)
        })
        .collect()
}

/// What a performance's tickets come to, computed ticket by ticket without any of releve's
/// folding code: paid, free, void, full-price count and receipts, per rate (incl. VAT in cents,
/// count) and the rounded amount excl. VAT per rate.
#[derive(Debug, Default, PartialEq)]
struct Expected {
    paid: u64,
    free: u64,
    void: u64,
    full: u64,
    full_cents: i64,
    reduced: u64,
    subscription: u64,
    by_rate: BTreeMap<String, (i64, u64, Decimal)>,
}

fn expected(
    month: Month,
    records: &[PerformanceRecord],
    tickets: &[Ticket],
) -> BTreeMap<String, Expected> {
    // The last version of each ticket id wins (a re-import replaces the ticket).
    let mut latest: BTreeMap<(String, String), &Ticket> = BTreeMap::new();
    for t in tickets {
        latest.insert((t.source.clone(), t.ticket_id.clone()), t);
    }
    let mut out = BTreeMap::new();
    for r in records {
        let date = r.starts_at.with_timezone(&PARIS).date_naive();
        if !month.contains(date) {
            continue;
        }
        let mut e = Expected::default();
        let mine = latest
            .values()
            .filter(|t| t.source == r.source && t.performance_external_id == r.external_id);
        for t in mine {
            let cents = t.price_incl_vat.to_cents().unwrap();
            if t.status != TicketStatus::Valid {
                e.void += 1;
            } else if cents == 0 {
                e.free += 1;
            } else {
                e.paid += 1;
                let slot = e
                    .by_rate
                    .entry(t.vat_rate.to_string())
                    .or_insert((0, 0, Decimal::ZERO));
                slot.0 += cents;
                slot.1 += 1;
                match t.price_kind {
                    Some(PriceKind::Full) => {
                        e.full += 1;
                        e.full_cents += cents;
                    }
                    Some(PriceKind::Reduced) => e.reduced += 1,
                    Some(PriceKind::Subscription) => e.subscription += 1,
                    _ => {}
                }
            }
        }
        for (rate, slot) in e.by_rate.iter_mut() {
            let percent: Decimal = rate.parse().unwrap();
            let incl = Decimal::new(slot.0, 2);
            slot.2 = (incl / (Decimal::ONE + percent / Decimal::ONE_HUNDRED))
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        }
        out.insert(format!("{}:{}", r.source, r.external_id), e);
    }
    out
}

fn observed(facts: &releve_domain::MonthFacts) -> BTreeMap<String, Expected> {
    facts
        .performances
        .iter()
        .map(|p| {
            let by_rate = p
                .vat
                .iter()
                .map(|v| {
                    (
                        v.rate.to_string(),
                        (
                            v.receipts_incl_vat.to_cents().unwrap(),
                            v.paid_tickets,
                            v.receipts_excl_vat.amount(),
                        ),
                    )
                })
                .collect();
            let e = Expected {
                paid: p.paid_tickets,
                free: p.free_tickets,
                void: p.void_tickets,
                full: p.full_price_tickets,
                full_cents: p.full_price_receipts_incl_vat.to_cents().unwrap(),
                reduced: p.reduced_tickets,
                subscription: p.subscription_tickets,
                by_rate,
            };
            // The totals are the sums over rates of the rounded amounts (`domain.md` §3).
            let incl: Money = p.vat.iter().map(|v| v.receipts_incl_vat).sum();
            let excl: Money = p.vat.iter().map(|v| v.receipts_excl_vat).sum();
            assert_eq!(p.receipts_incl_vat, incl, "{}", p.performance_id);
            assert_eq!(p.receipts_excl_vat, excl, "{}", p.performance_id);
            (p.performance_id.clone(), e)
        })
        .collect()
}

async fn compare_on(database: &str) {
    let scenario = Scenario {
        extra_root_keys: format!("[database]\nurl = \"{database}\"\n\n"),
        ..Scenario::new()
    };
    scenario
        .write("tickets.csv", crate::support::TICKETS_HEADER)
        .write("programme.csv", crate::support::PROGRAMME_HEADER);
    let config = Config::load(&scenario.write_config()).unwrap();
    let org = &config.organisations[0];
    let store = Store::connect(&config.database_url).await.unwrap();
    store.upsert_organisation(&org.organisation).await.unwrap();

    let mut random = Random(20251205);
    let records = performances(&mut random);
    let mut all = tickets(&mut random, &records, 12_000);
    store.upsert_performances(ORG, &records).await.unwrap();
    store.upsert_tickets(ORG, &all).await.unwrap();
    // A second import: some tickets refunded, repriced or moved to another performance.
    let changed: Vec<Ticket> = all
        .iter()
        .step_by(7)
        .map(|t| {
            let mut t = t.clone();
            match random.below(3) {
                0 => t.status = TicketStatus::Refunded,
                1 => t.price_incl_vat = Money::from_cents(random.below(5_000) as i64),
                _ => {
                    let r = &records[random.below(records.len() as u64) as usize];
                    t.source.clone_from(&r.source);
                    t.performance_external_id.clone_from(&r.external_id);
                }
            }
            t
        })
        .collect();
    store.upsert_tickets(ORG, &changed).await.unwrap();
    all.extend(changed);

    for month in ["2025-10", "2025-11", "2025-12"] {
        let month: Month = month.parse().unwrap();
        let facts = releve::month::load_facts_with(&store, org, month, &Corrections::default())
            .await
            .unwrap();
        let want = expected(month, &records, &all);
        assert!(want.len() > 50, "{month}: {} performances", want.len());
        let got = observed(&facts);
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            want.keys().collect::<Vec<_>>(),
            "{month} on {database}"
        );
        for (id, expected) in &want {
            assert_eq!(&got[id], expected, "{id} ({month} on {database})");
        }
        // And the whole facts (issues, every field) as the ticket-by-ticket fold gives them.
        let (from, to) = (
            month.start_utc() - Duration::days(1),
            month.end_utc() + Duration::days(1),
        );
        let loaded = store.tickets_between(ORG, from, to).await.unwrap();
        let stored_records = store.performances_between(ORG, from, to).await.unwrap();
        let by_ticket = build_month_facts(FactsInput {
            organisation: &org.organisation,
            month,
            records: &stored_records,
            tickets: &loaded,
            programme: &store.programme_between(ORG, from, to).await.unwrap(),
        });
        assert_eq!(facts, by_ticket, "{month} on {database}");
    }
    // The boundary performances fell on the right side of midnight in Paris.
    let november = releve::month::load_facts_with(
        &store,
        org,
        "2025-11".parse().unwrap(),
        &Corrections::default(),
    )
    .await
    .unwrap();
    let ids: Vec<&str> = november
        .performances
        .iter()
        .map(|p| p.performance_id.as_str())
        .collect();
    // Records 0..4 are 31 Oct 23:59, 1 Nov 00:00, 30 Nov 23:45, 1 Dec 00:15 (ids P0, P0, P1, P1).
    assert!(!ids.contains(&"tickets_csv:P0") && ids.contains(&"billetweb:P0"));
    assert!(ids.contains(&"tickets_csv:P1") && !ids.contains(&"billetweb:P1"));
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn facts_counted_by_sqlite_match_a_ticket_by_ticket_computation() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("facts.db").display());
    compare_on(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn facts_counted_by_postgresql_match_a_ticket_by_ticket_computation() {
    let url = match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => url,
        _ => {
            eprintln!(
                "facts_counted_by_postgresql…: SKIPPED, DATABASE_URL is not postgres://… \
                 (set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run it)"
            );
            return;
        }
    };
    sqlx::any::install_default_drivers();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let schema = format!("t_facts_{}_{nanos}", std::process::id());
    let mut admin = sqlx::AnyConnection::connect(&url).await.unwrap();
    admin
        .execute(format!("CREATE SCHEMA {schema}").as_str())
        .await
        .unwrap();
    let separator = if url.contains('?') { '&' } else { '?' };
    let scoped = format!("{url}{separator}options=-c%20search_path%3D{schema}");
    let outcome = tokio::spawn(async move { compare_on(&scoped).await }).await;
    admin
        .execute(format!("DROP SCHEMA {schema} CASCADE").as_str())
        .await
        .unwrap();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic.into_panic());
    }
}
