//! Fuzz target: any text as an iCalendar programme gives an error or records, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = releve_collectors::programme_ical::parse("fuzz", &text);
});
