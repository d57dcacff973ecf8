//! Fuzz target: any bytes as a `payroll_csv` file give an error or rows (engagements or
//! quarantine entries with a reason), never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use releve_collectors::payroll_csv::{read, PayrollRow};

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("releve-fuzz-payroll-{}", std::process::id()));
    std::fs::write(&path, data).unwrap();
    if let Ok(reader) = read("fuzz", &path, "sel") {
        for row in reader {
            if let PayrollRow::Quarantined(q) = row {
                assert!(!q.reason.is_empty());
            }
        }
    }
});
