//! releve-store: the database of releve, one code path for SQLite and PostgreSQL.
//!
//! # What the store owns
//!
//! Everything releve remembers between runs, per organisation: the organisations themselves,
//! the ledger of performances and tickets seen by ticketing sources, the programme rows, the
//! open quarantine, and the journal of runs. Collectors, declarations and indicators never
//! touch SQL; the binary calls the methods of [`Store`].
//!
//! Queries are runtime-checked (`sqlx::query` with `$1, $2, …` placeholders, no compile-time
//! macros) and go through the sqlx `Any` driver, so the same SQL serves both backends:
//! `sqlite://path/releve.db` (file and folder created if missing, WAL journal),
//! `sqlite::memory:` (tests, demo) and `postgres://user@host/db`.
//!
//! Portable storage conventions (keep them in new tables):
//! - every table has an `org` column (organisation slug) leading its key;
//! - money in integer cents (`BIGINT`): an amount with more than two decimals is refused, never
//!   rounded; instants in unix seconds UTC (`BIGINT`); VAT rates as `TEXT` (`"5.5"`);
//! - flags as `INTEGER` 0/1 and only `i64`/`i32`/`String`(+`Option`) bound or read: the `Any`
//!   driver cannot decode SQLite's `BOOLEAN` and has no decimal or date types;
//! - sort results in Rust, not with `ORDER BY` on text: PostgreSQL's collation and NULL
//!   ordering differ from SQLite's;
//! - imports are written many rows per statement inside one transaction (helpers in
//!   `batch.rs`: 100 rows on SQLite, 500 on PostgreSQL, under both bound-parameter limits);
//! - tickets, the one large import, compare each row with the stored one inside the upsert
//!   (a content hash, migration 0012) and, on PostgreSQL, go through `COPY` on a native
//!   connection (`tickets/copy.rs`): the only place the store leaves the `Any` driver;
//! - PostgreSQL sessions use `plan_cache_mode = force_custom_plan` (PostgreSQL 12 or later):
//!   generic plans made while an import's table is still empty turned 2 s into 80 s.
//!
//! # Tables (migration 0001)
//!
//! | table               | key                             | module          |
//! |---------------------|---------------------------------|-----------------|
//! | `organisations`     | `slug`                          | `organisations` |
//! | `performances`      | `org, source, external_id`      | `performances`  |
//! | `tickets`           | `org, source, ticket_id`        | `tickets`       |
//! | `programme_entries` | `org, source, position`         | `programme`     |
//! | `quarantine`        | `org, source, position`         | `quarantine`    |
//! | `runs`              | `id` (with `org`)               | `runs`          |
//! | `source_cursors`    | `org, source` (migration 0002)  | `sync`          |
//! | `raw_exchanges`     | `id` (with `org, source`)       | `sync`          |
//! | `declaration_versions` (0003) | `org, body, month, number` (`month`: a month or a SACD period) | `versions` |
//! | `audit_log` (0003)  | `id` (with `org`)               | `versions`      |
//! | `jobs` (0006)             | `id`; one active per `org, month, kind` | `jobs` |
//! | `payroll_engagements` (0004) | `org, source, employer_siret, month, position` | `payroll` |
//! | `pseudonym_salts` (0004) | `org`                      | `payroll`       |
//! | `users`, `memberships`, `funder_readers` (0005) | `id` / `user_id, org, role` | `accounts` |
//! | `sessions` (0005)   | `token_hash`                    | `sessions`      |
//! | `api_tokens` (0005) | `id` (unique `name`, `token_hash`) | `api_tokens` |
//! | `registry_answers` (0007) | `number` (public data: no `org`) | `registry` |
//! | `funder_shares`, `funder_downloads` (0009) | `org, funder` / `funder, org, season` | `funder_sharing` |
//! | `corrections` (0010) | `id` (with `org, target_kind, target_id, field`) | `corrections` |
//! | `push_requests` (0010) | `org, idempotency_key`       | `push_requests` |
//! | `outbox`, `outbox_exchanges` (0013) | `id` (unique `idempotency_key`) | `outbox` |
//! | `reminders` (0015) | `key` (with `org`)              | `reminders`     |
//! | `stored_credentials` (0008) | `org, name` (sealed values only) | `credentials` |
//!
//! Reserved migration numbers: 0002 (sync cursors, raw exchanges), 0003 (declaration versions,
//! audit log), 0004 (payroll engagements), 0005 (accounts, sessions, API tokens), 0006 (job
//! queue, audit hash chain), 0007 (company register cache), 0008 (stored credentials, sealed),
//! 0009 (funder sharing, funder downloads), 0010 (corrections, push requests), 0012 (tickets'
//! content hash and revision), 0013 (submission outbox), 0015 (reminders and run reports).
//!
//! # Adding a migration and a module
//!
//! 1. Write `migrations/sqlite/NNNN_name.sql` and `migrations/postgres/NNNN_name.sql` with the
//!    same number (both folders must stay in step; identity columns are the usual difference:
//!    `INTEGER PRIMARY KEY AUTOINCREMENT` vs `BIGINT GENERATED ALWAYS AS IDENTITY`). Never
//!    edit a released migration: sqlx checks their checksums.
//! 2. Add `src/<module>.rs` with an `impl Store { … }` block of its methods (see
//!    `quarantine.rs` for a short example) and declare it below.
//! 3. Test it with `test_support::each_backend`: each test is written
//!    once and runs on SQLite and, when `DATABASE_URL=postgres://…` is set, on PostgreSQL in a
//!    schema of its own.
//!
//! Migrations are embedded at build time (`sqlx::migrate!`, rebuilt by `build.rs` when a file
//! changes) and applied by [`Store::connect`].
//!
//! Not done yet: no foreign keys between tables (a ticket may be stored before its
//! performance; the organisation row is written by the binary from the configuration).

mod accounts;
mod api_tokens;
mod audit_chain;
pub mod backup;
mod batch;
mod codec;
mod connect;
mod corrections;
mod credentials;
mod error;
pub mod faults;
mod funder_sharing;
mod jobs;
mod organisations;
mod outbox;
mod payroll;
mod performances;
mod programme;
mod push_requests;
mod quarantine;
mod registry;
mod reminders;
mod runs;
mod sessions;
mod sync;
mod ticket_tallies;
mod tickets;
mod versions;

#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests;

pub use accounts::{normalise_email, Membership, UserRecord};
pub use api_tokens::ApiTokenRecord;
pub use audit_chain::{BrokenLink, ChainReport};
pub use connect::{Backend, Store};
pub use corrections::{CorrectionRecord, CorrectionTargetKind, NewCorrection};
pub use credentials::{Resealed, StoredCredential};
pub use error::StoreError;
pub use funder_sharing::{FunderDownload, FunderShare};
pub use jobs::{
    host_name, Enqueued, Job, JobFilter, JobOutcome, JobRequest, JobState, Worker, RUN as RUN_JOB,
};
pub use outbox::{
    backoff, idempotency_key, NewSubmission, OutboxExchange, OutboxRecord, OutboxState, Outcome,
    MAX_ATTEMPTS,
};
pub use push_requests::PushAnswer;
pub use registry::RegistryAnswer;
pub use reminders::{
    reminder_backoff, NewReminder, ReminderRecord, ReminderState, REMINDER_MAX_ATTEMPTS,
};
pub use runs::{RunOutcome, RunRecord};
pub use sessions::SessionRecord;
pub use sync::StoredExchange;
pub use tickets::UpsertCounts;
pub use versions::{
    Approval, AuditEntry, FileHash, Span, Submission, VersionError, VersionRecord, VersionStatus,
};

// Re-exported so that callers name the records the store keeps without another import.
pub use releve_domain::{Organisation, PerformanceRecord, ProgrammeEntry, Quarantined, Ticket};
