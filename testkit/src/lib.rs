//! Test support shared by releve's test suites: golden-file assertions (rewritten only on
//! purpose with `UPDATE_GOLDEN=1`), PDF text extraction, a fixed clock, and the domain builders.

use std::path::Path;

pub mod mutate;

pub use releve_domain::testing as builders;
pub use releve_domain::FixedClock;

/// Compares `actual` with the golden file at `path`. With `UPDATE_GOLDEN=1` the file is
/// rewritten instead, so that the change shows up as a diff to review.
pub fn assert_golden(path: &Path, actual: &str) {
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("create golden folder");
        }
        std::fs::write(path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "golden file {} unreadable ({e}); run with UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let first_difference = expected
            .lines()
            .zip(actual.lines())
            .enumerate()
            .find(|(_, (e, a))| e != a)
            .map(|(i, (e, a))| format!("line {}:\n  expected: {e}\n  actual:   {a}", i + 1))
            .unwrap_or_else(|| "the files differ in length".to_string());
        panic!(
            "output differs from golden file {} — {first_difference}\n(run with UPDATE_GOLDEN=1 to accept the new output, then review the diff)",
            path.display()
        );
    }
}

/// The text of a PDF, as a reader would copy it, with whitespace runs collapsed to one space.
pub fn pdf_text(bytes: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(bytes).expect("PDF text extraction");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The fixed clock used by tests: 5 December 2025, 09:00 in Paris.
pub fn fixed_clock() -> FixedClock {
    FixedClock(
        chrono::DateTime::parse_from_rfc3339("2025-12-05T09:00:00+01:00")
            .expect("valid")
            .with_timezone(&chrono::Utc),
    )
}
