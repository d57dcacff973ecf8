//! The content hash of a ticket's stored values (`tickets.content_hash`).
//!
//! SHA-256 over the values in column order, each as a presence byte (0 absent, 1 present)
//! then, when present, its length (8 bytes, little-endian) and its bytes (integers as decimal
//! text): no two different rows share an encoding. Kept: the first 16 bytes, in hex.
//!
//! The encoding is part of the stored format: changing it would make every stored row look
//! changed on the next import (rewritten, counted as updated, its revision raised). Pinned by
//! a test.

use super::TicketRow;
use sha2::{Digest, Sha256};

pub(super) fn of(row: &TicketRow) -> String {
    let mut hasher = Sha256::new();
    let mut put = |value: Option<&[u8]>| match value {
        None => hasher.update([0u8]),
        Some(bytes) => {
            hasher.update([1u8]);
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
        }
    };
    put(Some(row.performance_external_id.as_bytes()));
    put(Some(row.price_cents.to_string().as_bytes()));
    put(Some(row.vat_rate.as_bytes()));
    put(Some(row.status.as_bytes()));
    put(row.price_category.as_deref().map(str::as_bytes));
    put(row.price_kind.as_deref().map(str::as_bytes));
    put(row
        .sold_at
        .map(|s| s.to_string())
        .as_deref()
        .map(str::as_bytes));
    hex::encode(&hasher.finalize()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> TicketRow {
        TicketRow {
            performance_external_id: "P1".into(),
            price_cents: 1850,
            vat_rate: "5.5".into(),
            status: "valid".into(),
            price_category: Some("Tarif réduit".into()),
            price_kind: None,
            sold_at: Some(1_760_000_000),
        }
    }

    #[test]
    fn the_encoding_is_pinned() {
        // printf '\x01\x02\0\0\0\0\0\0\0P1\x01\x04\0\0\0\0\0\0\0001850\x01\x03\0\0\0\0\0\0\0005.5\x01\x05\0\0\0\0\0\0\0valid\x01\x0d\0\0\0\0\0\0\0Tarif réduit\0\x01\x0a\0\0\0\0\0\0\0001760000000' | sha256sum
        assert_eq!(of(&row()), "a1c25340768700d3a36f0faf9ad1350c");
    }

    #[test]
    fn every_value_counts_and_absent_differs_from_empty() {
        let base = of(&row());
        let mut changed = row();
        changed.status = "refunded".into();
        assert_ne!(of(&changed), base);
        let mut empty = row();
        empty.price_kind = Some(String::new());
        assert_ne!(of(&empty), base);
        // Values cannot slide from one column into the next.
        let mut a = row();
        a.performance_external_id = "P11".into();
        a.price_cents = 850;
        let mut b = row();
        b.performance_external_id = "P1".into();
        b.price_cents = 1850;
        assert_ne!(of(&a), of(&b));
    }
}
