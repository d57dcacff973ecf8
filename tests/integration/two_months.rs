//! A show playing across two months: each month declares only its own dates (SACEM, SACD,
//! SIBIL), and a late-night performance on 31 December stays in the fourth quarter.

use crate::support::*;

fn scenario() -> Scenario {
    let s = Scenario::new();
    let mut t = String::from(TICKETS_HEADER);
    t += &ticket(
        "H1",
        "H28",
        "Les Heures",
        "2025-11-28 20:00",
        "Grande salle",
        "Plein tarif",
        "full",
        "20.00",
        "5.5",
        "valid",
    );
    t += &ticket(
        "H2",
        "H28",
        "Les Heures",
        "2025-11-28 20:00",
        "Grande salle",
        "Plein tarif",
        "full",
        "20.00",
        "5.5",
        "valid",
    );
    for i in 3..=5 {
        t += &ticket(
            &format!("H{i}"),
            "H02",
            "Les Heures",
            "2025-12-02 20:00",
            "Grande salle",
            "Plein tarif",
            "full",
            "20.00",
            "5.5",
            "valid",
        );
    }
    t += &ticket(
        "C1",
        "C29",
        "Chansons",
        "2025-11-29 20:00",
        "Grande salle",
        "Plein tarif",
        "full",
        "25.00",
        "5.5",
        "valid",
    );
    t += &ticket(
        "C2",
        "C01",
        "Chansons",
        "2025-12-01 20:00",
        "Grande salle",
        "Plein tarif",
        "full",
        "25.00",
        "5.5",
        "valid",
    );
    t += &ticket(
        "C3",
        "C01",
        "Chansons",
        "2025-12-01 20:00",
        "Grande salle",
        "Invitation",
        "free",
        "0",
        "",
        "valid",
    );
    t += &ticket(
        "R1",
        "R31",
        "Réveillon",
        "2025-12-31 23:30",
        "Grande salle",
        "Plein tarif",
        "full",
        "40.00",
        "5.5",
        "valid",
    );
    s.write("tickets.csv", t);
    let header = "performance_id;show_title;starts_at;venue_name;venue_address;venue_postal_code;venue_city;venue_type;capacity;discipline;sacem\n";
    let mut p = String::from(header);
    for (id, title, at, discipline) in [
        ("H28", "Les Heures", "2025-11-28 20:00", "theatre"),
        ("H02", "Les Heures", "2025-12-02 20:00", "theatre"),
        ("C29", "Chansons", "2025-11-29 20:00", "chanson_variete"),
        ("C01", "Chansons", "2025-12-01 20:00", "chanson_variete"),
        ("R31", "Réveillon", "2025-12-31 23:30", "humour"),
    ] {
        // Theatre and humour are a SACEM question unless the programme says: these use no music.
        let sacem = if matches!(discipline, "theatre" | "humour") {
            "no"
        } else {
            ""
        };
        p += &format!("{id};{title};{at};Grande salle;2 quai des Digues;44000;Nantes;THEATRE;400;{discipline};{sacem}\n");
    }
    s.write("programme.csv", p);
    s
}

fn ids(list: &serde_json::Value, key: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|x| x[key].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn each_month_declares_only_its_own_dates() {
    let s = scenario();
    let nov = s.run_month("2025-11");
    nov.assert_status(0);
    let dec = s.run_month("2025-12");
    dec.assert_status(0);

    // SACD: one line per performance of the month.
    assert_eq!(
        ids(&nov.json("2025-11", "sacd.json")["lines"], "performance_id"),
        ["tickets_csv:H28"]
    );
    assert_eq!(
        ids(&dec.json("2025-12", "sacd.json")["lines"], "performance_id"),
        ["tickets_csv:H02", "tickets_csv:R31"]
    );

    // SACEM: the show's state of each month covers that month's dates only.
    let sacem_nov = nov.json("2025-11", "sacem.json");
    let show = &sacem_nov["shows"][0];
    assert_eq!(show["show_title"], "Chansons");
    assert_eq!(
        (show["first_date"].as_str(), show["last_date"].as_str()),
        (Some("2025-11-29"), Some("2025-11-29"))
    );
    assert_eq!(show["performances"], 1);
    assert_eq!(show["paid_tickets"], 1);
    // Deadline: last day of the month after the last performance of the month.
    assert_eq!(show["deadline"], "2025-12-31");
    let sacem_dec = dec.json("2025-12", "sacem.json");
    let show = &sacem_dec["shows"][0];
    assert_eq!(
        (show["first_date"].as_str(), show["last_date"].as_str()),
        (Some("2025-12-01"), Some("2025-12-01"))
    );
    assert_eq!(
        (show["paid_tickets"].as_u64(), show["free_tickets"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(show["deadline"], "2026-01-31");

    // SIBIL: November's declarations, then December's; 31/12 23:30 stays in 2025-Q4.
    let sibil_nov = nov.json("2025-11", "sibil.json");
    assert_eq!(sibil_nov["declarations"].as_array().unwrap().len(), 2);
    let sibil_dec = dec.json("2025-12", "sibil.json");
    assert_eq!(sibil_dec["quarter"], "2025-Q4");
    assert_eq!(sibil_dec["deadline"], "2026-01-09");
    let late = sibil_dec["declarations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["dateHeureRepresentationUnique"] == "2025-12-31T23:30:00+01:00");
    assert!(late.is_some(), "{sibil_dec:#}");
    assert_eq!(late.unwrap()["recetteTotalBilletterie"], "40.00");
}

#[test]
fn the_sacem_delegation_table_can_be_replaced_in_the_configuration() {
    let mut s = scenario();
    s.write(
        "delegations.csv",
        "department;agency;city;email\n44;Bureau de test;Nantes;test@example.org\n",
    );
    s.extra_root_keys = "sacem_agencies_file = \"delegations.csv\"\n".into();
    let r = s.run_month("2025-11");
    let sacem = r.json("2025-11", "sacem.json");
    assert_eq!(
        sacem["agency"]["name"], "Bureau de test",
        "{:#}",
        sacem["agency"]
    );
}
