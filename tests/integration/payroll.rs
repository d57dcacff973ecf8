//! Payroll (DSN) in the monthly run: employment per show in `aggregates.json`, engagement
//! expenses in the SACEM state, unlinked contracts reported. Figures of the DSN fixture
//! (collectors/testdata/dsn/dsn_2026_03.dsn), computed by hand in the comments.

use crate::support::*;

pub(crate) fn march_scenario() -> Scenario {
    let mut s = Scenario::new();
    let dsn = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("collectors/testdata/dsn/dsn_2026_03.dsn");
    std::fs::copy(dsn, s.path("dsn_2026_03.dsn")).unwrap();
    s.extra_sources =
        "\n  [[organisation.source]]\n  kind = \"dsn\"\n  path = \"dsn_2026_03.dsn\"\n".into();
    let mut tickets = String::from(TICKETS_HEADER);
    tickets += &ticket(
        "V1",
        "V20",
        "Les Vagues",
        "2026-03-20 20:30",
        "Grande salle",
        "Plein tarif",
        "full",
        "20.00",
        "5.5",
        "valid",
    );
    tickets += &ticket(
        "V2",
        "V21",
        "Les Vagues",
        "2026-03-21 20:30",
        "Grande salle",
        "Plein tarif",
        "full",
        "20.00",
        "5.5",
        "valid",
    );
    tickets += &ticket(
        "N1",
        "N27",
        "Nuit blanche",
        "2026-03-27 22:00",
        "Club",
        "Plein tarif",
        "full",
        "12.00",
        "5.5",
        "valid",
    );
    tickets += &ticket(
        "N2",
        "N02",
        "Nuit blanche",
        "2026-04-02 22:00",
        "Club",
        "Plein tarif",
        "full",
        "12.00",
        "5.5",
        "valid",
    );
    s.write("tickets.csv", tickets);
    let header = "performance_id;show_title;starts_at;venue_name;venue_address;venue_postal_code;venue_city;venue_type;capacity;discipline;numero_objet;cancelled\n";
    let mut programme = String::from(header);
    programme += "V20;Les Vagues;2026-03-20 20:30;Grande salle;2 quai des Digues;44000;Nantes;THEATRE;400;theatre;26XZ00123442;\n";
    programme += "V21;Les Vagues;2026-03-21 20:30;Grande salle;2 quai des Digues;44000;Nantes;THEATRE;400;theatre;26XZ00123442;\n";
    // Written with a space and in lower case, as people type it.
    programme += "N27;Nuit blanche;2026-03-27 22:00;Club;2 quai des Digues;44000;Nantes;SALLE_CONCERT_AUDITORIUM_OPERA_ZENITH;120;musiques_actuelles;26xz 00987611;\n";
    programme += ";Nuit blanche;2026-03-28 22:00;Club;2 quai des Digues;44000;Nantes;SALLE_CONCERT_AUDITORIUM_OPERA_ZENITH;120;musiques_actuelles;26xz 00987611;oui\n";
    programme += "N02;Nuit blanche;2026-04-02 22:00;Club;2 quai des Digues;44000;Nantes;SALLE_CONCERT_AUDITORIUM_OPERA_ZENITH;120;musiques_actuelles;26xz 00987611;\n";
    s.write("programme.csv", programme);
    s
}

#[test]
fn a_dsn_source_adds_employment_and_sacem_engagement_expenses() {
    let s = march_scenario();
    let r = s.run_month("2026-03");
    let a = r.json("2026-03", "aggregates.json");
    let employment = a["employment"]
        .as_array()
        .unwrap_or_else(|| panic!("no employment: {a:#}"));
    assert_eq!(employment.len(), 2, "{employment:#?}");
    let vagues = employment
        .iter()
        .find(|e| e["show_title"] == "Les Vagues")
        .unwrap();
    // Claire (artist, woman: 24 h, 3 cachets, 780.00) and Paul (technician, man: 30 h, 450.00),
    // both paid for 18–21 March, which holds both performances.
    assert_eq!(vagues["artists"], 1);
    assert_eq!(vagues["technicians"], 1);
    assert_eq!(
        (vagues["women"].as_u64(), vagues["men"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(vagues["hours"], "54.00");
    assert_eq!(vagues["cachets"], "3.00");
    assert_eq!(vagues["gross_pay"], "1230.00");
    assert_eq!(vagues["estimated"], false);
    let nuit = employment
        .iter()
        .find(|e| e["show_title"] == "Nuit blanche")
        .unwrap();
    // Sofia's contract (27/03–03/04: 16 h, 2 cachets, 600.00) covers 27/03 and 02/04 (28/03
    // is cancelled): half in March → 8 h, 1 cachet, 300.00. Luc (27/03: 12 h, 1 cachet, 250.00)
    // wholly in March. Total 20 h, 2 cachets, 550.00, an estimate.
    assert_eq!(nuit["artists"], 2);
    assert_eq!(nuit["technicians"], 0);
    assert_eq!(nuit["hours"], "20.00");
    assert_eq!(nuit["cachets"], "2.00");
    assert_eq!(nuit["gross_pay"], "550.00");
    assert_eq!(nuit["estimated"], true);

    // SACEM (Nuit blanche is musiques actuelles): the engagement contracts' gross pay.
    let sacem = r.json("2026-03", "sacem.json");
    let show = sacem["shows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["show_title"] == "Nuit blanche")
        .expect("Nuit blanche in SACEM");
    let engagement = show["expenses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["contract"] == "engagement")
        .expect("engagement expenses");
    assert_eq!(engagement["excl_vat"], "550.00");

    // Paul's second contract (an unknown numéro d'objet) and Anne's (none) are reported.
    let issues = r.json("2026-03", "issues.json");
    let unlinked = issues["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"] == "employment.unlinked")
        .count();
    assert_eq!(unlinked, 2, "{issues:#}");
    // No personal data in the outputs: no social-security number of the fixture appears.
    let all = std::fs::read_dir(r.folder("2026-03"))
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect::<Vec<_>>()
        .concat();
    assert!(!String::from_utf8_lossy(&all).contains("2850375123456"));
}

#[test]
fn without_payroll_there_is_no_employment_key() {
    let s = crate::month_run::november();
    let r = s.run_month("2025-11");
    assert!(r
        .json("2025-11", "aggregates.json")
        .get("employment")
        .is_none());
}

#[test]
fn an_icalendar_programme_links_to_the_ticketing_like_a_csv_one() {
    let mut s = march_scenario();
    let ics = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("collectors/testdata/ical/saison.ics");
    std::fs::copy(ics, s.path("saison.ics")).unwrap();
    // The CSV programme is empty: the season comes from the calendar.
    s.write(
        "programme.csv",
        "show_title;starts_at;venue_name;discipline\n",
    );
    s.extra_sources =
        "\n  [[organisation.source]]\n  kind = \"programme_ical\"\n  path = \"saison.ics\"\n"
            .into();
    let r = s.run_month("2026-03");
    let a = r.json("2026-03", "aggregates.json");
    // Linked by title and start time (20/03 20:30 Paris; 21/03 19:30 UTC = 20:30 Paris).
    for id in ["tickets_csv:V20", "tickets_csv:V21"] {
        assert_eq!(performance(&a, id)["discipline"], "theatre", "{id}");
    }
    assert_eq!(performance(&a, "tickets_csv:V20")["capacity"], 400);
}
