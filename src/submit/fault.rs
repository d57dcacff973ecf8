//! Kill points for the crash tests of submission (debug builds only). With
//! `RELEVE_SUBMIT_KILL_AT=<point>` the process aborts at once (like `kill -9`: no unwinding, no
//! destructor, nothing flushed) the first time it reaches that point. Points:
//! `before_request` (nothing sent yet), `after_request` (the body answered, nothing stored),
//! `after_store` (the outcome stored, the version's lifecycle not yet updated).
//! In release builds [`point`] does nothing.

pub fn point(name: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("RELEVE_SUBMIT_KILL_AT").is_ok_and(|p| p == name) {
        eprintln!("releve: arrêt forcé au point « {name} » (RELEVE_SUBMIT_KILL_AT)");
        std::process::abort();
    }
    #[cfg(not(debug_assertions))]
    let _ = name;
}
