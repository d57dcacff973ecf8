//! Hostile and broken environments, each with the French error a user gets: a disk that fills
//! up or turns read-only while the files are written (the previous files stay intact), a corrupt
//! database file, a source that is a folder, and ticket files with a 100 MB field, a line of a
//! million columns, NUL bytes, invalid UTF-8 inside UTF-8, Paris times in the DST gap and
//! overlap.

use crate::concurrency::folder_bytes;
use crate::month_run::november;
use crate::support::*;
use std::process::Command;

fn run_with(s: &Scenario, env: &[(&str, &str)]) -> RunResult {
    let config = s.write_config();
    let out = s.path("out");
    let mut command = Command::new(env!("CARGO_BIN_EXE_releve"));
    command.args([
        "run",
        "--config",
        config.to_str().unwrap(),
        "--month",
        "2025-11",
        "--out",
        out.to_str().unwrap(),
        "--generated-at",
        GENERATED_AT,
    ]);
    command.env("RELEVE_LOG", "warn");
    for (k, v) in env {
        command.env(k, v);
    }
    RunResult::from(command.output().unwrap(), out)
}

fn temporaries(folder: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

#[test]
fn a_disk_that_fills_up_or_turns_read_only_leaves_the_previous_files_intact() {
    let s = november();
    let first = s.run_month("2025-11");
    first.assert_status(0);
    let before = folder_bytes(&first.folder("2025-11"));
    // New sales: the next files would differ.
    let mut tickets = crate::month_run::november_tickets();
    tickets += &ticket(
        "T1-9",
        "P1",
        "Les Vagues",
        "2025-11-14 20:30",
        "Grande salle",
        "Plein tarif",
        "full",
        "18.00",
        "5.5",
        "valid",
    );
    s.write("tickets.csv", tickets);
    for (errno, words) in [
        (
            "28",
            "le disque est plein ; libérez de la place puis relancez",
        ),
        ("30", "le disque est en lecture seule"),
        ("13", "droits insuffisants sur le dossier de sortie"),
    ] {
        // The fourth file cannot be written, nor any after it.
        let failed = run_with(
            &s,
            &[("RELEVE_TEST_FAIL_AT", &format!("outputs.write:4:{errno}"))],
        );
        failed.assert_status(2);
        assert!(
            failed
                .stdout
                .contains("Théâtre des Digues — ÉCHEC du relevé : impossible d'écrire "),
            "{}",
            failed.stdout
        );
        assert!(failed.stdout.contains(words), "{errno}: {}", failed.stdout);
        assert!(
            failed
                .stdout
                .contains("le fichier précédent est resté intact"),
            "{}",
            failed.stdout
        );
        assert!(
            failed
                .stderr
                .contains("le relevé n'a pas pu être produit pour : theatre-des-digues"),
            "{}",
            failed.stderr
        );
        let folder = first.folder("2025-11");
        assert_eq!(temporaries(&folder), Vec::<String>::new(), "{errno}");
        assert!(
            folder_bytes(&folder) == before,
            "{errno}: a previous file was changed"
        );
    }
    // Space again: the run goes through and the new sale is counted (5 paid tickets for P1).
    let after = s.run_month("2025-11");
    after.assert_status(0);
    assert_eq!(
        performance(&after.json("2025-11", "aggregates.json"), "tickets_csv:P1")["paid_tickets"],
        5
    );
}

/// A real read-only folder (only meaningful for a user other than root, who may write anyway).
#[cfg(unix)]
#[test]
fn a_read_only_output_folder_is_reported_in_french() {
    use std::os::unix::fs::PermissionsExt;
    let s = november();
    let first = s.run_month("2025-11");
    first.assert_status(0);
    let folder = first.folder("2025-11");
    let probe = folder.join(".probe");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let writable_anyway = std::fs::write(&probe, "x").is_ok();
    let _ = std::fs::remove_file(&probe);
    if writable_anyway {
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("read-only folder: skipped (running as root, permissions do not apply; the injected errors above cover it)");
        return;
    }
    let before = folder_bytes(&folder);
    let failed = s.run_month("2025-11");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    failed.assert_status(2);
    assert!(
        failed
            .stdout
            .contains("droits insuffisants sur le dossier de sortie"),
        "{}",
        failed.stdout
    );
    assert!(folder_bytes(&folder) == before);
}

#[test]
fn a_corrupt_database_file_is_refused_with_what_to_do() {
    let s = november();
    s.run_month("2025-11").assert_status(0);
    let db = s.path("releve.db");
    let _ = std::fs::remove_file(s.path("releve.db-wal"));
    let _ = std::fs::remove_file(s.path("releve.db-shm"));
    std::fs::write(&db, vec![0x42u8; 8192]).unwrap();
    let failed = s.run_month("2025-11");
    failed.assert_status(2);
    assert!(
        failed
            .stderr
            .contains("n'est pas une base SQLite lisible (fichier endommagé ?)"),
        "{}",
        failed.stderr
    );
    assert!(
        failed.stderr.contains("releve restore"),
        "{}",
        failed.stderr
    );
}

#[test]
fn a_source_that_is_a_folder_is_named_and_the_other_source_still_runs() {
    let s = november();
    std::fs::remove_file(s.path("programme.csv")).unwrap();
    std::fs::create_dir(s.path("programme.csv")).unwrap();
    let r = s.run_month("2025-11");
    r.assert_status(1);
    assert!(
        r.stdout.contains("ÉCHEC de la source programme_csv : "),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("c'est un dossier, pas un fichier : indiquez le fichier dans `path`"),
        "{}",
        r.stdout
    );
    // The tickets were read: P1 has its 4 paid tickets.
    assert_eq!(
        performance(&r.json("2025-11", "aggregates.json"), "tickets_csv:P1")["paid_tickets"],
        4
    );
}

/// Rows that no parser should choke on, each quarantined with a French reason while the good
/// rows around them count.
#[test]
fn hostile_ticket_rows_are_quarantined_and_the_good_ones_count() {
    let s = november();
    let mut bytes = crate::month_run::november_tickets().into_bytes();
    let good = |id: &str| {
        ticket(
            id,
            "P1",
            "Les Vagues",
            "2025-11-14 20:30",
            "Grande salle",
            "Plein tarif",
            "full",
            "18.00",
            "5.5",
            "valid",
        )
    };
    // A 100 MB field (a runaway export), then a line of a million columns.
    bytes.extend(format!("H-BIG,P1,,Les Vagues,2025-11-14 20:30,Grande salle,44000,Nantes,{},full,18.00,5.5,valid,\n", "x".repeat(100 * 1024 * 1024)).as_bytes());
    bytes.extend(good("H-OK1").as_bytes());
    bytes.extend(b"H-WIDE,P1,,Les Vagues,2025-11-14 20:30,Grande salle,44000,Nantes,Plein tarif,full,18.00,5.5,valid");
    bytes.extend(",".repeat(1_000_000).as_bytes());
    bytes.extend(b"\n");
    // NUL bytes in the status; invalid UTF-8 (a lone continuation byte) in the title.
    bytes.extend(b"H-NUL,P1,,Les Vagues,2025-11-14 20:30,Grande salle,44000,Nantes,Plein tarif,full,18.00,5.5,val\0id,\n");
    bytes.extend(b"H-UTF,P7,,Les \x80Vagues,2025-11-15 20:30,Grande salle,44000,Nantes,Plein tarif,full,18.00,5.5,valid,\n");
    // Paris times that do not exist (spring forward) or exist twice (fall back).
    bytes.extend(
        ticket(
            "H-GAP",
            "P8",
            "Printemps",
            "2025-03-30 02:30",
            "Club",
            "Plein tarif",
            "full",
            "10.00",
            "5.5",
            "valid",
        )
        .as_bytes(),
    );
    bytes.extend(
        ticket(
            "H-TWICE",
            "P9",
            "Automne",
            "2025-10-26 02:30",
            "Club",
            "Plein tarif",
            "full",
            "10.00",
            "5.5",
            "valid",
        )
        .as_bytes(),
    );
    bytes.extend(good("H-OK2").as_bytes());
    s.write("tickets.csv", bytes);
    let r = s.run_month("2025-11");
    r.assert_status(1);
    // P1: its 4 paid tickets + H-BIG (a long category is kept as given) + H-OK1 + H-WIDE (extra
    // columns are ignored) + H-OK2 = 8. Quarantined: H-NUL, H-UTF, H-GAP, H-TWICE.
    let aggregates = r.json("2025-11", "aggregates.json");
    assert_eq!(
        performance(&aggregates, "tickets_csv:P1")["paid_tickets"],
        8
    );
    let issues = r.json("2025-11", "issues.json");
    assert_eq!(issues["counts"]["quarantined"], 4, "{issues:#}");
    let reasons: Vec<(u64, String)> = issues["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"] == "quarantine")
        .map(|i| {
            (
                i["line"].as_u64().unwrap(),
                i["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let lines: Vec<u64> = reasons.iter().map(|(l, _)| *l).collect();
    // Header line 1, 16 November rows (lines 2–17), H-BIG 18, H-OK1 19, H-WIDE 20, then these.
    assert_eq!(lines, [21, 22, 23, 24], "{reasons:#?}");
    assert!(
        reasons[0].1.contains("statut inconnu « val\u{0}id »"),
        "{}",
        reasons[0].1
    );
    assert!(
        reasons[1]
            .1
            .contains("octets invalides en UTF-8 dans cette ligne"),
        "{}",
        reasons[1].1
    );
    assert!(
        reasons[2]
            .1
            .contains("l'heure 2025-03-30 02:30:00 n'existe pas à Paris (passage à l'heure d'été)"),
        "{}",
        reasons[2].1
    );
    assert!(reasons[3].1.contains("l'heure 2025-10-26 02:30:00 est ambiguë à Paris (passage à l'heure d'hiver) : précisez le décalage"), "{}", reasons[3].1);
    // The rest of the file is still read as UTF-8: no title turned into Windows-1252 mojibake.
    let text = aggregates.to_string();
    assert!(!text.contains('Ã') && !text.contains('€'), "{text}");
}
