//! Configuration mistakes stop the run with status 2 and a message naming the key or value.

use crate::support::*;

fn run_with_config(config: &str) -> RunResult {
    let s = Scenario::new();
    let path = s.path("releve.toml");
    std::fs::write(&path, config).unwrap();
    let out = s.path("out");
    let output = releve(&[
        "run",
        "--config",
        path.to_str().unwrap(),
        "--month",
        "2025-11",
        "--out",
        out.to_str().unwrap(),
    ]);
    RunResult::from(output, out)
}

const BASE: &str = "[[organisation]]\nslug = \"theatre-des-digues\"\nname = \"Théâtre des Digues\"\nsiret = \"81234567600009\"\n";

#[test]
fn unknown_keys_are_refused_with_their_name_and_line() {
    let r = run_with_config(&format!("{BASE}jauge = 400\n"));
    r.assert_status(2);
    assert!(r.stderr.contains("clé inconnue « jauge »"), "{}", r.stderr);
    assert!(r.stderr.contains("ligne 5"), "{}", r.stderr);
}

#[test]
fn a_wrong_siret_is_refused() {
    let r = run_with_config(&BASE.replace("81234567600009", "81234567600001"));
    r.assert_status(2);
    assert!(
        r.stderr.contains("SIRET « 81234567600001 »"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("theatre-des-digues"), "{}", r.stderr);
}

#[test]
fn a_missing_configuration_file_is_named() {
    let output = releve(&["run", "--config", "/nonexistent/releve.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/nonexistent/releve.toml"), "{stderr}");
}

#[test]
fn a_bad_month_is_refused() {
    let s = Scenario::new();
    let config = s.write_config();
    let output = releve(&[
        "run",
        "--config",
        config.to_str().unwrap(),
        "--month",
        "2025-13",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("mois invalide"));
}

#[test]
fn check_validates_sources_without_writing() {
    let s = Scenario::new();
    s.write("tickets.csv", TICKETS_HEADER);
    let config = s.write_config();
    let output = releve(&["check", "--config", config.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    // programme.csv is missing: that source is in error, the run would need attention.
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("OK      tickets_csv"), "{stdout}");
    assert!(stdout.contains("ERREUR  programme_csv"), "{stdout}");
    assert!(
        !s.path("releve.db").exists(),
        "check must not create the database"
    );
}

#[test]
fn check_names_a_missing_credential_variable() {
    let s = Scenario::new();
    let config = format!(
        "{BASE}\n  [[organisation.source]]\n  kind = \"billetweb\"\n  base_url = \"http://127.0.0.1:9/api\"\n  credentials_env = \"RELEVE_TEST_ABSENT_BW\"\n"
    );
    let path = s.path("releve.toml");
    std::fs::write(&path, config).unwrap();
    let output = releve(&["check", "--config", path.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("ERREUR  billetweb"), "{stdout}");
    assert!(stdout.contains("RELEVE_TEST_ABSENT_BW_USER"), "{stdout}");
}

#[test]
fn check_reads_the_reference_files_the_configuration_names() {
    let mut s = Scenario::new();
    s.extra_root_keys = "rules_file = \"mes-regles.toml\"\n".into();
    let config = s.write_config();
    let output = releve(&["check", "--config", config.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("mes-regles.toml"));
}

#[test]
fn an_unknown_organisation_is_refused_by_every_command() {
    let s = Scenario::new();
    let config = s.write_config();
    for args in [
        vec![
            "versions",
            "--config",
            config.to_str().unwrap(),
            "--org",
            "inconnue",
        ],
        vec![
            "trace",
            "--config",
            config.to_str().unwrap(),
            "--org",
            "inconnue",
            "--month",
            "2025-11",
            "--performance",
            "x:y",
        ],
    ] {
        let output = releve(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("« inconnue »"),
            "{args:?}"
        );
    }
}

#[test]
fn serde_and_toml_errors_are_said_in_french() {
    // A typo: the nearest admitted key is suggested.
    let r = run_with_config(&format!("{BASE}subsidized = true\n"));
    r.assert_status(2);
    assert!(
        r.stderr
            .contains("clé inconnue « subsidized » (vouliez-vous dire « subsidised » ?"),
        "{}",
        r.stderr
    );
    // A wrong type.
    let r = run_with_config(&format!("{BASE}subsidised = \"oui\"\n"));
    r.assert_status(2);
    assert!(
        r.stderr.contains(
            "ligne 5 : type invalide : le texte « oui » au lieu d'un booléen (true ou false)"
        ),
        "{}",
        r.stderr
    );
    // A missing key.
    let r = run_with_config(&BASE.replace("siret = \"81234567600009\"\n", ""));
    r.assert_status(2);
    assert!(
        r.stderr.contains("clé obligatoire « siret » absente"),
        "{}",
        r.stderr
    );
    // Broken TOML.
    let r = run_with_config(&format!("{BASE}city \"Nantes\"\n"));
    r.assert_status(2);
    assert!(r.stderr.contains("syntaxe TOML invalide"), "{}", r.stderr);
    assert!(r.stderr.contains("ligne 5"), "{}", r.stderr);
    assert!(!r.stderr.contains("expected"), "{}", r.stderr);
}
