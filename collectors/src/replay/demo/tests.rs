use super::*;
use crate::api::sync;
use crate::api::testing::{facts, performances, tickets, utc};
use crate::http::RecordingSleeper;
use releve_domain::Month;
use std::sync::Arc;

#[tokio::test]
async fn the_demo_vendors_give_the_documented_november_figures() {
    let vendors = start_demo_vendors().await.unwrap();
    let env = demo_env();
    // The demo's generation time: 5 December 2025.
    let now = utc(2025, 12, 5, 8, 0);
    let mut records = Vec::new();
    for v in &vendors {
        let outcome = sync(
            &v.spec,
            None,
            now,
            &env,
            Arc::new(RecordingSleeper::new(now)),
        )
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", v.spec.key));
        assert!(
            v.server.unmatched().is_empty(),
            "{:?}",
            v.server.unmatched()
        );
        records.extend(outcome.records);
    }
    let f = facts(&records, Month::new(2025, 11).unwrap());
    let got: Vec<(String, u64, u64, String, String)> = f
        .performances
        .iter()
        .map(|p| {
            (
                p.performance_id.clone(),
                p.paid_tickets,
                p.free_tickets,
                p.receipts_incl_vat.to_string(),
                p.receipts_excl_vat.to_string(),
            )
        })
        .collect();
    // Les Marées: 5×21.01 + 2×22 + 3×14.25 + 15 = 206.80; /1.055 = 196.02.
    // Nuit du jazz 28/11: 6×17.11 = 102.66 (→97.31) + 2×45 at 20 % (→75.00) = 192.66 / 172.31.
    // Nuit du jazz 30/11 23:30: 4×18 = 72.00 → 68.25. Bal folk: 6×12 + 3×8 + 12 = 108 → 102.37.
    assert_eq!(
        got,
        [
            (
                "helloasso:bal-folk-2025-11-15".to_string(),
                10,
                2,
                "108.00".to_string(),
                "102.37".to_string()
            ),
            (
                "billetweb:61001-0".into(),
                11,
                3,
                "206.80".into(),
                "196.02".into()
            ),
            (
                "billetweb:61002-880101".into(),
                8,
                1,
                "192.66".into(),
                "172.31".into()
            ),
            (
                "billetweb:61002-880102".into(),
                4,
                0,
                "72.00".into(),
                "68.25".into()
            ),
        ]
    );
    assert_eq!(performances(&records).len(), 4);
    // Billetweb 15 + 14 rows, HelloAsso 13 items (refunds and the reservation included).
    assert_eq!(tickets(&records).len(), 15 + 14 + 13);
}
