//! The months around the declared one reach the indicators without being built in full
//! (`month::indicator_month`: declared totals from the declarations' models, no file
//! rendered). Their figures must be exactly those of a full build: checked on the demo season
//! (CNM, ASTP, SACEM) and on the payroll scenario (SACEM with engagement expenses, employment).

use crate::support::{Scenario, GENERATED_AT};
use chrono::{DateTime, Utc};
use releve::config::Config;
use releve::month::{build_month, indicator_month};
use releve::reference::load_reference;
use releve_store::Store;

async fn assert_same_figures(config: &std::path::Path, months: &[&str]) {
    let config = Config::load(config).unwrap();
    let reference = load_reference(&config).unwrap();
    let store = Store::connect(&config.database_url).await.unwrap();
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339(GENERATED_AT).unwrap().into();
    for org in &config.organisations {
        for month in months {
            let month = month.parse().unwrap();
            let full = build_month(&store, org, month, &reference, now)
                .await
                .unwrap()
                .indicator_data();
            let cheap = indicator_month(&store, org, month, &reference, now)
                .await
                .unwrap();
            let slug = &org.organisation.slug;
            assert!(!full.facts.performances.is_empty(), "{slug} {month}");
            assert_eq!(cheap.facts, full.facts, "{slug} {month}");
            assert_eq!(cheap.employment, full.employment, "{slug} {month}");
            assert_eq!(cheap.declared, full.declared, "{slug} {month}");
        }
    }
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_months_figures_equal_those_of_a_full_build() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let s = Scenario::new();
    for file in ["releve.toml", "tickets.csv", "programme.csv"] {
        std::fs::copy(root.join("fixtures/demo").join(file), s.path(file)).unwrap();
    }
    let config = s.path("releve.toml");
    let run = crate::support::releve(&[
        "run",
        "--config",
        config.to_str().unwrap(),
        "--month",
        "2025-11",
        "--out",
        s.path("out").to_str().unwrap(),
        "--generated-at",
        GENERATED_AT,
    ]);
    assert!(
        run.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_same_figures(&config, &["2025-11", "2025-12"]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payroll_months_figures_equal_those_of_a_full_build() {
    let s = crate::payroll::march_scenario();
    let run = s.run_month("2026-03");
    assert!(run.status <= 1, "{}", run.stderr);
    let full = run.json("2026-03", "sacem.json");
    // The case this test is for: the SACEM state lists the engagement contracts' pay.
    assert!(
        full["shows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|show| !show["expenses"].as_array().unwrap().is_empty()),
        "{full}"
    );
    assert_same_figures(&s.path("releve.toml"), &["2026-03", "2026-04"]).await;
}
