-- Bulk ticket import (issue 12). Keep in step with ../postgres/0012_ticket_hash.sql.
--
-- content_hash: SHA-256 (first 16 bytes, hex) of the ticket's stored values (every column but
-- the key, `tickets.rs`), so that an import compares a ticket with its stored row inside the
-- upsert (`ON CONFLICT … DO UPDATE … WHERE` the hash differs) instead of fetching the row.
-- NULL means "unknown": rows stored before this migration, and rows changed by a statement
-- that does not compute the hash (a push's cancellation). Such a row is compared column by
-- column, so an unchanged ticket is never rewritten nor counted as changed.
-- revision: 1 when the ticket was first stored, one more each time its values changed; the
-- import tells an insertion (revision 1) from a replacement by it.
ALTER TABLE tickets ADD COLUMN content_hash TEXT;
ALTER TABLE tickets ADD COLUMN revision BIGINT NOT NULL DEFAULT 1;
