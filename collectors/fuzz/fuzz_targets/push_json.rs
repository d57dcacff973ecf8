//! Fuzz target: any bytes as the body of a vendor push (`POST …/tickets`, docs/push.md), read
//! as JSON and mapped by the push's ticket mapping, give accepted tickets and rejections with a
//! field and a French message — one answer per ticket sent — never a panic. (The HTTP side,
//! status codes and nothing stored on a refusal, is the mutation run
//! `server::push_mutations` of the integration tests.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use releve_collectors::push::map_tickets;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let Some(tickets) = body.get("tickets").and_then(|t| t.as_array()) else {
        return;
    };
    let batch = map_tickets("guichet", tickets);
    assert_eq!(batch.tickets.len() + batch.rejected.len(), tickets.len());
    for rejected in &batch.rejected {
        assert!(!rejected.message.is_empty());
        assert!(!rejected.quarantined.reason.is_empty());
    }
});
