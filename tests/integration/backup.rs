//! `releve backup` / `releve restore` end to end on SQLite: the copy is consistent, the restore
//! puts the database back as it was at the backup (an approval made after it is gone), keeps
//! the replaced database aside, and a re-run gives the same files.

use crate::concurrency::folder_bytes;
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

#[test]
fn a_restored_backup_gives_back_the_database_of_that_moment() {
    let s = november();
    let first = s.run_month("2025-11");
    first.assert_status(0);
    let files = folder_bytes(&first.folder("2025-11"));
    let copy = s.path("sauvegardes/releve-2025-12-05.db");
    let backup = cli(&s, &["backup", "--to", copy.to_str().unwrap()]);
    backup.assert_status(0);
    assert!(
        backup
            .stdout
            .starts_with(&format!("Sauvegarde écrite : {}\n", copy.display())),
        "{}",
        backup.stdout
    );
    // The November file: 16 ticket rows (P1 5, P2 2, P3 5, P4 2, P6 2), one organisation;
    // 5 drafts (one per body), no audit entry yet.
    assert!(
        backup.stdout.contains("  1 organisation(s), 16 billet(s), 5 version(s) de déclaration, 0 entrée(s) du journal d'audit ; "),
        "{}",
        backup.stdout
    );
    assert!(backup
        .stdout
        .contains("le fichier de clé et le dossier des fichiers produits"));
    // Never over an existing backup.
    let again = cli(&s, &["backup", "--to", copy.to_str().unwrap()]);
    again.assert_status(2);
    assert!(again.stderr.contains("existe déjà"), "{}", again.stderr);

    // After the backup: an approval.
    cli(
        &s,
        &[
            "approve",
            "--month",
            "2025-11",
            "--body",
            "cnm",
            "--by",
            "Claire Martin, administratrice",
        ],
    )
    .assert_status(0);
    let approved = cli(&s, &["versions", "--month", "2025-11"]);
    assert!(
        approved
            .stdout
            .contains(", approuvée par Claire Martin, administratrice le "),
        "{}",
        approved.stdout
    );

    let restore = cli(&s, &["restore", "--from", copy.to_str().unwrap()]);
    restore.assert_status(0);
    assert!(
        restore.stdout.contains("Base restaurée depuis"),
        "{}",
        restore.stdout
    );
    assert!(
        restore
            .stdout
            .contains("L'ancienne base est conservée dans "),
        "{}",
        restore.stdout
    );
    let aside: Vec<String> = std::fs::read_dir(s.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("releve.db.avant-restauration-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    // The approval made after the backup is gone: the draft is a draft again, the audit log is
    // empty again and verifies.
    let versions = cli(&s, &["versions", "--month", "2025-11"]);
    assert!(
        !versions.stdout.contains("approuvée par"),
        "{}",
        versions.stdout
    );
    let audit = cli(&s, &["audit", "verify"]);
    audit.assert_status(0);
    assert_eq!(
        audit.stdout,
        "Théâtre des Digues — journal d'audit : 0 entrée(s), chaîne intacte.\n"
    );
    // The same month again: the same files.
    let rerun = s.run_month("2025-11");
    rerun.assert_status(0);
    assert_eq!(folder_bytes(&rerun.folder("2025-11")), files);
    // The copy was not touched by the restore (still the same contents).
    let check = cli(
        &s,
        &["backup", "--to", s.path("seconde.db").to_str().unwrap()],
    );
    check.assert_status(0);
}

#[test]
fn a_file_that_is_not_a_backup_is_refused_and_the_database_stays() {
    let s = november();
    s.run_month("2025-11").assert_status(0);
    let before = std::fs::read(s.path("releve.db")).unwrap();
    s.write("pas-une-base.db", "ticket_id,performance_id\nT1,P1\n");
    let refused = cli(
        &s,
        &[
            "restore",
            "--from",
            s.path("pas-une-base.db").to_str().unwrap(),
        ],
    );
    refused.assert_status(2);
    assert!(
        refused
            .stderr
            .contains("n'est pas une sauvegarde releve lisible"),
        "{}",
        refused.stderr
    );
    let missing = cli(
        &s,
        &["restore", "--from", s.path("absente.db").to_str().unwrap()],
    );
    missing.assert_status(2);
    assert!(
        missing.stderr.contains("fichier introuvable"),
        "{}",
        missing.stderr
    );
    assert_eq!(std::fs::read(s.path("releve.db")).unwrap(), before);
}

#[test]
fn on_postgresql_the_pg_dump_procedure_is_printed() {
    let mut s = november();
    s.extra_root_keys = "[database]\nurl = \"postgres://releve:secret@db.local/releve\"\n\n".into();
    s.write_config();
    let printed = cli(&s, &["backup", "--to", "/srv/sauvegardes/releve.dump"]);
    // Nothing was copied by releve: a person has to run the command (exit 1).
    printed.assert_status(1);
    assert!(printed.stdout.contains(
        "pg_dump --format=custom --no-owner --file '/srv/sauvegardes/releve.dump' 'postgres://releve:***@db.local/releve'"
    ), "{}", printed.stdout);
    assert!(printed
        .stdout
        .contains("pg_restore --clean --if-exists --no-owner --single-transaction"));
    assert!(!printed.stdout.contains("secret"));
}
