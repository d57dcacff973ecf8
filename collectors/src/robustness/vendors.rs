//! Vendor answers: the stored JSON of each vendor, mutated, re-normalised. Called from each
//! vendor's `basic_month` test with the exchanges that test's sync just recorded, so every
//! normaliser is exercised on answers shaped exactly like its vendor's.

use super::{assert_reason, hostile_text, mutate_bytes, Rng};
use crate::api::RawExchange;
use crate::{Record, SourceKind};
use serde_json::{json, Value};

/// Re-normalises `rounds` mutations of `raw` (one answer's body changed each time): never a
/// panic, every quarantine entry has a reason, and the same answers give the same records.
pub(crate) fn mutate_vendor_answers(kind: SourceKind, raw: &[RawExchange]) {
    assert!(!raw.is_empty());
    let mut rng = Rng(0xa91_0000 + kind as u64);
    let normalise =
        |raw: &[RawExchange]| crate::api::collector::normalise_stored(kind, kind.code(), raw);
    for _ in 0..400 {
        let mut mutated = raw.to_vec();
        let i = rng.below(mutated.len());
        let body = &mut mutated[i].body;
        match (rng.below(3), serde_json::from_str::<Value>(body)) {
            (0, _) | (_, Err(_)) => {
                *body =
                    String::from_utf8_lossy(&mutate_bytes(&mut rng, body.as_bytes())).into_owned()
            }
            (_, Ok(mut value)) => {
                mutate_json(&mut rng, &mut value);
                *body = value.to_string();
            }
        }
        if rng.below(10) == 0 {
            // An error status with a body that looks fine.
            mutated[i].status = *rng.pick(&[401, 404, 429, 500]);
        }
        let records = normalise(&mutated);
        for record in &records {
            if let Record::Quarantined(q) = record {
                assert_reason(q);
            }
        }
        assert_eq!(records, normalise(&mutated), "{kind:?}: not deterministic");
    }
}

/// Replaces one random node of `value` (or removes one key) with a hostile value.
pub(crate) fn mutate_json(rng: &mut Rng, value: &mut Value) {
    let descend = rng.below(10) < 8;
    match value {
        Value::Object(map) if descend && !map.is_empty() => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = rng.pick(&keys).clone();
            if rng.below(8) == 0 {
                map.remove(&key);
            } else {
                mutate_json(rng, map.get_mut(&key).unwrap());
            }
        }
        Value::Array(items) if descend && !items.is_empty() => {
            let i = rng.below(items.len());
            match rng.below(8) {
                0 => {
                    items.remove(i);
                }
                1 => {
                    let copy = items[i].clone();
                    items.push(copy);
                }
                _ => mutate_json(rng, &mut items[i]),
            }
        }
        _ => *value = hostile_json(rng),
    }
}

fn hostile_json(rng: &mut Rng) -> Value {
    match rng.below(12) {
        0 => Value::Null,
        1 => json!(-1),
        2 => json!(1e308),
        3 => json!(0.1 + 0.2),
        4 => json!(i64::MAX),
        5 => json!(true),
        6 => json!([]),
        7 => json!({}),
        8 => json!(-0.005),
        _ => Value::String(hostile_text(rng)),
    }
}
