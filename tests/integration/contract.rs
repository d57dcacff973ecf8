//! The public contract of the outputs (`formats.md` §5) checked field by field against hand
//! computations: the worked example of the rounding rule in every file that carries it, free
//! admission when this organisation is or is not the seller, an all-free performance, the SACD
//! natures, the month and quarter boundaries, the number formats of every JSON file and
//! byte-identical reruns.

use crate::support::*;
use serde_json::Value;

const ADDRESS: &str = "2 quai des Digues;44000;Nantes";

/// `count` ticket rows `<prefix>1..` of one performance.
#[allow(clippy::too_many_arguments)]
fn tickets(
    prefix: &str,
    count: usize,
    perf: &str,
    title: &str,
    starts: &str,
    kind: &str,
    price: &str,
    rate: &str,
    status: &str,
) -> String {
    let category = match kind {
        "free" => "Invitation",
        "reduced" => "Réduit",
        _ => "Plein tarif",
    };
    (1..=count)
        .map(|i| {
            ticket(
                &format!("{prefix}{i}"),
                perf,
                title,
                starts,
                "Grande salle",
                category,
                kind,
                price,
                rate,
                status,
            )
        })
        .collect()
}

fn scenario() -> Scenario {
    let s = Scenario::new();
    let mut t = String::from(TICKETS_HEADER);
    // M1, the worked example of domain.md §3: 120 × 18.00 at 5.5 %, 30 × 30.00 at 20 %,
    // 10 invitations.
    t += &tickets(
        "MA",
        120,
        "M1",
        "Mixte",
        "2025-11-14 20:30",
        "full",
        "18.00",
        "5.5",
        "valid",
    );
    t += &tickets(
        "MB",
        30,
        "M1",
        "Mixte",
        "2025-11-14 20:30",
        "reduced",
        "30.00",
        "20",
        "valid",
    );
    t += &tickets(
        "MC",
        10,
        "M1",
        "Mixte",
        "2025-11-14 20:30",
        "free",
        "0",
        "",
        "valid",
    );
    // J1 on the last evening of November, J2 half an hour after midnight on 1 December.
    t += &tickets(
        "JA",
        2,
        "J1",
        "Nuit Jazz",
        "2025-11-30 23:30",
        "full",
        "15.00",
        "5.5",
        "valid",
    );
    t += &tickets(
        "JB",
        1,
        "J2",
        "Nuit Jazz",
        "2025-12-01 00:30",
        "full",
        "15.00",
        "5.5",
        "valid",
    );
    // F1: invitations only.
    t += &tickets(
        "F",
        5,
        "F1",
        "Tout gratuit",
        "2025-11-10 20:00",
        "free",
        "0",
        "",
        "valid",
    );
    // A1: a subsidised company's show at a subsidised organiser (ASTP exemption).
    t += &tickets(
        "A",
        3,
        "A1",
        "Subventionné",
        "2025-11-05 20:00",
        "full",
        "10.00",
        "5.5",
        "valid",
    );
    // X1: cancelled, its tickets refunded.
    t += &tickets(
        "X",
        2,
        "X1",
        "Annulé",
        "2025-11-06 20:00",
        "full",
        "10.00",
        "5.5",
        "refunded",
    );
    // The same show for schools in the morning and for young audiences in the afternoon.
    t += &tickets(
        "S",
        30,
        "S1",
        "Petit",
        "2025-11-07 10:00",
        "other",
        "5.00",
        "5.5",
        "valid",
    );
    t += &tickets(
        "Y",
        4,
        "Y1",
        "Petit",
        "2025-11-07 15:00",
        "full",
        "8.00",
        "5.5",
        "valid",
    );
    t += &tickets(
        "L",
        3,
        "L1",
        "Lecture",
        "2025-11-08 19:00",
        "full",
        "7.00",
        "5.5",
        "valid",
    );
    t += &tickets(
        "P",
        3,
        "P1",
        "Pluri",
        "2025-11-09 20:00",
        "full",
        "12.00",
        "5.5",
        "valid",
    );
    // Q1: New Year's Eve 23:30 (still 2025-Q4).
    t += &tickets(
        "Q",
        2,
        "Q1",
        "Réveillon",
        "2025-12-31 23:30",
        "full",
        "40.00",
        "10",
        "valid",
    );
    s.write("tickets.csv", t);

    let header = "performance_id;show_title;starts_at;venue_name;venue_address;venue_postal_code;venue_city;venue_type;capacity;discipline;audience;producer_name;producer_siret;producer_subsidised;free_admission;cession_price_excl_vat;cancelled\n";
    let mut p = String::from(header);
    let private = "Prod Privée SAS;44306184100047;no";
    let company = "Cie Sub;43517092300286;yes";
    for (id, title, at, venue_type, discipline, audience, producer, free, cession, cancelled) in [
        (
            "M1",
            "Mixte",
            "2025-11-14 20:30",
            "THEATRE",
            "theatre",
            "",
            private,
            "",
            "",
            "",
        ),
        (
            "J1",
            "Nuit Jazz",
            "2025-11-30 23:30",
            "SALLE_CONCERT_AUDITORIUM_OPERA_ZENITH",
            "jazz",
            "",
            ";;",
            "",
            "",
            "",
        ),
        (
            "J2",
            "Nuit Jazz",
            "2025-12-01 00:30",
            "SALLE_CONCERT_AUDITORIUM_OPERA_ZENITH",
            "jazz",
            "",
            ";;",
            "",
            "",
            "",
        ),
        (
            "F1",
            "Tout gratuit",
            "2025-11-10 20:00",
            "THEATRE",
            "theatre",
            "",
            company,
            "",
            "",
            "",
        ),
        // Free admission sold by another company: that seller owes the CNM tax.
        (
            "",
            "Concert gratuit",
            "2025-11-12 18:00",
            "AUTRE",
            "chanson_variete",
            "",
            "Ondes SAS;52260418000318;no",
            "yes",
            "4200.00",
            "",
        ),
        // Free admission sold by this organisation (same SIREN): it owes the tax on the price.
        (
            "",
            "Concert maison",
            "2025-11-13 18:00",
            "AUTRE",
            "chanson_variete",
            "",
            "Théâtre des Digues;81234567600009;yes",
            "yes",
            "1000.00",
            "",
        ),
        (
            "A1",
            "Subventionné",
            "2025-11-05 20:00",
            "THEATRE",
            "theatre",
            "",
            company,
            "",
            "",
            "",
        ),
        (
            "X1",
            "Annulé",
            "2025-11-06 20:00",
            "THEATRE",
            "theatre",
            "",
            private,
            "",
            "",
            "yes",
        ),
        (
            "S1",
            "Petit",
            "2025-11-07 10:00",
            "THEATRE",
            "theatre",
            "scolaire",
            company,
            "",
            "",
            "",
        ),
        (
            "Y1",
            "Petit",
            "2025-11-07 15:00",
            "THEATRE",
            "theatre",
            "jeune_public",
            company,
            "",
            "",
            "",
        ),
        (
            "L1",
            "Lecture",
            "2025-11-08 19:00",
            "THEATRE",
            "lecture",
            "",
            company,
            "",
            "",
            "",
        ),
        (
            "P1",
            "Pluri",
            "2025-11-09 20:00",
            "ESPACE_POLYVALENT",
            "pluridisciplinaire",
            "",
            private,
            "",
            "",
            "",
        ),
        (
            "Q1",
            "Réveillon",
            "2025-12-31 23:30",
            "THEATRE",
            "humour",
            "",
            private,
            "",
            "",
            "",
        ),
    ] {
        p += &format!(
            "{id};{title};{at};Grande salle;{ADDRESS};{venue_type};400;{discipline};{audience};{producer};{free};{cession};{cancelled}\n"
        );
    }
    s.write("programme.csv", p);
    s
}

fn find<'a>(list: &'a Value, key: &str, id: &str) -> Option<&'a Value> {
    list.as_array()
        .expect("a list")
        .iter()
        .find(|x| x[key] == id)
}

fn ids(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|x| x[key].as_str().expect("an id").to_string())
        .collect()
}

#[test]
fn the_worked_example_and_the_edge_cases_match_the_contract() {
    let s = scenario();
    let r = s.run_month("2025-11");
    // P1 (pluridisciplinaire without override) is a blocking review issue.
    r.assert_status(1);

    // aggregates.json — M1: paid 120 + 30 = 150, free 10; incl. 2160.00 + 900.00 = 3060.00;
    // excl. round(2160.00 / 1.055) = 2047.39 + round(900.00 / 1.20) = 750.00 = 2797.39.
    let a = r.json("2025-11", "aggregates.json");
    let m1 = performance(&a, "tickets_csv:M1");
    assert_eq!(m1["starts_at"], "2025-11-14T20:30:00+01:00");
    assert_eq!(m1["date"], "2025-11-14");
    assert_eq!(
        (m1["paid_tickets"].as_u64(), m1["free_tickets"].as_u64()),
        (Some(150), Some(10))
    );
    assert_eq!(m1["receipts_incl_vat"], "3060.00");
    assert_eq!(m1["receipts_excl_vat"], "2797.39");
    assert_eq!(m1["vat"][0]["rate"], "5.5");
    assert_eq!(m1["vat"][0]["receipts_excl_vat"], "2047.39");
    assert_eq!(m1["vat"][1]["rate"], "20");
    assert_eq!(m1["vat"][1]["receipts_excl_vat"], "750.00");
    // J1 at 23:30 on 30 November is November's; J2 (00:30 on 1 December) is not.
    assert_eq!(performance(&a, "tickets_csv:J1")["date"], "2025-11-30");
    assert!(find(&a["performances"], "performance_id", "tickets_csv:J2").is_none());
    // Sorted by start time, then id: S1 (10:00) before Y1 (15:00) on the 7th.
    let order = ids(&a["performances"], "performance_id");
    let pos = |id: &str| order.iter().position(|x| x == id).unwrap();
    assert!(pos("tickets_csv:A1") < pos("tickets_csv:S1"));
    assert!(pos("tickets_csv:S1") < pos("tickets_csv:Y1"));
    assert!(pos("tickets_csv:Y1") < pos("tickets_csv:L1"));

    // astp.json — M1 from a private unsubsidised producer: taxed although the organiser is
    // subsidised; tax round(2797.39 × 3.5 %) = round(97.90865) = 97.91. A1 exempted, X1
    // cancelled; deadline: last day of the 3rd month after November.
    let astp = r.json("2025-11", "astp.json");
    assert_eq!(astp["deadline"], "2026-02-28");
    let l = line(&astp, "lines", "tickets_csv:M1").expect("M1 taxed");
    assert_eq!(l["base_kind"], "receipts");
    assert_eq!(l["tax_base"], "2797.39");
    assert_eq!(l["tax_rate"], "3.5");
    assert_eq!(l["tax_due"], "97.91");
    assert!(line(&astp, "not_taxable", "tickets_csv:A1").is_some());
    assert!(line(&astp, "not_taxable", "tickets_csv:X1").is_some());
    assert!(line(&astp, "lines", "tickets_csv:P1").is_none());
    assert!(line(&astp, "not_taxable", "tickets_csv:P1").is_none());

    // cnm.json — J1: round(30.00 / 1.055) = 28.44, tax round(0.9954) = 1.00. Concert maison:
    // free admission sold by us, base the cession price 1000.00, tax 35.00. Concert gratuit:
    // owed by its seller. Totals: 1028.44, 36.00.
    let cnm = r.json("2025-11", "cnm.json");
    let j1 = line(&cnm, "lines", "tickets_csv:J1").expect("J1 taxed");
    assert_eq!(
        (j1["tax_base"].as_str(), j1["tax_due"].as_str()),
        (Some("28.44"), Some("1.00"))
    );
    let own = line(&cnm, "lines", "programme_csv:concert-maison-20251113T1800")
        .expect("own free show taxed on its price");
    assert_eq!(own["base_kind"], "cession_price");
    assert_eq!(own["tax_base"], "1000.00");
    assert_eq!(own["tax_due"], "35.00");
    let theirs = line(
        &cnm,
        "not_taxable",
        "programme_csv:concert-gratuit-20251112T1800",
    )
    .expect("seller's free show listed");
    assert!(theirs["reason"].as_str().unwrap().contains("Ondes SAS"));
    assert_eq!(cnm["totals"]["performances"], 2);
    assert_eq!(cnm["totals"]["tax_base"], "1028.44");
    assert_eq!(cnm["totals"]["tax_due"], "36.00");

    // sibil.json — M1: 160 tickets, average round(3060.00 / 150) = 20.40. F1: 5 free
    // tickets, average "0.00". Programme-only free shows issued no ticket: not declared.
    let sibil = r.json("2025-11", "sibil.json");
    assert_eq!(
        (sibil["quarter"].as_str(), sibil["deadline"].as_str()),
        (Some("2025-Q4"), Some("2026-01-09"))
    );
    let decl = &sibil["declarations"];
    let m1 = find(decl, "performance_id", "tickets_csv:M1").expect("M1 declared");
    assert_eq!(m1["nbBilletsTotalBilletterie"], 160);
    assert_eq!(m1["recetteTotalBilletterie"], "3060.00");
    assert_eq!(m1["prixMoyenTotalBilletterie"], "20.40");
    assert_eq!(m1["nbBilletsTarifPlein"], 120);
    assert_eq!(m1["recetteTarifPlein"], "2160.00");
    assert_eq!(m1["prixMoyenTarifPlein"], "18.00");
    assert_eq!(m1["nbBilletsExoneres"], 10);
    assert_eq!(m1["lieuChamps"]["typeLieu"], "THEATRE");
    assert_eq!(m1["spectacleChamps"]["critere1"], "Mixte");
    assert_eq!(m1["statutDeclaration"], "ENREGISTRE");
    let f1 = find(decl, "performance_id", "tickets_csv:F1").expect("F1 declared");
    assert_eq!(f1["nbBilletsTotalBilletterie"], 5);
    assert_eq!(f1["recetteTotalBilletterie"], "0.00");
    assert_eq!(f1["prixMoyenTotalBilletterie"], "0.00");
    for young in ["tickets_csv:S1", "tickets_csv:Y1"] {
        assert_eq!(
            find(decl, "performance_id", young).unwrap()["jeunePublic"],
            true
        );
    }
    let j1 = find(decl, "performance_id", "tickets_csv:J1").unwrap();
    assert_eq!(
        j1["dateHeureRepresentationUnique"],
        "2025-11-30T23:30:00+01:00"
    );
    assert!(find(decl, "critere1", "Concert gratuit").is_none());
    assert!(decl
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["spectacleChamps"]["critere1"] != "Concert gratuit"
            && d["spectacleChamps"]["critere1"] != "Concert maison"));

    // sacd.json — natures S, JP, L, TP; deadline 30 days after each date; M1 VAT
    // 3060.00 − 2797.39 = 262.61. P1 (review) and X1 (cancelled) are not lines.
    let sacd = r.json("2025-11", "sacd.json");
    let lines = &sacd["lines"];
    for (id, nature, deadline) in [
        ("tickets_csv:S1", "S", "2025-12-07"),
        ("tickets_csv:Y1", "JP", "2025-12-07"),
        ("tickets_csv:L1", "L", "2025-12-08"),
        ("tickets_csv:M1", "TP", "2025-12-14"),
    ] {
        let l = find(lines, "performance_id", id).unwrap_or_else(|| panic!("{id}: {sacd:#}"));
        assert_eq!(
            (l["nature"].as_str(), l["deadline"].as_str()),
            (Some(nature), Some(deadline)),
            "{id}"
        );
    }
    let m1 = find(lines, "performance_id", "tickets_csv:M1").unwrap();
    assert_eq!(m1["time"], "20:30");
    assert_eq!(m1["receipts_incl_vat"], "3060.00");
    assert_eq!(m1["receipts_excl_vat"], "2797.39");
    assert_eq!(m1["vat_amount"], "262.61");
    assert_eq!(
        (m1["paid_tickets"].as_u64(), m1["exempted_tickets"].as_u64()),
        (Some(150), Some(10))
    );
    assert!(find(lines, "performance_id", "tickets_csv:P1").is_none());
    assert!(find(lines, "performance_id", "tickets_csv:X1").is_none());
    let order = ids(lines, "performance_id");
    assert_eq!(
        order,
        [
            "tickets_csv:A1",
            "tickets_csv:S1",
            "tickets_csv:Y1",
            "tickets_csv:L1",
            "tickets_csv:F1",
            "tickets_csv:M1"
        ]
    );

    // sacem.json — Nuit Jazz: 28.44 + 1.56 = 30.00 at 5.5 %; due the last day of December.
    let sacem = r.json("2025-11", "sacem.json");
    let jazz = find(&sacem["shows"], "show_title", "Nuit Jazz").expect("jazz in SACEM");
    assert_eq!(jazz["deadline"], "2025-12-31");
    assert_eq!(
        jazz["receipts"][0],
        serde_json::json!({"origin": "entrees", "vat_rate": "5.5", "excl_vat": "28.44", "vat": "1.56", "incl_vat": "30.00"})
    );
    assert!(find(&sacem["shows"], "show_title", "Pluri").is_none());

    // December: J2 (00:30 on the 1st) and Q1 (23:30 on the 31st) both belong to it, in Q4.
    let dec = s.run_month("2025-12");
    let sibil = dec.json("2025-12", "sibil.json");
    assert_eq!(
        (sibil["quarter"].as_str(), sibil["deadline"].as_str()),
        (Some("2025-Q4"), Some("2026-01-09"))
    );
    assert_eq!(
        ids(&sibil["declarations"], "dateHeureRepresentationUnique"),
        ["2025-12-01T00:30:00+01:00", "2025-12-31T23:30:00+01:00"]
    );
    // Q1: round(80.00 / 1.10) = 72.73, tax round(2.54555) = 2.55; J2: 14.22 → 0.50.
    let cnm = dec.json("2025-12", "cnm.json");
    assert_eq!(cnm["deadline"], "2026-03-31");
    assert_eq!(
        line(&cnm, "lines", "tickets_csv:Q1").unwrap()["tax_due"],
        "2.55"
    );
    assert_eq!(
        line(&cnm, "lines", "tickets_csv:J2").unwrap()["tax_due"],
        "0.50"
    );
    assert_eq!(cnm["totals"]["tax_due"], "3.05");
}

/// Keys whose values are amounts of money in the JSON outputs.
const MONEY: &[&str] = &[
    "receipts_incl_vat",
    "receipts_excl_vat",
    "tax_base",
    "tax_due",
    "recetteTotalBilletterie",
    "prixMoyenTotalBilletterie",
    "recetteTarifPlein",
    "prixMoyenTarifPlein",
    "excl_vat",
    "vat_amount",
    "incl_vat",
    "average_price",
    "cession_price_excl_vat",
    "frais_approche_excl_vat",
    "coproduction_contribution_excl_vat",
    "guarantee_excl_vat",
    "collection_threshold",
    "base",
    "amount",
];
/// Keys whose values are percent rates.
const RATES: &[&str] = &["rate", "vat_rate", "tax_rate"];

fn check_formats(value: &Value, key: &str, file: &str, errors: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                check_formats(v, k, file, errors);
            }
        }
        Value::Array(items) => {
            for v in items {
                check_formats(v, key, file, errors);
            }
        }
        Value::Null => {}
        v if MONEY.contains(&key) || (key == "vat" && !v.is_array()) => {
            let ok = v.as_str().is_some_and(|s| {
                let (units, cents) = s.split_once('.').unwrap_or((s, ""));
                !units.is_empty()
                    && units.chars().all(|c| c.is_ascii_digit())
                    && cents.len() == 2
                    && cents.chars().all(|c| c.is_ascii_digit())
            });
            if !ok {
                errors.push(format!("{file}: {key} = {v} is not a two-decimal string"));
            }
        }
        v if RATES.contains(&key) => {
            let ok = v.as_str().is_some_and(|s| {
                s.parse::<f64>().is_ok()
                    && !s.ends_with('.')
                    && !(s.contains('.') && s.ends_with('0'))
            });
            if !ok {
                errors.push(format!("{file}: {key} = {v} is not a percent string"));
            }
        }
        _ => {}
    }
}

#[test]
fn every_json_file_has_the_header_and_the_number_formats_and_reruns_are_identical() {
    let s = scenario();
    let first = s.run_month("2025-11");
    let folder = first.folder("2025-11");
    let mut errors = Vec::new();
    let mut snapshot = Vec::new();
    for name in files_in(&folder) {
        let bytes = std::fs::read(folder.join(&name)).unwrap();
        if name.ends_with(".json") {
            let doc: Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(doc["schema_version"], 1, "{name}");
            assert_eq!(doc["organisation"], "theatre-des-digues", "{name}");
            assert_eq!(doc["month"], "2025-11", "{name}");
            check_formats(&doc, "", &name, &mut errors);
        }
        snapshot.push((name, bytes));
    }
    assert!(errors.is_empty(), "{errors:#?}");
    // Same inputs and --generated-at: byte-identical files, PDFs included.
    let second = s.run_month("2025-11");
    for (name, bytes) in snapshot {
        assert!(
            second.bytes("2025-11", &name) == bytes,
            "{name} differs between two runs"
        );
    }
}
