use super::*;
use releve_domain::employment::{Role, Sex};
use releve_domain::Money;
use rust_decimal_macros::dec;

const SALT: &str = "sel-de-test";

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/dsn")
}

fn options() -> DsnOptions {
    DsnOptions::new(SALT)
}

fn march() -> DsnFile {
    let bytes = std::fs::read(dir().join("dsn_2026_03.dsn")).unwrap();
    parse("dsn", &bytes, &options()).unwrap()
}

fn find<'a>(file: &'a [Engagement], contract: &str) -> &'a Engagement {
    file.iter().find(|e| e.contract_id == contract).unwrap()
}

#[test]
fn reads_every_contract_and_pay_period() {
    let f = march();
    assert_eq!(f.kind, DeclarationKind::Normale);
    assert_eq!(f.month, Month::new(2026, 3).unwrap());
    assert_eq!(f.employer_sirets, ["81234567600009"]);
    // Claire (1 contract), Paul (2), Sofia (1), Luc (1), Anne (1).
    assert_eq!(f.engagements.len(), 6);

    let claire = find(&f.engagements, "C2026031801");
    assert_eq!(claire.source, "dsn");
    assert_eq!(claire.employer_siret, "81234567600009");
    assert_eq!(claire.person_key, pseudonym_key(SALT, "2850375123456"));
    assert_eq!(claire.sex, Some(Sex::Female));
    assert_eq!(claire.role, Role::Artist);
    assert!(claire.intermittent);
    assert_eq!(claire.numero_objet.as_deref(), Some("26XZ00123442"));
    assert_eq!(claire.pcs_ese.as_deref(), Some("354c"));
    assert_eq!(claire.contract_nature.as_deref(), Some("02"));
    assert_eq!(
        (
            claire.period_start.to_string(),
            claire.period_end.to_string()
        ),
        ("2026-03-18".into(), "2026-03-21".into())
    );
    // Type 001 only (the 002 line repeats the same amount and must not be added).
    assert_eq!(claire.gross_pay, Money::from_cents(78000));
    assert_eq!(claire.hours, dec!(24.00));
    // Unit 37 counts (3 cachets); unit 12 (4 days) does not.
    assert_eq!(claire.cachets, Some(dec!(3.00)));
    assert_eq!(claire.conges_spectacles, Some(Money::from_cents(11700)));

    let paul = find(&f.engagements, "T2026031901");
    assert_eq!(paul.sex, Some(Sex::Male));
    assert_eq!(paul.role, Role::Technician);
    assert_eq!(paul.hours, dec!(30.00));
    // Unit 35 (hours) is not a cachet unit.
    assert_eq!(paul.cachets, None);
    assert_eq!(paul.conges_spectacles, None);
    let paul2 = find(&f.engagements, "T2026031002");
    assert_eq!(paul2.person_key, paul.person_key);
    assert_eq!(paul2.gross_pay, Money::from_cents(12000));

    let sofia = find(&f.engagements, "C2026032701");
    // No NIR: the NTT is hashed.
    assert_eq!(sofia.person_key, pseudonym_key(SALT, "NTT0000000123"));
    assert_eq!(sofia.period_end.to_string(), "2026-04-03");
    assert_eq!(sofia.cachets, Some(dec!(2.00)));
    assert_eq!(sofia.conges_spectacles, Some(Money::from_cents(9000)));

    let anne = find(&f.engagements, "A2020090101");
    assert_eq!(anne.role, Role::Other);
    assert!(!anne.intermittent);
    assert_eq!(anne.numero_objet, None);
    assert_eq!(anne.hours, dec!(151.67));
}

#[test]
fn person_keys_are_salted_hashes_never_the_number() {
    let f = march();
    for e in &f.engagements {
        assert_eq!(e.person_key.len(), 64);
        assert!(!e.person_key.contains("2850375123456"));
    }
    assert_ne!(
        pseudonym_key("a", "2850375123456"),
        pseudonym_key("b", "2850375123456")
    );
    assert_eq!(
        pseudonym_key("a", "2 85 03 75 123 456"),
        pseudonym_key("a", "2850375123456")
    );
    // Salt "sel" + number "1234abc" upper-cased: sha256("sel1234ABC"), computed with
    // Python's hashlib.
    assert_eq!(
        pseudonym_key("sel", "1234abc"),
        "f6b2784dd024614328f186a2f0ceb866fa36357ff8bd9c5b33776d8fdae866dc"
    );
}

#[test]
fn intermittent_detection_and_roles_follow_the_options() {
    let mut o = options();
    o.cddu_motifs.clear();
    o.conges_spectacles_caisse_codes.clear();
    let bytes = std::fs::read(dir().join("dsn_2026_03.dsn")).unwrap();
    let f = parse("dsn", &bytes, &o).unwrap();
    // Without motif and caisse codes, only the 066 contributions (Claire, Sofia) remain.
    let inter: Vec<&str> = f
        .engagements
        .iter()
        .filter(|e| e.intermittent)
        .map(|e| e.contract_id.as_str())
        .collect();
    assert_eq!(inter, ["C2026031801", "C2026032701"]);
    assert_eq!(engagements::role(Some("637C"), &o), Role::Technician);
    assert_eq!(engagements::role(Some("354g"), &o), Role::Artist);
    assert_eq!(engagements::role(None, &o), Role::Other);
}

#[test]
fn annule_et_remplace_replaces_the_month_idempotently() {
    let import = read_path("dsn", &dir(), &options()).unwrap();
    // Two good files (normal + replacement), one refused.
    assert_eq!(import.files.len(), 2);
    assert_eq!(import.failures.len(), 1);
    let ar = import
        .files
        .iter()
        .find(|f| f.kind == DeclarationKind::AnnuleEtRemplace)
        .unwrap();
    assert_eq!(ar.declared_on.unwrap().to_string(), "2026-04-12");
    let batches = merge(&import.files);
    assert_eq!(batches.len(), 1);
    let b = &batches[0];
    assert_eq!(b.employer_siret, "81234567600009");
    assert_eq!(b.engagements.len(), 6);
    // Luc: 250.00 in the original, 280.00 in the replacement.
    assert_eq!(
        find(&b.engagements, "C2026032702").gross_pay,
        Money::from_cents(28000)
    );
    // Same result whatever the order and however many times the files are given.
    let mut twice: Vec<DsnFile> = import.files.iter().rev().cloned().collect();
    twice.extend(import.files.iter().cloned());
    assert_eq!(merge(&twice), batches);
    // An "annule" file empties the key.
    let mut cancel = ar.clone();
    cancel.kind = DeclarationKind::Annule;
    cancel.declared_on = chrono::NaiveDate::from_ymd_opt(2026, 4, 20);
    cancel.engagements.clear();
    let mut files = import.files.clone();
    files.push(cancel);
    assert!(merge(&files)[0].engagements.is_empty());
}

#[test]
fn a_malformed_file_is_refused_whole_with_its_line() {
    let path = dir().join("dsn_2026_02_malformed.dsn");
    let import = read_path("dsn", &path, &options()).unwrap();
    assert!(import.files.is_empty());
    let err = &import.failures[0];
    assert_eq!(err.line, Some(96));
    assert_eq!(err.rubric.as_deref(), Some("S21.G00.51.013"));
    let text = err.to_string();
    assert!(text.contains("dsn_2026_02_malformed.dsn"), "{text}");
    assert!(text.contains("ligne 96 (S21.G00.51.013)"), "{text}");
    assert!(text.contains("n'a pas été importé"), "{text}");
    assert!(!text.contains("120.00"), "{text}");
}

#[test]
fn structural_errors_name_line_and_rubric_never_values() {
    let base = std::fs::read_to_string(dir().join("dsn_2026_03.dsn")).unwrap();
    let cases: [(&str, &str, u64, &str); 4] = [
        (
            "S21.G00.30.005,'02'",
            "S21.G00.30.005,'03'",
            25,
            "code sexe inconnu",
        ),
        (
            "S21.G00.51.010,'T2026031002'",
            "S21.G00.51.010,'ZZZ'",
            94,
            "numéro de contrat absent",
        ),
        (
            "S21.G00.40.001,'18032026'",
            "S21.G00.40.001,'31022026'",
            27,
            "date illisible",
        ),
        (
            "S21.G00.30.001,'2850375123456'",
            "S21.G00.30.003,'X'",
            22,
            "ni NTT",
        ),
    ];
    for (from, to, line, reason) in cases {
        let text = base.replacen(from, to, 1);
        let err = parse("dsn", text.as_bytes(), &options()).unwrap_err();
        assert_eq!(err.line, Some(line), "{err}");
        assert!(err.reason.contains(reason), "{err}");
        assert!(!err.to_string().contains("2850375123456"));
    }
    let err = parse("dsn", b"S21.G00.30.001,'1'\n", &options()).unwrap_err();
    assert!(err.reason.contains("avant tout établissement"), "{err}");
    let twice = format!("{base}{base}");
    let err = parse("dsn", twice.as_bytes(), &options()).unwrap_err();
    // The second file starts after the 169 lines of the first; its S20.G00.05.001 is line 9.
    assert_eq!(err.line, Some(169 + 9), "{err}");
    assert!(err.reason.contains("plusieurs déclarations"), "{err}");
    let err = parse("dsn", b"", &options()).unwrap_err();
    assert!(err.reason.contains("bloc déclaration absent"), "{err}");
}

#[test]
fn salt_comes_from_the_environment_else_the_caller() {
    // Only this test touches the variable.
    std::env::remove_var(SALT_ENV);
    assert_eq!(salt_from_env("stocké"), "stocké");
    std::env::set_var(SALT_ENV, "depuis-env");
    assert_eq!(salt_from_env("stocké"), "depuis-env");
    std::env::remove_var(SALT_ENV);
}
