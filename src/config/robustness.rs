//! Seeded mutations of a configuration file (the demo's, and one with every table): loading
//! never panics, and a refused file is refused with a French message that names the
//! configuration or the organisation at fault. The generator is the same xorshift64* as the collectors' mutation runs.

use super::Config;

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n.max(1) as u64) as usize
    }
}

const SEED: &str = r#"[database]
url = "sqlite://releve.db"

[[organisation]]
slug = "theatre-des-digues"
name = "Théâtre des Digues"
siret = "81234567600009"
licence = "PLATESV-D-2021-001234"
subsidised = true
postal_code = "44000"
city = "Nantes"

  [[organisation.source]]
  kind = "tickets_csv"
  path = "billetterie.csv"

  [[organisation.source]]
  kind = "billetweb"
  credentials_env = "BILLETWEB"

  [[organisation.source]]
  kind = "weezevent"
  credentials_env = "WEEZEVENT"
  vat_rate = "5.5"
"#;

/// Replacements that keep the file TOML but put hostile values where values are.
const VALUES: &[&str] = &[
    "\"\"",
    "\"\u{0}\"",
    "\"../../../../etc/passwd\"",
    "-1",
    "1e400",
    "true",
    "[]",
    "{}",
    "\"postgres://x:y@\"",
    "\"55\"",
    "\"🎭\"",
    "\"sqlite://\"",
];

#[test]
fn mutated_configuration_files_never_panic_and_are_refused_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("releve.toml");
    let demo = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/releve.toml"),
    )
    .unwrap();
    let mut rng = Rng(0xc0f1_6001);
    let (mut loaded, mut refused) = (0, 0);
    for round in 0..1500 {
        let seed = if round % 2 == 0 { SEED } else { demo.as_str() };
        let mut text: Vec<u8> = seed.as_bytes().to_vec();
        if round % 3 == 0 {
            // A value replaced: after one `=` of a random line.
            let lines: Vec<&str> = seed.lines().collect();
            let i = rng.below(lines.len());
            let mut lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            if let Some((key, _)) = lines[i].split_once('=') {
                lines[i] = format!("{key}= {}", VALUES[rng.below(VALUES.len())]);
            }
            text = lines.join("\n").into_bytes();
        } else {
            for _ in 0..=rng.below(3) {
                let at = rng.below(text.len());
                match rng.below(4) {
                    0 => text[at] ^= 1 << rng.below(8),
                    1 => {
                        text.remove(at);
                    }
                    2 => text.insert(at, b"[]=\"\n#\\\0\xc3"[rng.below(9)]),
                    _ => {
                        let end = (at + rng.below(80)).min(text.len());
                        text.drain(at..end);
                    }
                }
            }
        }
        std::fs::write(&path, &text).unwrap();
        match Config::load(&path) {
            Ok(_) => loaded += 1,
            Err(e) => {
                refused += 1;
                let message = format!("{e:#}");
                assert!(!message.trim().is_empty());
                assert!(!message.contains("panicked"), "{message}");
                // Every refusal names the file or the organisation, in French.
                assert!(
                    message.contains("configuration") || message.contains("organisation"),
                    "{message}"
                );
            }
        }
    }
    assert!(
        loaded > 0 && refused > 0,
        "loaded {loaded}, refused {refused}"
    );
}
