//! Kill points of a submission, in the crash harness of the store (`releve_store::faults`,
//! debug builds only): `RELEVE_TEST_KILL_AT=submit.<point>:<n>` aborts the process (as hard as
//! `kill -9`) the n-th time it reaches that point. Points, for every channel:
//! `submit.before_request` (nothing sent yet), `submit.after_request` (the body answered,
//! nothing stored; SIBIL reaches it once per declaration, so `:2` kills mid-way through a
//! quarter), `submit.after_store` (the outcome stored, the version's lifecycle not yet updated).

/// Marks the submission step `name` (see the module documentation).
pub fn point(name: &str) {
    releve_store::faults::point(&format!("submit.{name}"));
}
