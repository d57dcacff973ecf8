//! Fuzz target: any stored vendor answer given to any vendor's normaliser gives records or
//! quarantine entries, never a panic. The first byte chooses the vendor, the second the
//! endpoint the answer claims to come from; the rest is the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use releve_collectors::api::{normalise_stored, RawExchange};
use releve_collectors::SourceKind;

const VENDORS: [SourceKind; 7] = [
    SourceKind::Billetweb,
    SourceKind::Helloasso,
    SourceKind::Mapado,
    SourceKind::Shotgun,
    SourceKind::Supersoniks,
    SourceKind::Soticket,
    SourceKind::Weezevent,
];

/// Endpoints the normalisers recognise (a wrong one must be harmless too).
const ENDPOINTS: [&str; 12] = [
    "/events",
    "/event/1/attendees",
    "/event/1/dates",
    "/event/1/tickets",
    "/v5/organizations/x/forms",
    "/v5/organizations/x/forms/Event/y/items",
    "/v1/ticketings",
    "/v1/event_dates",
    "/v1/tickets",
    "/tickets",
    "/bordereaux",
    "/participants",
];

fuzz_target!(|data: &[u8]| {
    let [vendor, endpoint, body @ ..] = data else {
        return;
    };
    let kind = VENDORS[*vendor as usize % VENDORS.len()];
    let raw = RawExchange {
        vendor: kind.code().to_string(),
        endpoint: ENDPOINTS[*endpoint as usize % ENDPOINTS.len()].to_string(),
        request: String::new(),
        status: 200,
        body: String::from_utf8_lossy(body).into_owned(),
        fetched_at: chrono::DateTime::from_timestamp(1_764_900_000, 0).unwrap(),
    };
    let _ = normalise_stored(kind, "fuzz", &[raw]);
});
