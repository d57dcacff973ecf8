//! releve-collectors: everything that reads outside data.
//!
//! Each source lives in its own folder with a module doc stating its contract (format or API,
//! auth, paging, limits, quirks). A collector fetches (file or HTTP I/O, raw data kept) then
//! normalises (pure) into domain [`Record`]s; a record that cannot be mapped becomes
//! [`Record::Quarantined`] with its raw payload and a reason in French — nothing is dropped,
//! nothing is guessed. File collectors stream: memory does not grow with the file size.
//!
//! The list of source kinds is static ([`SourceKind`]); the `releve` binary wires each
//! configured source to its collector and the store.

pub mod error;
pub mod record;
pub mod source;

pub mod csv_input;
pub mod programme_csv;
pub mod tickets_csv;

pub mod api;
pub mod http;
pub mod replay;

pub mod exact_number;

pub mod dsn;
pub mod payroll_csv;
pub mod payroll_source;
pub mod programme_ical;
pub mod programme_jsonld;
pub mod programme_row;
pub mod programme_sheets;
pub mod push;

pub mod billetweb;
pub mod helloasso;
pub mod mapado;
pub mod shotgun;
pub mod supersoniks;
pub mod weezevent;

pub use error::CollectorError;
pub use record::Record;
pub use source::{SourceKind, SourceSpec};
