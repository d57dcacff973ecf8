//! `releve user add`, `releve token create | revoke` and `releve serve` as a user runs them:
//! the binary, its output and its exit status.

use super::harness::{config_text, VENUE};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

fn setup() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("releve.db");
    let config = dir.path().join("releve.toml");
    std::fs::write(
        &config,
        config_text(
            &format!("sqlite://{}", db.display()),
            "[[funder]]\nslug = \"drac-pdl\"\nname = \"DRAC Pays de la Loire\"\nkind = \"etat\"\n",
            "",
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap().to_string();
    (dir, config)
}

fn releve_with_stdin(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_releve"))
        .args(args)
        .env("RELEVE_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn user_add_reads_the_password_from_stdin_and_adds_memberships() {
    let (dir, config) = setup();
    let add = |role: &str, stdin: &str| {
        releve_with_stdin(
            &[
                "user",
                "add",
                "--config",
                &config,
                "--email",
                "Claire@Digues.fr",
                "--org",
                VENUE,
                "--role",
                role,
            ],
            stdin,
        )
    };
    let (status, stdout, stderr) = add("signatory", "un mot de passe solide\n");
    assert_eq!(status, 0, "{stdout}{stderr}");
    assert!(
        stdout
            .contains("Utilisateur claire@digues.fr créé : signataire de « theatre-des-digues »."),
        "{stdout}"
    );
    assert!(
        !stdout.contains("un mot de passe solide"),
        "never printed back"
    );
    let (status, stdout, _) = add("admin", "");
    assert_eq!(status, 0);
    assert!(stdout.contains("mot de passe inchangé"), "{stdout}");

    let (status, _, stderr) = add("directeur", "x\n");
    assert_eq!(status, 2);
    assert!(stderr.contains("rôle « directeur » inconnu"), "{stderr}");
    let (status, _, stderr) = releve_with_stdin(
        &[
            "user",
            "add",
            "--config",
            &config,
            "--email",
            "new@digues.fr",
            "--org",
            VENUE,
            "--role",
            "viewer",
        ],
        "court\n",
    );
    assert_eq!(status, 2);
    assert!(stderr.contains("au moins 10 caractères"), "{stderr}");
    let (status, stdout, _) = releve_with_stdin(
        &[
            "user",
            "add",
            "--config",
            &config,
            "--email",
            "drac@culture.gouv.fr",
            "--funder",
            "drac-pdl",
        ],
        "mot de passe du financeur\n",
    );
    assert_eq!(status, 0);
    assert!(
        stdout.contains("lecteur du financeur « drac-pdl »"),
        "{stdout}"
    );
    // The database (its file and its write-ahead log) holds a hash, never the password.
    let mut db = std::fs::read(dir.path().join("releve.db")).unwrap();
    db.extend(std::fs::read(dir.path().join("releve.db-wal")).unwrap_or_default());
    let text = String::from_utf8_lossy(&db);
    assert!(!text.contains("un mot de passe solide") && text.contains("$argon2id$"));
}

#[test]
fn tokens_are_printed_once_stored_hashed_and_revocable() {
    let (dir, config) = setup();
    let run = |args: &[&str]| releve_with_stdin(args, "");
    let (status, stdout, stderr) = run(&[
        "token", "create", "--config", &config, "--name", "compta", "--scope", "read", "--org",
        VENUE,
    ]);
    assert_eq!(status, 0, "{stderr}");
    let token = stdout.lines().last().unwrap().trim().to_string();
    assert!(token.starts_with("rlv_") && token.len() == 52, "{stdout}");
    let db = std::fs::read(dir.path().join("releve.db")).unwrap();
    assert!(
        !String::from_utf8_lossy(&db).contains(&token),
        "only the hash is stored"
    );

    let (status, _, stderr) = run(&[
        "token", "create", "--config", &config, "--name", "compta", "--scope", "read", "--org",
        VENUE,
    ]);
    assert_eq!(status, 2);
    assert!(stderr.contains("existe déjà"), "{stderr}");
    let (status, _, stderr) = run(&[
        "token", "create", "--config", &config, "--name", "x", "--scope", "read",
    ]);
    assert_eq!(status, 2);
    assert!(stderr.contains("précisez --org"), "{stderr}");
    let (status, _, stderr) = run(&[
        "token", "create", "--config", &config, "--name", "m", "--scope", "ministry", "--org",
        VENUE,
    ]);
    assert_eq!(status, 2);
    assert!(stderr.contains("ni --org ni --funder"), "{stderr}");
    let (status, _, _) = run(&[
        "token", "create", "--config", &config, "--name", "f", "--scope", "funder", "--funder",
        "drac-pdl",
    ]);
    assert_eq!(status, 0);

    let (status, stdout, _) = run(&["token", "revoke", "--config", &config, "--name", "compta"]);
    assert_eq!(status, 0);
    assert!(stdout.contains("révoqué"));
    let (status, _, stderr) = run(&["token", "revoke", "--config", &config, "--name", "compta"]);
    assert_eq!(status, 2);
    assert!(stderr.contains("aucun jeton actif"), "{stderr}");
}

#[test]
fn serve_prints_its_address_first_serves_and_stops_on_sigterm() {
    let (_dir, config) = setup();
    let mut child = Command::new(env!("CARGO_BIN_EXE_releve"))
        .args(["serve", "--config", &config, "--listen", "127.0.0.1:0"])
        .env("RELEVE_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let address = first
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("first line: {first:?}"))
        .to_string();
    let port: u16 = address.rsplit(':').next().unwrap().parse().unwrap();
    assert_ne!(port, 0);
    // A plain HTTP/1.1 request over TCP: the sign-in page answers.
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    write!(
        stream,
        "GET /connexion HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut stream, &mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("Connexion à releve"));
    // SIGTERM: a graceful stop with status 0.
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}
