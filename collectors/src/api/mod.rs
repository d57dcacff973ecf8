//! Framework shared by the vendor API collectors (Billetweb, HelloAsso, Mapado, Shotgun,
//! Supersoniks/SoTicket, Weezevent).
//!
//! - [`credentials`]: secrets read from `PREFIX_*` environment variables (`formats.md` §2),
//!   held as `secrecy` strings; a missing variable is a French error naming it.
//! - [`collector`]: the [`ApiCollector`] trait (`check`, `fetch` = HTTP only, keeps raw pages;
//!   `normalise` = pure) and the static dispatch over the registered kinds ([`AnyApiCollector`]).
//! - [`raw`]: [`RawExchange`], one scrubbed request and its answer, kept by the store so a
//!   mapping fix re-normalises without calling the vendor again ([`normalise_stored`]).
//! - [`sync`]: the entry point the binary calls: cursor in, records + raw exchanges + new
//!   cursor out. The cursor is the start of the sync and only moves when the sync succeeded;
//!   the first sync reads 13 months back; collectors re-read every changed performance fully,
//!   so a late refund replaces the ticket it refunds.
//! - [`json`]: body parsing whose errors name the vendor, the endpoint and the JSON path.
//! - [`compliance`]: the scenarios every registered collector must be tested in.

pub mod collector;
pub mod compliance;
pub mod credentials;
#[cfg(test)]
mod equivalence;
pub mod error;
pub mod json;
pub mod mapping;
pub mod raw;
pub mod sync;
#[cfg(test)]
pub(crate) mod testing;

pub use collector::{
    base_url_of, normalise_stored, AnyApiCollector, ApiCollector, ApiContext, REGISTERED,
};
pub use compliance::Scenario;
pub use credentials::{Credentials, EnvLookup, ProcessEnv};
pub use error::ApiError;
pub use raw::RawExchange;
pub use sync::{check, first_sync_start, sync, sync_each, SyncOutcome};
