//! Fuzz target: any bytes as an XLSX or ODS programme give an error or records, never a panic.
//! The first byte chooses the extension (the reader goes by it).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let extension = if first % 2 == 0 { "xlsx" } else { "ods" };
    let path = std::env::temp_dir().join(format!(
        "releve-fuzz-sheet-{}.{extension}",
        std::process::id()
    ));
    std::fs::write(&path, rest).unwrap();
    let _ = releve_collectors::programme_sheets::read("fuzz", &path);
});
