//! Stored credentials end to end on a SQLite store: sealed in the database, read back, the
//! environment winning, rotation, a wrong key. (Kills during a rotation: the integration test
//! `credentials`.)

use super::*;
use crate::credentials::key::MasterKey;
use crate::credentials::rotate::rotate;
use chrono::TimeZone;
use secrecy::ExposeSecret;

const SECRET: &str = "cle-billetweb-9f3a2c71";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 12, 5, 9, 0, 0).unwrap()
}

async fn store_in(dir: &Path) -> Store {
    let url = format!("sqlite://{}", dir.join("releve.db").display());
    Store::connect(&url).await.unwrap()
}

fn database_bytes(dir: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for name in ["releve.db", "releve.db-wal"] {
        if let Ok(bytes) = std::fs::read(dir.join(name)) {
            all.extend(bytes);
        }
    }
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn stored_sealed_read_back_and_the_environment_wins() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("releve.key");
    let store = store_in(dir.path()).await;
    let env: BTreeMap<String, String> = BTreeMap::new();
    // Nothing stored: nothing needed, no key file made.
    let none = resolve(&store, &key_file, &env, "digues", &names(&["BW_KEY"]))
        .await
        .unwrap();
    assert!(none.is_empty());
    assert!(!key_file.exists());

    store_value(
        &store,
        &key_file,
        "digues",
        "BW_KEY",
        SECRET,
        "admin@digues.fr",
        now(),
    )
    .await
    .unwrap();
    assert!(key_file.exists(), "the key file is made on first use");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let got = resolve(
        &store,
        &key_file,
        &env,
        "digues",
        &names(&["BW_KEY", "BW_USER"]),
    )
    .await
    .unwrap();
    assert_eq!(got["BW_KEY"].expose_secret(), SECRET);
    assert!(!got.contains_key("BW_USER"));
    // Another organisation does not see it.
    let other = resolve(&store, &key_file, &env, "autre", &names(&["BW_KEY"]))
        .await
        .unwrap();
    assert!(other.is_empty());
    // The environment wins.
    let env: BTreeMap<String, String> = [("BW_KEY".to_string(), "de-l-env".to_string())].into();
    let got = resolve(&store, &key_file, &env, "digues", &names(&["BW_KEY"]))
        .await
        .unwrap();
    assert_eq!(got["BW_KEY"].expose_secret(), "de-l-env");
    let layered = WithStored {
        env: Arc::new(BTreeMap::<String, String>::new()),
        stored: resolve(
            &store,
            &key_file,
            &BTreeMap::new(),
            "digues",
            &names(&["BW_KEY"]),
        )
        .await
        .unwrap(),
    };
    assert_eq!(layered.var("BW_KEY").as_deref(), Some(SECRET));

    store.close().await;
    let db = database_bytes(dir.path());
    assert!(contains(&db, "BW_KEY"), "the row is there");
    assert!(
        !contains(&db, SECRET),
        "the secret is not in the database in clear"
    );
    assert!(!contains(&db, &hex::encode(SECRET)));
    let key_text = std::fs::read_to_string(&key_file).unwrap();
    assert!(!key_text.contains(SECRET));
}

#[tokio::test]
async fn rotation_reseals_everything_under_a_new_key_and_drops_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("releve.key");
    let store = store_in(dir.path()).await;
    for (org, name, value) in [
        ("digues", "BW_KEY", SECRET),
        ("digues", "SIBIL_DIGUES_PASSWORD", "sibil-mdp-77"),
        ("quai", "HA_CLIENT_SECRET", "ha-secret-12"),
    ] {
        store_value(&store, &key_file, org, name, value, "admin", now())
            .await
            .unwrap();
    }
    let old = std::fs::read_to_string(&key_file).unwrap();
    let old_id = MasterKey::from_base64(old.lines().next().unwrap(), "t")
        .unwrap()
        .id();

    let done = rotate(&store, &key_file).await.unwrap();
    assert_eq!(done.resealed, 3);
    assert_ne!(done.key_id, old_id);
    let rows = store.stored_credentials(None).await.unwrap();
    assert!(rows.iter().all(|r| r.key_id == done.key_id), "{rows:?}");
    let new = std::fs::read_to_string(&key_file).unwrap();
    assert_eq!(new.lines().count(), 1, "the old key is gone from the file");
    assert!(!new.contains(old.trim()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let env = BTreeMap::<String, String>::new();
    let got = resolve(
        &store,
        &key_file,
        &env,
        "digues",
        &names(&["BW_KEY", "SIBIL_DIGUES_PASSWORD"]),
    )
    .await
    .unwrap();
    assert_eq!(got["BW_KEY"].expose_secret(), SECRET);
    assert_eq!(got["SIBIL_DIGUES_PASSWORD"].expose_secret(), "sibil-mdp-77");
    let got = resolve(
        &store,
        &key_file,
        &env,
        "quai",
        &names(&["HA_CLIENT_SECRET"]),
    )
    .await
    .unwrap();
    assert_eq!(got["HA_CLIENT_SECRET"].expose_secret(), "ha-secret-12");

    // The old key put back: a clear French error, no value.
    std::fs::write(&key_file, &old).unwrap();
    let e = resolve(&store, &key_file, &env, "digues", &names(&["BW_KEY"]))
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("chiffré avec une autre clé maîtresse"), "{e}");
    assert!(e.contains(&done.key_id) && e.contains(&old_id), "{e}");
    assert!(!e.contains(SECRET));
    // And a rotation with the wrong key changes nothing.
    assert!(rotate(&store, &key_file).await.is_err());
    assert_eq!(std::fs::read_to_string(&key_file).unwrap(), old);
}
