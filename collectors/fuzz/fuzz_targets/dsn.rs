//! Fuzz target: any bytes given to the DSN parser give a file or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use releve_collectors::dsn::{parse, DsnOptions};

fuzz_target!(|data: &[u8]| {
    let options = DsnOptions::new("fuzz");
    let _ = parse("dsn", data, &options);
});
