//! Seeded mutations for the tests that feed hostile input to releve through its binary or its
//! server (the crash tests' choice of kill points, the push API's mutation run). The generator
//! is xorshift64*, so that a failure reproduces from its seed.

use serde_json::Value;

/// xorshift64*.
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed` (0 is made odd: xorshift never leaves 0).
    pub fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Bytes that break JSON and text parsers: structure, quotes, escapes, NUL, a lone UTF-8
/// continuation byte and a truncated sequence.
const NASTY: &[u8] = b"{}[]:,\"\\\0\n\x80\xc3\xff-+.eE0";

/// A few byte-level changes: bits flipped, bytes deleted, pieces duplicated or cut, hostile
/// bytes put in, the end cut off.
pub fn mutate_bytes(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(4) {
        if out.is_empty() {
            out.push(*rng.pick(NASTY));
            continue;
        }
        let at = rng.below(out.len());
        match rng.below(6) {
            0 => out[at] ^= 1 << rng.below(8),
            1 => {
                out.remove(at);
            }
            2 => {
                let end = (at + 1 + rng.below(80)).min(out.len());
                let piece = out[at..end].to_vec();
                out.splice(at..at, piece);
            }
            3 => out[at] = *rng.pick(NASTY),
            4 => {
                let end = (at + rng.below(200)).min(out.len());
                out.drain(at..end);
            }
            _ => out.truncate(at),
        }
    }
    out
}

/// A JSON value a hostile client may send where another was expected.
pub fn hostile_value(rng: &mut Rng) -> Value {
    const TEXTS: &[&str] = &[
        "",
        " ",
        "0",
        "-1",
        "-0.01",
        "12.345",
        "1e9",
        "NaN",
        "99999999999999999999999",
        "18,00 €",
        "55",
        "2025-03-30 02:30",
        "2025-10-26 02:30",
        "2025-02-30 20:00",
        "2025-11-14T20:30:00+25:00",
        "valid\u{0}",
        "Théâtre\u{0}des Digues",
        "\u{feff}A-1",
        "\u{fffd}\u{fffd}",
        "🎭",
        "=cmd|' /C calc'!A0",
        "<script>alert(1)</script>",
        "'; DROP TABLE tickets; --",
        "null",
    ];
    match rng.below(14) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 0),
        2 => serde_json::json!(-1),
        3 => serde_json::json!(1e308),
        4 => serde_json::json!(i64::MAX),
        5 => serde_json::json!(u64::MAX),
        6 => serde_json::json!(18.5),
        7 => serde_json::json!([]),
        8 => serde_json::json!({}),
        9 => Value::String("x".repeat(1 + rng.below(100_000))),
        10 => {
            // Deep nesting: parsers must refuse it, not overflow their stack.
            let mut v = Value::Null;
            for _ in 0..(1 + rng.below(300)) {
                v = Value::Array(vec![v]);
            }
            v
        }
        _ => Value::String(rng.pick(TEXTS).to_string()),
    }
}

/// One node of `value` (any depth) replaced by a hostile value, or removed from its object or
/// array, or an object given an unexpected key.
pub fn mutate_json(rng: &mut Rng, value: &Value) -> Value {
    let mut out = value.clone();
    let mut node = &mut out;
    // Walk down a random path, stopping at a random depth.
    loop {
        let children = match node {
            Value::Object(map) => map.len(),
            Value::Array(items) => items.len(),
            _ => 0,
        };
        if children == 0 || rng.below(3) == 0 {
            break;
        }
        let index = rng.below(children);
        let go_on = rng.below(4) != 0;
        match node {
            Value::Object(map) => {
                let key = map.keys().nth(index).unwrap().clone();
                if !go_on {
                    match rng.below(3) {
                        0 => {
                            map.remove(&key);
                        }
                        1 => {
                            map.insert(format!("{key}_extra"), hostile_value(rng));
                        }
                        _ => {
                            map.insert(key, hostile_value(rng));
                        }
                    }
                    return out;
                }
                node = map.get_mut(&key).unwrap();
            }
            Value::Array(items) => {
                if !go_on {
                    if rng.below(2) == 0 {
                        items.remove(index);
                    } else {
                        items[index] = hostile_value(rng);
                    }
                    return out;
                }
                node = &mut items[index];
            }
            _ => unreachable!(),
        }
    }
    *node = hostile_value(rng);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_mutations() {
        let body = serde_json::json!({"a": [1, {"b": "c"}], "d": "e"});
        let run = |seed| {
            let mut rng = Rng::new(seed);
            (0..50)
                .map(|_| {
                    let bytes = mutate_bytes(&mut rng, body.to_string().as_bytes());
                    (bytes, mutate_json(&mut rng, &body))
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
        let mut rng = Rng::new(0);
        assert!((0..1000).all(|_| rng.below(10) < 10));
    }
}
