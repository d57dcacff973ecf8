//! Fuzz target: any bytes as a `tickets_csv` file give an error or records (tickets,
//! performances, quarantine entries with a reason), never a panic. The reader takes a path,
//! so the input goes through a file of the fuzzer's own temporary folder.
#![no_main]

use libfuzzer_sys::fuzz_target;
use releve_collectors::Record;

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("releve-fuzz-tickets-{}", std::process::id()));
    std::fs::write(&path, data).unwrap();
    if let Ok(reader) = releve_collectors::tickets_csv::read("fuzz", &path) {
        for record in reader {
            if let Record::Quarantined(q) = record {
                assert!(!q.reason.is_empty());
            }
        }
    }
});
