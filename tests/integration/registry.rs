//! The company register end to end: `releve run` against a local stand-in answering like the
//! register (active, ceased, not found, public body, licence holder, association), the same
//! run with the register down and with it disabled (same amounts, counts, lines and exit
//! status), and `releve siret` (aligned French output, cache, `--refresh`, exit statuses).

use crate::support::*;
use releve_collectors::replay::{ReplayServer, Reply, Route, Script};
use serde_json::Value;
use std::path::{Path, PathBuf};

const ACTIVE: &str = include_str!("../../fixtures/registry/active-licence.json");
const CEASED: &str = include_str!("../../fixtures/registry/ceased.json");
const NOT_FOUND: &str = include_str!("../../fixtures/registry/not-found.json");
const PUBLIC: &str = include_str!("../../fixtures/registry/public-body.json");
const ASSOCIATION: &str = include_str!("../../fixtures/registry/association.json");
const NO_LICENCE: &str = include_str!("../../fixtures/registry/no-licence.json");

/// The organisation of the scenario, as the register knows it.
const ORGANISATION: &str = r#"{"results": [{"siren": "812345676", "nom_complet": "THEATRE DES DIGUES",
 "nom_raison_sociale": "THEATRE DES DIGUES", "sigle": null, "nature_juridique": "9220",
 "activite_principale": "90.04Z", "etat_administratif": "A",
 "siege": {"siret": "81234567600009", "adresse": "2 QUAI DES DIGUES 44000 NANTES", "code_postal": "44000",
           "libelle_commune": "NANTES", "etat_administratif": "A"},
 "matching_etablissements": [{"siret": "81234567600009", "adresse": "2 QUAI DES DIGUES 44000 NANTES",
           "code_postal": "44000", "libelle_commune": "NANTES", "etat_administratif": "A"}],
 "complements": {"est_entrepreneur_spectacle": true, "statut_entrepreneur_spectacle": "valide",
   "est_service_public": false, "est_collectivite_territoriale": false, "est_association": true, "est_ess": true}}],
 "total_results": 1, "page": 1, "per_page": 10, "total_pages": 1}"#;

/// The stand-in register: one answer per number the scenario uses.
fn register() -> Script {
    let mut script = Script::new();
    for (q, body) in [
        ("81234567600009", ORGANISATION),
        ("91234561800025", ACTIVE),
        ("92345672700018", CEASED),
        ("21490123300012", PUBLIC),
        ("78546219300018", NO_LICENCE),
        ("934567835", ASSOCIATION),
        ("44802196400151", NOT_FOUND),
    ] {
        script = script.route(
            Route::get("/search")
                .query("q", q)
                .reply(Reply::json(200, body)),
        );
    }
    script
}

fn tickets() -> String {
    let mut s = String::from(TICKETS_HEADER);
    let mut add = |id: &str, perf: &str, title: &str, starts: &str, venue: &str, price: &str| {
        s += &ticket(
            id,
            perf,
            title,
            starts,
            venue,
            "Plein tarif",
            "full",
            price,
            "5.5",
            "valid",
        );
    };
    add(
        "T1-1",
        "P1",
        "Les Vagues",
        "2025-11-14 20:30",
        "Grande salle",
        "18.00",
    );
    add(
        "T1-2",
        "P1",
        "Les Vagues",
        "2025-11-14 20:30",
        "Grande salle",
        "18.00",
    );
    add(
        "T2-1",
        "P2",
        "Nuit Jazz",
        "2025-11-20 21:00",
        "Club",
        "15.00",
    );
    add(
        "T2-2",
        "P2",
        "Nuit Jazz",
        "2025-11-20 21:00",
        "Club",
        "15.00",
    );
    add(
        "T4-1",
        "P4",
        "Le Bal des Remparts",
        "2025-11-21 20:00",
        "Grande salle",
        "12.00",
    );
    add(
        "T5-1",
        "P5",
        "Marée Haute",
        "2025-11-22 20:30",
        "Grande salle",
        "20.00",
    );
    add(
        "T5-2",
        "P5",
        "Marée Haute",
        "2025-11-22 20:30",
        "Grande salle",
        "20.00",
    );
    add(
        "T6-1",
        "P6",
        "Funambules",
        "2025-11-25 20:30",
        "Grande salle",
        "10.00",
    );
    add(
        "T7-1",
        "P7",
        "Inconnu au bataillon",
        "2025-11-27 20:30",
        "Grande salle",
        "8.00",
    );
    s
}

/// Producers: P1 by SIRET only (a licence holder); P2 a ceased company; P4 a commune, its
/// subsidy not said; P5 a company without licence, under another name; P6 an association, its
/// subsidy not said; P7 a SIRET the register does not know.
fn programme() -> String {
    let header = "performance_id;show_title;starts_at;venue_name;venue_postal_code;venue_city;discipline;producer_name;producer_siret;producer_subsidised\n";
    let rows = [
        "P1;Les Vagues;2025-11-14 20:30;Grande salle;44000;Nantes;theatre;;91234561800025;",
        "P2;Nuit Jazz;2025-11-20 21:00;Club;44000;Nantes;jazz;Ancienne Scène;92345672700018;no",
        "P4;Le Bal des Remparts;2025-11-21 20:00;Grande salle;44000;Nantes;theatre;Commune de Lanvière-sur-Loire;21490123300012;",
        "P5;Marée Haute;2025-11-22 20:30;Grande salle;44000;Nantes;theatre;Tournées de l'Atlantique;78546219300018;no",
        "P6;Funambules;2025-11-25 20:30;Grande salle;44000;Nantes;danse;Compagnie du Fil Tendu;934567835;",
        "P7;Inconnu au bataillon;2025-11-27 20:30;Grande salle;44000;Nantes;theatre;Compagnie Fantôme;44802196400151;yes",
    ];
    format!("{header}{}\n", rows.join("\n"))
}

/// A scenario folder whose organisation has no address in its configuration.
fn scenario(registry: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tickets.csv"), tickets()).unwrap();
    std::fs::write(dir.path().join("programme.csv"), programme()).unwrap();
    let config = format!(
        r#"{registry}
[[organisation]]
slug = "theatre-des-digues"
name = "Théâtre des Digues"
siret = "{SIRET}"
subsidised = true
sacd_declarant_id = "654321"

  [[organisation.source]]
  kind = "tickets_csv"
  path = "tickets.csv"

  [[organisation.source]]
  kind = "programme_csv"
  path = "programme.csv"
"#
    );
    let path = dir.path().join("releve.toml");
    std::fs::write(&path, config).unwrap();
    (dir, path)
}

fn run(config: &Path, dir: &Path) -> RunResult {
    let out = dir.join("out");
    let output = releve(&[
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
    RunResult::from(output, out)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

fn registry_issues(issues: &Value) -> Vec<&Value> {
    issues["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"].as_str().unwrap().starts_with("registry."))
        .collect()
}

fn one<'a>(issues: &[&'a Value], code: &str, performance: &str) -> &'a Value {
    let found: Vec<_> = issues
        .iter()
        .filter(|i| i["code"] == code && i["performance_id"] == performance)
        .collect();
    assert_eq!(found.len(), 1, "{code} for {performance}: {issues:#?}");
    found[0]
}

/// Names and addresses are what the register may complete: removed before comparing runs.
fn without_names_and_addresses(value: &Value) -> Value {
    // `reason` texts name the producer.
    const COMPLETED: [&str; 10] = [
        "reason",
        "producer_address",
        "adresse",
        "codePostal",
        "ville",
        "critere2",
        "producer_name",
        "producer",
        "address",
        "city",
    ];
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !COMPLETED.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), without_names_and_addresses(v)))
                .collect(),
        ),
        Value::Array(items) => {
            Value::Array(items.iter().map(without_names_and_addresses).collect())
        }
        other => other.clone(),
    }
}

const DECLARATIONS: [&str; 7] = [
    "aggregates.json",
    "indicators.json",
    "cnm.json",
    "astp.json",
    "sibil.json",
    "sacem.json",
    "sacd.json",
];

#[test]
fn the_register_checks_and_suggests_but_never_changes_a_figure() {
    let rt = runtime();
    let server = rt.block_on(ReplayServer::start(register())).unwrap();

    let (up_dir, up_config) = scenario(&format!(
        "[registry]\nbase_url = \"{}\"\n",
        server.base_url()
    ));
    let up = run(&up_config, up_dir.path());
    // Port 1 on the loopback: nothing listens, the register is "down".
    let (down_dir, down_config) = scenario("[registry]\nbase_url = \"http://127.0.0.1:1\"\n");
    let down = run(&down_config, down_dir.path());
    let (off_dir, off_config) = scenario("[registry]\nenabled = false\n");
    let off = run(&off_config, off_dir.path());

    // Blocking ASTP questions (P1, P4, P6: subsidised organiser, producer's subsidy not said)
    // make every run exit 1, with or without the register.
    off.assert_status(1);
    down.assert_status(1);
    up.assert_status(1);
    assert!(server.unmatched().is_empty(), "{:#?}", server.unmatched());
    // One lookup per number: the organisation and six producers.
    assert_eq!(server.requests().len(), 7);

    // Register down or disabled: the same files, byte for byte, but issues and report.
    for file in DECLARATIONS
        .iter()
        .chain(&["cnm.csv", "astp.csv", "sacd.xml"])
    {
        assert_eq!(
            down.bytes("2025-11", file),
            off.bytes("2025-11", file),
            "{file} differs between a register down and disabled"
        );
    }
    // Register up: the same amounts, counts and lines; only names and addresses differ.
    for file in DECLARATIONS {
        assert_eq!(
            without_names_and_addresses(&up.json("2025-11", file)),
            without_names_and_addresses(&off.json("2025-11", file)),
            "{file}"
        );
    }
    // Hand-computed: ASTP taxes only P5 (producer_subsidised = no): 40.00 incl. 5.5 % →
    // 40 / 1.055 = 37.914… → 37.91; × 3.5 % = 1.32685 → 1.33. CNM taxes P2 (jazz):
    // 30.00 → 28.436… → 28.44; × 3.5 % = 0.9954 → 1.00.
    for r in [&up, &down, &off] {
        assert_eq!(r.json("2025-11", "astp.json")["totals"]["tax_due"], "1.33");
        assert_eq!(r.json("2025-11", "cnm.json")["totals"]["tax_due"], "1.00");
        let lines: Vec<_> = r.json("2025-11", "astp.json")["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["performance_id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(lines, ["tickets_csv:P5"]);
    }

    // What the register completed: P1's producer name, the venue address SIBIL needs.
    let sibil = up.json("2025-11", "sibil.json");
    let p1 = &sibil["declarations"][0];
    assert_eq!(
        p1["spectacleChamps"]["critere2"],
        "LES NUITS BLEUES PRODUCTIONS (SIREN 912 345 618)"
    );
    assert_eq!(p1["lieuChamps"]["adresse"], "2 QUAI DES DIGUES");
    let sibil_off = off.json("2025-11", "sibil.json");
    assert_eq!(
        sibil_off["declarations"][0]["spectacleChamps"]["critere2"],
        "SIREN 912 345 618"
    );
    assert_eq!(
        sibil_off["declarations"][0]["lieuChamps"]["adresse"],
        Value::Null
    );
    // The SACD declarant block prints the head office the configuration lacks.
    let sacd_up = releve_testkit::pdf_text(&up.bytes("2025-11", "sacd.pdf"));
    assert!(
        sacd_up.contains("2 QUAI DES DIGUES, 44000 NANTES"),
        "{sacd_up}"
    );
    let sacd_off = releve_testkit::pdf_text(&off.bytes("2025-11", "sacd.pdf"));
    assert!(!sacd_off.contains("QUAI DES DIGUES"), "{sacd_off}");

    // The points and suggestions, each with its source and date; none is blocking.
    let issues = up.json("2025-11", "issues.json");
    let hints = registry_issues(&issues);
    let today = releve_domain::calendar::local_date(chrono::Utc::now()).to_string();
    for hint in &hints {
        assert_ne!(hint["severity"], "blocking", "{hint:#}");
        let message = hint["message"].as_str().unwrap();
        assert!(
            message.contains("selon le répertoire des entreprises, consulté le "),
            "{message}"
        );
        assert_eq!(
            hint["evidence"]["source"], "repertoire_entreprises",
            "{hint:#}"
        );
        assert_eq!(hint["evidence"]["consulted_on"], today, "{hint:#}");
    }
    let named = one(&hints, "registry.producer.name_completed", "tickets_csv:P1");
    assert_eq!(named["severity"], "info");
    assert_eq!(named["suggestion"]["field"], "producer_name");
    assert_eq!(named["suggestion"]["value"], "LES NUITS BLEUES PRODUCTIONS");
    assert_eq!(named["evidence"]["reference"], "91234561800025");
    let ceased = one(&hints, "registry.ceased", "tickets_csv:P2");
    assert_eq!(ceased["severity"], "warning");
    assert!(ceased["message"]
        .as_str()
        .unwrap()
        .contains("cessé son activité"));
    let public = one(&hints, "registry.producer.public_body", "tickets_csv:P4");
    assert_eq!(public["severity"], "info");
    assert_eq!(public["body"], "astp");
    assert_eq!(public["suggestion"]["field"], "producer_subsidised");
    assert_eq!(public["suggestion"]["value"], "yes");
    assert!(public["message"]
        .as_str()
        .unwrap()
        .contains("collectivité territoriale"));
    let licence = one(&hints, "registry.producer.no_licence", "tickets_csv:P5");
    assert_eq!(licence["severity"], "warning");
    let mismatch = one(&hints, "registry.producer.name_mismatch", "tickets_csv:P5");
    assert!(mismatch["message"]
        .as_str()
        .unwrap()
        .contains("TOURNEES DU LITTORAL"));
    let unknown = one(&hints, "registry.not_found", "tickets_csv:P7");
    assert_eq!(unknown["severity"], "warning");
    assert!(unknown["message"]
        .as_str()
        .unwrap()
        .contains("448 021 964 00151"));
    let org = hints
        .iter()
        .filter(|i| i["code"] == "registry.organisation.address_completed")
        .count();
    assert_eq!(org, 1, "{hints:#?}");
    assert!(hints
        .iter()
        .any(|i| i["code"] == "registry.venue.address_completed"));
    // The association (P6) is no hint, and the answered ASTP question stays with the
    // administrator: the suggestion did not answer it.
    assert!(
        !hints
            .iter()
            .any(|i| i["performance_id"] == "tickets_csv:P6"),
        "{hints:#?}"
    );
    let questions = issues["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"] == "astp.producer_subsidised.missing")
        .count();
    assert_eq!(questions, 3, "{issues:#}");
    // 7 hints exactly: name, ceased, public body, licence, name mismatch, unknown, org address,
    // plus one venue address per venue (Grande salle, Club).
    assert_eq!(hints.len(), 9, "{hints:#?}");

    // Down: one information, the run went on; disabled: nothing.
    let down_hints = registry_issues(&down.json("2025-11", "issues.json")).len();
    assert_eq!(down_hints, 1);
    let down_issues = down.json("2025-11", "issues.json");
    let outage = registry_issues(&down_issues)[0];
    assert_eq!(outage["code"], "registry.unavailable");
    assert_eq!(outage["severity"], "info");
    assert!(
        down.stdout
            .contains("  Le répertoire des entreprises n'a pas pu être consulté"),
        "{}",
        down.stdout
    );
    assert!(registry_issues(&off.json("2025-11", "issues.json")).is_empty());

    // A second run within 30 days reads the cache: no new call, the same files.
    let again = run(&up_config, up_dir.path());
    again.assert_status(1);
    assert_eq!(server.requests().len(), 7);
    assert_eq!(
        again.bytes("2025-11", "issues.json"),
        up.bytes("2025-11", "issues.json")
    );
}

#[test]
fn releve_siret_prints_what_the_register_says() {
    let rt = runtime();
    let script = register().route(
        Route::get("/search")
            .query("q", "93456783500012")
            .reply(Reply::json(200, "<html>maintenance</html>")),
    );
    let server = rt.block_on(ReplayServer::start(script)).unwrap();
    let (dir, config) = scenario(&format!(
        "[registry]\nbase_url = \"{}\"\n",
        server.base_url()
    ));
    let siret = |args: &[&str]| {
        let mut all = vec!["siret", "--config", config.to_str().unwrap()];
        all.extend_from_slice(args);
        let output = releve(&all);
        (
            output.status.code().unwrap(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (status, stdout, stderr) = siret(&["912 345 618 00025"]);
    assert_eq!(status, 0, "{stdout}{stderr}");
    let expected_start = "Répertoire des entreprises — SIRET 912 345 618 00025\n\
        \x20 Nom                            LES NUITS BLEUES PRODUCTIONS\n\
        \x20 Nom complet                    LES NUITS BLEUES PRODUCTIONS (LNB)\n\
        \x20 Sigle                          LNB\n\
        \x20 Forme juridique                société par actions simplifiée (SAS) (5710)\n\
        \x20 Activité (NAF)                 90.01Z\n\
        \x20 État                           active\n\
        \x20 Établissement                  5 IMPASSE DU PORT, 44100 NANTES (ouvert)\n\
        \x20 Siège                          12 RUE DES LILAS, 44000 NANTES (SIRET 912 345 618 00017)\n\
        \x20 Licence de spectacles          oui (statut : valide)\n\
        \x20 Organisme public               non\n\
        \x20 Collectivité territoriale      non\n\
        \x20 Association                    non\n\
        \x20 Économie sociale et solidaire  non\n\
        Source : selon le répertoire des entreprises, consulté le ";
    assert!(stdout.starts_with(expected_start), "{stdout}");
    assert!(!stdout.contains("(réponse enregistrée)"), "{stdout}");
    assert_eq!(server.requests().len(), 1);

    // From the cache the second time; --refresh asks the register again.
    let (status, stdout, _) = siret(&["91234561800025"]);
    assert_eq!(status, 0);
    assert!(stdout.contains("(réponse enregistrée)."), "{stdout}");
    assert_eq!(server.requests().len(), 1);
    let (status, _, _) = siret(&["--refresh", "91234561800025"]);
    assert_eq!(status, 0);
    assert_eq!(server.requests().len(), 2);

    // A public body by SIRET, a ceased company, an unknown number.
    let (_, stdout, _) = siret(&["21490123300012"]);
    assert!(
        stdout.contains("Forme juridique                commune (7210)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Collectivité territoriale      oui"),
        "{stdout}"
    );
    let (_, stdout, _) = siret(&["92345672700018"]);
    assert!(
        stdout.contains("État                           cessée"),
        "{stdout}"
    );
    assert!(stdout.contains("(fermé)"), "{stdout}");
    assert!(stdout.contains("non (statut : invalide)"), "{stdout}");
    let (status, stdout, _) = siret(&["44802196400151"]);
    assert_eq!(status, 1, "{stdout}");
    assert!(stdout.contains("introuvable"), "{stdout}");

    // A mistyped number never leaves releve; a malformed answer is a clear error.
    let before = server.requests().len();
    let (status, _, stderr) = siret(&["91234561800026"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("clé de contrôle"), "{stderr}");
    assert_eq!(server.requests().len(), before);
    let (status, _, stderr) = siret(&["93456783500012"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("réponse illisible"), "{stderr}");

    // Disabled: nothing is looked up.
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("[registry]\n", "[registry]\nenabled = false\n");
    std::fs::write(&config, text).unwrap();
    let before = server.requests().len();
    let (status, _, stderr) = siret(&["912345618"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("enabled = false"), "{stderr}");
    assert_eq!(server.requests().len(), before);
    drop(dir);
}

#[test]
fn check_compares_the_organisation_with_the_register_without_writing() {
    let rt = runtime();
    let server = rt.block_on(ReplayServer::start(register())).unwrap();
    let (dir, config) = scenario(&format!(
        "[registry]\nbase_url = \"{}\"\n",
        server.base_url()
    ));
    let check = || {
        let output = releve(&["check", "--config", config.to_str().unwrap()]);
        (
            output.status.code().unwrap(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };
    let (status, stdout) = check();
    assert_eq!(status, 0, "{stdout}");
    assert!(
        stdout.contains("OK          theatre-des-digues — SIRET 812 345 676 00009 : « THEATRE DES DIGUES », en activité"),
        "{stdout}"
    );
    // Another name under the same SIRET: a point to check, not a failure.
    let text = std::fs::read_to_string(&config).unwrap().replace(
        "name = \"Théâtre des Digues\"",
        "name = \"Théâtre du Port\"",
    );
    std::fs::write(&config, text).unwrap();
    let (status, stdout) = check();
    assert_eq!(status, 0, "{stdout}");
    assert!(
        stdout.contains("À VÉRIFIER  theatre-des-digues — le nom « Théâtre du Port » ne correspond pas à celui du SIRET 812 345 676 00009 : « THEATRE DES DIGUES », selon le répertoire des entreprises, consulté le "),
        "{stdout}"
    );
    assert_eq!(server.requests().len(), 2);
    assert!(
        !dir.path().join("releve.db").exists(),
        "check must not create the database"
    );
}
