//! The ticket upsert on PostgreSQL: `COPY` into a staging table, then one set-based upsert.
//!
//! In one transaction on a native connection (the `Any` driver has no `COPY`): the call's rows
//! are streamed in `COPY … FROM STDIN` text format into `pg_temp.ticket_staging` (a temporary
//! table of the session, emptied at each commit), then a single `INSERT … SELECT … ON CONFLICT`
//! moves them into `tickets` with the clause shared with SQLite, and counts the insertions and
//! replacements in the same statement. No per-row lookup is planned, so a freshly filled table
//! without statistics is no slower (the reason `refresh_statistics` once ran every 20,000
//! tickets).

use super::{on_conflict_clause, Prepared, UpsertCounts, WRITTEN};
use crate::error::StoreError;
use sqlx::{Executor, PgPool, Row};

/// Bytes of `COPY` data sent per message.
const SEND_EVERY: usize = 256 * 1024;

const STAGING: &str = "CREATE TEMPORARY TABLE IF NOT EXISTS ticket_staging (\
     org TEXT NOT NULL, source TEXT NOT NULL, ticket_id TEXT NOT NULL, \
     performance_external_id TEXT NOT NULL, price_cents BIGINT NOT NULL, \
     vat_rate TEXT NOT NULL, status TEXT NOT NULL, price_category TEXT, price_kind TEXT, \
     sold_at BIGINT, content_hash TEXT NOT NULL) ON COMMIT DELETE ROWS";

pub(super) async fn upsert(
    pool: &PgPool,
    org: &str,
    rows: &[Prepared<'_>],
) -> Result<UpsertCounts, StoreError> {
    if rows.is_empty() {
        return Ok(UpsertCounts::default());
    }
    let columns = WRITTEN.join(", ");
    let mut tx = pool.begin().await?;
    tx.execute(STAGING).await?;
    let mut copy = tx
        .copy_in_raw(&format!(
            "COPY pg_temp.ticket_staging ({columns}) FROM STDIN"
        ))
        .await?;
    let mut buffer = Vec::with_capacity(SEND_EVERY + 1024);
    // The crash tests' fault point once per `RELEVE_TEST_BATCH_ROWS` rows staged (as the
    // statement path has one per statement), then once before the upsert; all inside the
    // transaction, so a kill at any of them loses the batch whole.
    let step = crate::faults::batch_rows();
    for (i, p) in rows.iter().enumerate() {
        encode(&mut buffer, org, p);
        if step.is_some_and(|n| (i + 1) % n == 0 && i + 1 < rows.len()) {
            crate::faults::point("import.batch");
        }
        if buffer.len() >= SEND_EVERY {
            copy.send(buffer.as_slice()).await?;
            buffer.clear();
        }
    }
    copy.send(buffer.as_slice()).await?;
    let staged = copy.finish().await?;
    crate::faults::point("import.batch");
    let sql = format!(
        "WITH written AS (INSERT INTO tickets ({columns}) \
         SELECT {columns} FROM pg_temp.ticket_staging {}) \
         SELECT COUNT(*) FILTER (WHERE revision = 1) AS inserted, COUNT(*) AS written \
         FROM written",
        on_conflict_clause()
    );
    let done = sqlx::query(&sql).fetch_one(&mut *tx).await?;
    tx.commit().await?;
    let inserted: i64 = done.try_get("inserted")?;
    let written: i64 = done.try_get("written")?;
    Ok(UpsertCounts {
        inserted: inserted as u64,
        updated: (written - inserted) as u64,
        unchanged: staged - written as u64,
    })
}

/// One row in `COPY` text format: tab-separated, `\N` for NULL, backslash escapes.
fn encode(out: &mut Vec<u8>, org: &str, p: &Prepared<'_>) {
    let row = &p.row;
    let price = row.price_cents.to_string();
    let sold_at = row.sold_at.map(|s| s.to_string());
    let fields = [
        Some(org),
        Some(p.source),
        Some(p.ticket_id),
        Some(row.performance_external_id.as_str()),
        Some(price.as_str()),
        Some(row.vat_rate.as_str()),
        Some(row.status.as_str()),
        row.price_category.as_deref(),
        row.price_kind.as_deref(),
        sold_at.as_deref(),
        Some(p.hash.as_str()),
    ];
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b'\t');
        }
        match field {
            None => out.extend_from_slice(b"\\N"),
            Some(text) => escape(out, text),
        }
    }
    out.push(b'\n');
}

fn escape(out: &mut Vec<u8>, text: &str) {
    for &byte in text.as_bytes() {
        match byte {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(byte),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_format_escapes_separators_and_marks_nulls() {
        let mut out = Vec::new();
        escape(&mut out, "a\tb\\c\nd\re");
        assert_eq!(out, b"a\\tb\\\\c\\nd\\re");
    }
}
