//! Approval freezes a version; a refund arriving after approval produces an amendment with the
//! right difference per performance, and the SACD XML is re-sent with `rep_version` + 1.

use crate::month_run::{november, november_tickets};
use crate::support::*;

fn cli(s: &Scenario, args: &[&str]) -> (i32, String, String) {
    let config = s.write_config();
    let mut all = vec![args[0], "--config", config.to_str().unwrap()];
    all.extend_from_slice(&args[1..]);
    let output = releve(&all);
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_refund_after_approval_gives_an_amendment_with_the_difference() {
    let s = november();
    s.run_month("2025-11").assert_status(0);
    for body in ["cnm", "sacd"] {
        let (status, stdout, stderr) = cli(
            &s,
            &[
                "approve",
                "--month",
                "2025-11",
                "--body",
                body,
                "--by",
                "Claire Martin, administratrice",
            ],
        );
        assert_eq!(status, 0, "{stdout}{stderr}");
        assert!(stdout.contains("version 1 approuvée"), "{stdout}");
    }
    let (_, listing, _) = cli(&s, &["versions", "--month", "2025-11"]);
    assert!(
        listing.contains("2025-11 cnm v1 — approuvée (v1)"),
        "{listing}"
    );
    assert!(listing.contains("Claire Martin"), "{listing}");

    // Same figures: no amendment, the approved version stands.
    let again = s.run_month("2025-11");
    again.assert_status(0);
    assert!(!again.folder("2025-11").join("cnm-amendment.json").exists());

    // T2-2 (Nuit Jazz, 15.00) and T1-1 (Les Vagues, 18.00) refunded after approval.
    let tickets = november_tickets()
        .replace("T2-2,P2,,Nuit Jazz,2025-11-30T23:30:00+01:00,Club,44000,Nantes,Abonné,subscription,15.00,5.5,valid", "T2-2,P2,,Nuit Jazz,2025-11-30T23:30:00+01:00,Club,44000,Nantes,Abonné,subscription,15.00,5.5,refunded")
        .replace("T1-1,P1,,Les Vagues,2025-11-14 20:30,Grande salle,44000,Nantes,Plein tarif,full,18.00,5.5,valid", "T1-1,P1,,Les Vagues,2025-11-14 20:30,Grande salle,44000,Nantes,Plein tarif,full,18.00,5.5,refunded");
    assert_ne!(tickets, november_tickets());
    s.write("tickets.csv", tickets);
    let r = s.run_month("2025-11");
    // An amendment waits for approval: the run needs attention.
    r.assert_status(1);
    let amendment = r.json("2025-11", "cnm-amendment.json");
    assert_eq!(amendment["base_version"], 1);
    let changes = amendment["changes"].as_array().unwrap();
    let change = |field: &str| {
        changes
            .iter()
            .find(|c| c["key"] == "tickets_csv:P2" && c["field"] == field)
            .unwrap_or_else(|| panic!("{field} change missing: {amendment:#}"))
    };
    assert_eq!(change("paid_tickets")["delta"], "-1");
    // 28.44 → 14.22 excl. VAT; tax 1.00 → 0.50
    assert_eq!(change("tax_base")["before"], "28.44");
    assert_eq!(change("tax_base")["after"], "14.22");
    assert_eq!(change("tax_due")["delta"], "-0.50");
    assert!(
        changes.iter().all(|c| c["key"] == "tickets_csv:P2"),
        "only P2 changed for the CNM: {amendment:#}"
    );
    let issues = r.json("2025-11", "issues.json");
    assert!(issues["issues"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["code"] == "declaration.amendment" && i["body"] == "cnm"));

    // SACD: Les Vagues changed, the XML is a correction.
    let xml = String::from_utf8(r.bytes("2025-11", "sacd.xml")).unwrap();
    assert!(xml.contains("<rep_version>2</rep_version>"), "{xml}");
    assert!(r.folder("2025-11").join("sacd-amendment.json").exists());
    let report = String::from_utf8(r.bytes("2025-11", "report.html")).unwrap();
    assert!(
        // v1 was approved, never sent: v2 replaces it (formats.md §5 "Versions").
        report.contains(
            "version 2 à approuver — remplace la version 1 (approuvée, jamais transmise)"
        ),
        "report shows the amendment status"
    );

    let (_, listing, _) = cli(&s, &["versions", "--month", "2025-11"]);
    assert!(
        listing.contains("2025-11 cnm v2 — rectificatif à approuver (v2)"),
        "{listing}"
    );
    assert!(listing.contains("rectifie la v1"), "{listing}");

    // Once the corrections are approved, a re-run is clean: nothing pending, no difference file,
    // and the SACD XML keeps the rep_version that was approved.
    for body in ["cnm", "sacd"] {
        let (status, out, err) = cli(
            &s,
            &[
                "approve",
                "--month",
                "2025-11",
                "--body",
                body,
                "--by",
                "Claire Martin",
            ],
        );
        assert_eq!(status, 0, "{out}{err}");
        assert!(out.contains("version 2 approuvée"), "{out}");
    }
    let settled = s.run_month("2025-11");
    settled.assert_status(0);
    assert!(!settled
        .folder("2025-11")
        .join("cnm-amendment.json")
        .exists());
    assert!(!settled
        .folder("2025-11")
        .join("sacd-amendment.json")
        .exists());
    let xml = String::from_utf8(settled.bytes("2025-11", "sacd.xml")).unwrap();
    assert!(xml.contains("<rep_version>2</rep_version>"), "{xml}");
}

#[test]
fn approving_needs_a_known_body_and_a_draft() {
    let s = november();
    let (status, _, stderr) = cli(
        &s,
        &[
            "approve", "--month", "2025-11", "--body", "cnm", "--by", "X",
        ],
    );
    assert_eq!(status, 2);
    assert!(stderr.contains("aucun brouillon cnm"), "{stderr}");
    let (status, _, stderr) = cli(
        &s,
        &[
            "approve", "--month", "2025-11", "--body", "urssaf", "--by", "X",
        ],
    );
    assert_eq!(status, 2);
    assert!(stderr.contains("« urssaf » inconnu"), "{stderr}");
}

#[test]
fn a_performance_cancelled_after_sibil_had_it_is_resent_as_annule() {
    use crate::month_run::november_programme;
    let s = november();
    let valid = november_tickets().replace("20.00,5.5,refunded", "20.00,5.5,valid");
    let programme_not_cancelled =
        november_programme("44306184100047").replace(";;;;;;;;yes\n", ";;;;;;;;\n");
    s.write("tickets.csv", &valid);
    s.write("programme.csv", &programme_not_cancelled);
    let first = s.run_month("2025-11");
    let sibil = first.json("2025-11", "sibil.json");
    let rire = |v: &serde_json::Value| {
        v["declarations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["performance_id"] == "tickets_csv:P6")
            .cloned()
    };
    assert_eq!(
        rire(&sibil).expect("P6 declared")["statutDeclaration"],
        "ENREGISTRE"
    );
    let (status, out, err) = cli(
        &s,
        &[
            "approve",
            "--month",
            "2025-11",
            "--body",
            "sibil",
            "--by",
            "Claire Martin",
        ],
    );
    assert_eq!(status, 0, "{out}{err}");

    // Then the show is cancelled and its tickets refunded.
    s.write("tickets.csv", november_tickets());
    s.write("programme.csv", november_programme("44306184100047"));
    let second = s.run_month("2025-11");
    let resent = rire(&second.json("2025-11", "sibil.json")).expect("P6 re-sent");
    assert_eq!(resent["statutDeclaration"], "ANNULE");
    assert_eq!(
        resent["idExtBilletterie"],
        rire(&sibil).unwrap()["idExtBilletterie"]
    );

    // A performance cancelled before SIBIL ever had it is not declared at all.
    let fresh = november();
    let r = fresh.run_month("2025-11");
    assert!(rire(&r.json("2025-11", "sibil.json")).is_none());
}
