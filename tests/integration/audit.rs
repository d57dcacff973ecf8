//! `releve audit verify`: an untouched log verifies; an entry changed or removed behind
//! releve's back is named as the first broken link, with exit status 1.

use crate::month_run::november;
use crate::support::*;

fn cli(s: &Scenario, args: &[&str]) -> RunResult {
    let config = s.path("releve.toml");
    // `audit verify` is a command in two words.
    let words = if args[0] == "audit" { 2 } else { 1 };
    let mut all = args[..words].to_vec();
    all.extend(["--config", config.to_str().unwrap()]);
    all.extend(&args[words..]);
    RunResult::from(releve(&all), s.path("out"))
}

fn tamper(s: &Scenario, sql: &str) {
    let url = format!("sqlite://{}", s.path("releve.db").display());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
        sqlx::query(sql).execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    });
}

#[test]
fn the_audit_chain_holds_until_someone_edits_the_database() {
    let s = november();
    s.run_month("2025-11").assert_status(0);
    let by = "Claire Martin, administratrice";
    for body in ["cnm", "sacd"] {
        cli(
            &s,
            &["approve", "--month", "2025-11", "--body", body, "--by", by],
        )
        .assert_status(0);
    }
    cli(
        &s,
        &[
            "submitted",
            "--month",
            "2025-11",
            "--body",
            "cnm",
            "--version",
            "1",
            "--by",
            by,
            "--channel",
            "portail",
            "--receipt",
            "CNM-0042",
        ],
    )
    .assert_status(0);
    let intact = cli(&s, &["audit", "verify"]);
    intact.assert_status(0);
    assert_eq!(
        intact.stdout,
        "Théâtre des Digues — journal d'audit : 3 entrée(s), chaîne intacte.\n"
    );

    // Someone rewrites the receipt of the submission (the third entry).
    tamper(&s, "UPDATE audit_log SET details_json = replace(details_json, 'CNM-0042', 'CNM-9999') WHERE action = 'submit'");
    let broken = cli(&s, &["audit", "verify"]);
    broken.assert_status(1);
    assert!(
        broken.stdout.starts_with(
            "Théâtre des Digues — journal d'audit : CHAÎNE ROMPUE à l'entrée n° 3 (submit du "
        ),
        "{}",
        broken.stdout
    );
    assert!(
        broken
            .stdout
            .contains(") : son contenu a été modifié depuis son enregistrement. "),
        "{}",
        broken.stdout
    );

    // Someone removes the first approval instead: the second entry no longer links.
    tamper(&s, "UPDATE audit_log SET details_json = replace(details_json, 'CNM-9999', 'CNM-0042') WHERE action = 'submit'");
    cli(&s, &["audit", "verify"]).assert_status(0);
    tamper(&s, "DELETE FROM audit_log WHERE id = 1");
    let removed = cli(&s, &["audit", "verify"]);
    removed.assert_status(1);
    assert!(
        removed
            .stdout
            .contains("CHAÎNE ROMPUE à l'entrée n° 2 (approve du "),
        "{}",
        removed.stdout
    );
    assert!(
        removed
            .stdout
            .contains("son lien ne désigne pas l'entrée qui la précède"),
        "{}",
        removed.stdout
    );
}
