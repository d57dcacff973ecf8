//! Stored credentials through the binary: `releve key rotate` killed at each of its steps
//! (the crash harness, `RELEVE_TEST_KILL_AT`) never loses a credential, and running it again
//! finishes the rotation with one key left; the database never holds a value in clear.

use crate::child::spawn;
use crate::support::*;
use secrecy::ExposeSecret;
use std::collections::BTreeMap;

const VALUES: [(&str, &str); 2] = [
    ("BILLETWEB_KEY", "cle-billetweb-4e1d90aa"),
    ("SIBIL_DIGUES_PASSWORD", "mot-de-passe-sibil-31"),
];

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

fn store_all(s: &Scenario) {
    let config = releve::config::Config::load(&s.write_config()).unwrap();
    runtime().block_on(async {
        let store = releve_store::Store::connect(&config.database_url)
            .await
            .unwrap();
        for (name, value) in VALUES {
            releve::credentials::store_value(
                &store,
                &config.submission.key_file,
                "theatre-des-digues",
                name,
                value,
                "admin@digues.fr",
                chrono::Utc::now(),
            )
            .await
            .unwrap();
        }
        store.close().await;
    });
}

/// Every stored value, read back with the key file as it is now.
fn read_all(s: &Scenario) -> Vec<String> {
    let config = releve::config::Config::load(&s.path("releve.toml")).unwrap();
    runtime().block_on(async {
        let store = releve_store::Store::connect(&config.database_url)
            .await
            .unwrap();
        let names: Vec<String> = VALUES.iter().map(|(n, _)| n.to_string()).collect();
        let got = releve::credentials::resolve(
            &store,
            &config.submission.key_file,
            &BTreeMap::<String, String>::new(),
            "theatre-des-digues",
            &names,
        )
        .await
        .unwrap();
        store.close().await;
        names
            .iter()
            .map(|n| got[n].expose_secret().to_string())
            .collect()
    })
}

fn rotate(s: &Scenario, kill_at: Option<&str>) -> crate::child::Finished {
    let config = s.path("releve.toml").display().to_string();
    let env: Vec<(&str, &str)> = kill_at
        .map(|p| vec![("RELEVE_TEST_KILL_AT", p)])
        .unwrap_or_default();
    spawn(&["key", "rotate", "--config", &config], &env).finish()
}

fn key_lines(s: &Scenario) -> usize {
    std::fs::read_to_string(s.path("releve.key"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count()
}

#[test]
fn a_killed_key_rotation_loses_no_credential() {
    let expected: Vec<String> = VALUES.iter().map(|(_, v)| v.to_string()).collect();
    for point in [
        "credentials.rotate_key_added:1",
        "credentials.reseal_commit:1",
        "credentials.rotate_committed:1",
    ] {
        let s = Scenario::new();
        store_all(&s);
        let before = std::fs::read_to_string(s.path("releve.key")).unwrap();
        let killed = rotate(&s, Some(point));
        assert_eq!(
            killed.status, None,
            "{point}: not killed\n{}",
            killed.stderr
        );
        assert!(killed
            .stderr
            .contains(&format!("RELEVE_TEST_KILLED {point}")));
        // Both keys are in the file while the rotation is unfinished.
        assert_eq!(key_lines(&s), 2, "{point}");
        assert_eq!(
            read_all(&s),
            expected,
            "{point}: every credential reads back"
        );

        let done = rotate(&s, None);
        assert_eq!(
            done.status,
            Some(0),
            "{point}\n{}\n{}",
            done.stdout,
            done.stderr
        );
        assert!(
            done.stdout
                .contains("Clé maîtresse changée : 2 identifiants enregistrés rechiffrés"),
            "{}",
            done.stdout
        );
        assert_eq!(key_lines(&s), 1, "{point}: one key left");
        let after = std::fs::read_to_string(s.path("releve.key")).unwrap();
        assert!(
            !after.contains(before.trim()),
            "{point}: the old key is gone"
        );
        assert_eq!(read_all(&s), expected, "{point}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(s.path("releve.key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{point}");
        }
        let mut db = std::fs::read(s.path("releve.db")).unwrap();
        db.extend(std::fs::read(s.path("releve.db-wal")).unwrap_or_default());
        for (_, value) in VALUES {
            assert!(
                !db.windows(value.len()).any(|w| w == value.as_bytes()),
                "{value} in the database in clear"
            );
            assert!(!done.stdout.contains(value) && !done.stderr.contains(value));
        }
    }
}

#[test]
fn rotating_with_the_wrong_key_changes_nothing_and_says_why_in_french() {
    let s = Scenario::new();
    store_all(&s);
    let good = std::fs::read_to_string(s.path("releve.key")).unwrap();
    // Another key in place of the right one (a restore without its key file).
    std::fs::write(
        s.path("releve.key"),
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n",
    )
    .unwrap();
    let done = rotate(&s, None);
    assert_eq!(done.status, Some(2), "{}", done.stderr);
    assert!(
        done.stderr.contains("chiffré avec une autre clé maîtresse"),
        "{}",
        done.stderr
    );
    assert!(
        done.stderr.contains("Remettez la clé d'origine"),
        "{}",
        done.stderr
    );
    std::fs::write(s.path("releve.key"), &good).unwrap();
    assert_eq!(
        read_all(&s),
        VALUES
            .iter()
            .map(|(_, v)| v.to_string())
            .collect::<Vec<_>>()
    );
}
