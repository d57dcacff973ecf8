//! What CI runs instead of the fuzzer (`collectors/fuzz`): the DSN parser over every file of
//! the fuzz seed corpus and thousands of deterministic mutations of them (bytes flipped,
//! deleted, duplicated; lines swapped), asserting it never panics.

use super::*;
use std::path::PathBuf;

fn corpus() -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/dsn");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

/// xorshift64*: a fixed-seed generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(4) {
        if out.is_empty() {
            out.push(b'\'');
            continue;
        }
        let at = rng.below(out.len());
        match rng.below(6) {
            0 => out[at] ^= 1 << rng.below(8),
            1 => {
                out.remove(at);
            }
            2 => {
                let end = (at + 1 + rng.below(40)).min(out.len());
                let piece = out[at..end].to_vec();
                out.splice(at..at, piece);
            }
            3 => out[at] = b"',.\r\n0S9"[rng.below(8)],
            4 => {
                let end = (at + rng.below(200)).min(out.len());
                out.drain(at..end);
            }
            _ => {
                // Swap two lines: blocks out of order.
                let text = String::from_utf8_lossy(&out).into_owned();
                let mut lines: Vec<&str> = text.split('\n').collect();
                let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
                lines.swap(a, b);
                out = lines.join("\n").into_bytes();
            }
        }
    }
    out
}

#[test]
fn the_seed_corpus_parses_without_panic() {
    let files = corpus();
    assert!(files.len() >= 5, "{files:?}");
    let options = DsnOptions::new("seed");
    for (path, bytes) in &files {
        let _ = parse("dsn", bytes, &options);
        let _ = path;
    }
}

#[test]
fn the_minimal_seed_uses_the_documented_fallbacks() {
    let bytes =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/dsn/minimale.dsn"))
            .unwrap();
    let f = parse("dsn", &bytes, &DsnOptions::new("s")).unwrap();
    assert_eq!(f.engagements.len(), 1);
    let e = &f.engagements[0];
    // No S21.G00.51.010: the only contract. No type 001: type 002 (160.00, 8 hours).
    assert_eq!(e.contract_id, "X1");
    assert_eq!(e.gross_pay, releve_domain::Money::from_cents(16000));
    assert_eq!(e.hours, rust_decimal_macros::dec!(8.00));
    assert_eq!(e.cachets, Some(rust_decimal_macros::dec!(1.00)));
    // 066 under a base without contract number: the only contract; hence intermittent.
    assert_eq!(
        e.conges_spectacles,
        Some(releve_domain::Money::from_cents(2400))
    );
    assert!(e.intermittent);
    assert_eq!(e.role, releve_domain::employment::Role::Technician);
}

#[test]
fn thousands_of_mutations_never_panic() {
    let files = corpus();
    let options = DsnOptions::new("mutations");
    let mut rng = Rng(0x5eed_0fd5_u64);
    let (mut ok, mut refused) = (0u32, 0u32);
    for round in 0..4000 {
        let (_, seed) = &files[round % files.len()];
        let input = mutate(&mut rng, seed);
        match parse("dsn", &input, &options) {
            Ok(_) => ok += 1,
            Err(e) => {
                refused += 1;
                // Errors never quote a NIR of the corpus.
                assert!(!e.to_string().contains("2850375123456"), "{e}");
            }
        }
    }
    // Both outcomes occur: the mutations reach past the first line.
    assert!(ok > 0 && refused > 0, "ok {ok}, refused {refused}");
}
