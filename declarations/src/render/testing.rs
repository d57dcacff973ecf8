//! Test helpers shared by every declaration's tests: PDF text extraction and golden files.

use std::path::PathBuf;

pub(crate) use releve_documents::testing::pdf_text;

/// Compares `actual` with the golden file `testdata/<name>` (as text). With `UPDATE_GOLDEN=1`
/// the file is rewritten instead; a missing golden file is an error, never silently created.
pub(crate) fn assert_golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name);
    if std::env::var("UPDATE_GOLDEN").as_deref() == Ok("1") {
        std::fs::create_dir_all(path.parent().expect("testdata folder")).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "golden file {} unreadable ({e}); run with UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{} differs from the output (UPDATE_GOLDEN=1 rewrites it after review)\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}
