use super::*;
use chrono::{DateTime, Utc};
use releve_domain::employment::Sex;
use releve_domain::{
    Audience, ContractType, Discipline, Fraction, Money, Producer, ProgrammeEntry,
};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name)
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn entries(name: &str) -> Vec<ProgrammeEntry> {
    read("programme_csv", &fixture(name))
        .unwrap()
        .map(|r| match r {
            Record::Programme(p) => p,
            other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn every_optional_column_is_read() {
    let rows = entries("programme_full.csv");
    assert_eq!(rows.len(), 4);
    let p = &rows[0];
    assert_eq!(p.source, "programme_csv");
    assert_eq!(p.line, 2);
    assert_eq!(p.performance_id.as_deref(), Some("P-2025-11-14"));
    assert_eq!(p.show_title, "Les Vagues");
    // 20:30 Paris in November (UTC+1) is 19:30 UTC.
    assert_eq!(p.starts_at, utc("2025-11-14T19:30:00Z"));
    assert_eq!(p.venue.name, "Grande salle");
    assert_eq!(p.venue.postal_code.as_deref(), Some("44000"));
    assert_eq!(p.venue.city.as_deref(), Some("Nantes"));
    assert_eq!(p.venue.address.as_deref(), Some("2 quai des Digues"));
    assert_eq!(p.venue.venue_type.as_deref(), Some("THEATRE"));
    assert_eq!(p.capacity, Some(400));
    assert_eq!(p.discipline, Discipline::Theatre);
    assert_eq!(p.audience, Audience::ToutPublic);
    assert_eq!(
        p.producer,
        Some(Producer {
            name: "Compagnie du Large".into(),
            siret: Some("81234567600009".into()),
            subsidised: Some(true),
            address: None,
        })
    );
    assert!(!p.free_admission);
    // "4 500,50": thousands space and decimal comma.
    assert_eq!(p.cession_price_excl_vat, Some(Money::from_cents(450050)));
    assert_eq!((p.sacem, p.sacd), (Some(true), Some(false)));
    assert!(p.creation);
    assert_eq!(p.numero_objet, ["OBJ-1", "OBJ-2", "OBJ-3"]);
    assert!(!p.cancelled);
    assert_eq!(p.tax_fraction, Some(Fraction::Astp));
    assert!(!p.educational_session);
    assert!(!p.amateur_unpaid);
    assert_eq!(p.contract_type, Some(ContractType::Cession));
    assert_eq!(p.frais_approche_excl_vat, Some(Money::from_cents(35000)));
    assert_eq!(
        p.coproduction_contribution_excl_vat,
        Some(Money::from_cents(100000))
    );
    assert_eq!(p.guarantee_excl_vat, Some(Money::from_cents(25050)));
    assert!(!p.off_site);
    assert_eq!(p.director_sex, Some(Sex::Female));
    assert_eq!((p.artists_total, p.artists_women), (Some(5), Some(3)));
}

#[test]
fn a_row_with_only_required_columns_gets_defaults() {
    let rows = entries("programme_full.csv");
    let p = &rows[1];
    assert_eq!(p.line, 3);
    assert_eq!(p.performance_id, None);
    // 23:30 at +01:00 on 31 December is 22:30 UTC.
    assert_eq!(p.starts_at, utc("2025-12-31T22:30:00Z"));
    assert_eq!(p.discipline, Discipline::MusiquesActuelles);
    assert_eq!(p.audience, Audience::ToutPublic);
    assert_eq!(p.venue.venue_type, None);
    assert_eq!(p.capacity, None);
    assert_eq!(p.producer, None);
    assert!(!p.free_admission && !p.creation && !p.cancelled && !p.off_site);
    assert!(!p.educational_session && !p.amateur_unpaid);
    assert_eq!((p.sacem, p.sacd, p.tax_fraction), (None, None, None));
    assert!(p.numero_objet.is_empty());
    assert_eq!(p.cession_price_excl_vat, None);
    assert_eq!(p.contract_type, None);
    assert_eq!(p.director_sex, None);
    assert_eq!((p.artists_total, p.artists_women), (None, None));
}

#[test]
fn yes_no_and_controlled_value_variants() {
    let rows = entries("programme_full.csv");
    let p = &rows[2];
    assert_eq!(p.line, 4);
    // French spreadsheet date, 10:00 Paris in January (UTC+1).
    assert_eq!(p.starts_at, utc("2026-01-15T09:00:00Z"));
    assert_eq!(p.venue.venue_type.as_deref(), Some("ESPACE_POLYVALENT"));
    assert_eq!(p.capacity, Some(1200));
    assert_eq!(p.discipline, Discipline::Conte);
    assert_eq!(p.audience, Audience::JeunePublic);
    assert_eq!(
        p.producer,
        Some(Producer {
            name: "Cie Lune".into(),
            siret: None,
            subsidised: None,
            address: None,
        })
    );
    assert!(p.free_admission); // TRUE
    assert_eq!((p.sacem, p.sacd), (Some(false), Some(true))); // 0, 1
    assert!(!p.creation); // false
    assert!(!p.cancelled); // FALSE
    assert_eq!(p.tax_fraction, Some(Fraction::None));
    assert!(p.educational_session); // YES
    assert!(p.amateur_unpaid); // 1
    assert_eq!(p.contract_type, Some(ContractType::Corealisation));
    assert!(p.off_site);
    assert_eq!(p.director_sex, Some(Sex::Male)); // homme
    assert_eq!((p.artists_total, p.artists_women), (Some(2), Some(0)));

    let p = &rows[3];
    assert_eq!(p.discipline, Discipline::ChansonVariete); // "chanson-variété"
    assert_eq!(p.audience, Audience::Scolaire);
    assert!(p.cancelled); // vrai
    assert_eq!(p.tax_fraction, Some(Fraction::Cnm)); // CNM
    assert_eq!(p.contract_type, Some(ContractType::Autre));
    assert_eq!(p.director_sex, Some(Sex::Female)); // femme
    assert_eq!(p.sacem, None);
}

#[test]
fn every_bad_row_is_quarantined_with_its_line_and_reason() {
    let records: Vec<Record> = read("programme_csv", &fixture("programme_quarantine.csv"))
        .unwrap()
        .collect();
    let expected: [(u64, &str, &str); 14] = [
        (2, "discipline", "discipline inconnue « zumba » ; valeurs admises : theatre, conte,"),
        (3, "capacity", "jauge de 0 place"),
        (4, "producer_name", "producteur manquant alors que producer_subsidised est renseigné"),
        (5, "producer_siret", "SIRET ou SIREN invalide « 123 »"),
        (6, "producer_subsidised", "valeur « peut-être » non reconnue ; attendu : yes ou no"),
        (7, "tax_fraction", "fraction de taxe inconnue « review »"),
        (8, "contract_type", "type de contrat inconnu « location »"),
        (9, "director_sex", "valeur « x » non reconnue ; attendu : f (femme) ou m (homme)"),
        (10, "artists_women", "3 artistes femmes pour 2 artistes au total"),
        (11, "cession_price_excl_vat", "montant illisible : « 1.234,5 »"),
        (12, "venue_type", "type de lieu inconnu « salle des fêtes » ; valeurs admises (types de lieu SIBIL) : THEATRE,"),
        (13, "audience", "public inconnu « adultes »"),
        (14, "venue_name", "valeur manquante"),
        (15, "starts_at", "n'existe pas à Paris"),
    ];
    assert_eq!(records.len(), expected.len() + 1, "{records:#?}");
    for (record, (line, column, reason)) in records.iter().zip(expected) {
        let Record::Quarantined(q) = record else {
            panic!("line {line}: {record:?}")
        };
        assert_eq!(q.line, Some(line), "{q:?}");
        assert_eq!(q.column.as_deref(), Some(column), "{q:?}");
        assert!(q.reason.contains(reason), "line {line}: {}", q.reason);
        assert_eq!(q.source, "programme_csv");
    }
    let Record::Quarantined(first) = &records[0] else {
        unreachable!()
    };
    assert_eq!(
        first.raw,
        "Zumba party,2025-11-20 19:00,Gymnase,zumba,,,,,,,,,,,,"
    );
    // The blank line 16 is skipped; the good row is line 17.
    let Record::Programme(good) = &records[14] else {
        panic!("{:?}", records[14])
    };
    assert_eq!(good.line, 17);
    assert_eq!(good.discipline, Discipline::Theatre);
}

#[test]
fn missing_required_columns_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("programme.csv");
    std::fs::write(&path, "Show_Title;Venue_Name;notes\nA;B;C\n").unwrap();
    let err = read("programme_csv", &path).err().unwrap();
    let text = err.to_string();
    assert!(matches!(err, CollectorError::Header { .. }));
    assert!(text.contains("programme.csv"), "{text}");
    assert!(
        text.contains("colonnes obligatoires absentes : starts_at, discipline"),
        "{text}"
    );
}

#[test]
fn progress_reaches_the_file_size() {
    let path = fixture("programme_full.csv");
    let mut reader = read("programme_csv", &path).unwrap();
    assert_eq!(reader.by_ref().count(), 4);
    let size = std::fs::metadata(&path).unwrap().len();
    assert_eq!(reader.progress(), (size, size));
}

#[test]
fn a_producer_given_by_siret_only_is_read_with_an_empty_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("programme.csv");
    std::fs::write(
        &path,
        "show_title,starts_at,venue_name,discipline,producer_siret,producer_subsidised\n\
         Les Vagues,2025-11-22 20:30,Grande salle,theatre,912 345 618,\n",
    )
    .unwrap();
    let rows: Vec<Record> = read("programme_csv", &path).unwrap().collect();
    let [Record::Programme(p)] = rows.as_slice() else {
        panic!("{rows:?}")
    };
    assert_eq!(
        p.producer,
        Some(Producer {
            name: String::new(),
            siret: Some("912345618".into()),
            subsidised: None,
            address: None,
        })
    );
}

fn from_text(name: &str, text: &str) -> Vec<Record> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    read("programme_csv", &path).unwrap().collect()
}

#[test]
fn the_columns_for_the_forms_are_read() {
    let records = from_text(
        "forms.csv",
        "show_title;starts_at;venue_name;discipline;astp_member_theatre;bar_incl_vat;bar_vat_rate;\
         programmes_incl_vat;programmes_vat_rate;public_domain;works;duration_minutes;sacd_dossier;amateur;\
         producer_name;producer_address\n\
         Les Vagues;2025-11-14 20:30;Grande salle;humour;yes;600,00;20;52,75;5,5;yes;\
         Les Vagues — V. Woolf|Orlando — V. Woolf;95;456789;yes;Cie du Vent;3 rue du Port, 44000 Nantes\n",
    );
    let Record::Programme(p) = &records[0] else {
        panic!("{records:?}")
    };
    assert_eq!(p.astp_member_theatre, Some(true));
    let other: Vec<(String, String)> = p
        .other_receipts
        .iter()
        .map(|r| (r.incl_vat.to_string(), r.vat_rate.to_string()))
        .collect();
    assert_eq!(
        other,
        [
            ("600.00".to_string(), "20".to_string()),
            ("52.75".to_string(), "5.5".to_string())
        ]
    );
    assert!(p.public_domain && p.amateur);
    assert_eq!(p.works, ["Les Vagues — V. Woolf", "Orlando — V. Woolf"]);
    assert_eq!(p.duration_minutes, Some(95));
    assert_eq!(p.sacd_dossier.as_deref(), Some("456789"));
    assert_eq!(
        p.producer.as_ref().unwrap().address.as_deref(),
        Some("3 rue du Port, 44000 Nantes")
    );
}

#[test]
fn a_bar_amount_without_its_vat_rate_is_quarantined() {
    let records = from_text(
        "bar.csv",
        "show_title;starts_at;venue_name;discipline;bar_incl_vat\n\
         Les Vagues;2025-11-14 20:30;Grande salle;jazz;600,00\n",
    );
    let Record::Quarantined(q) = &records[0] else {
        panic!("{records:?}")
    };
    assert_eq!(q.column.as_deref(), Some("bar_vat_rate"));
    assert!(q.reason.contains("taux de TVA manquant"), "{}", q.reason);
}
