//! Submission of approved declarations through the store's durable outbox (`domain.md` §6,
//! issue 11): `releve submit` and, later, `serve` and the workspace's "Envoyer" button all go
//! through [`queue_and_process`] and [`process_due`].
//!
//! - Queuing ([`queue`]): the approved version's payload is fixed once, at queue time: the
//!   SIBIL declarations from the frozen model, the SACD XML, the SACEM PDF and the CNM/ASTP
//!   files found by the SHA-256 recorded at approval (so what leaves is exactly what was
//!   approved). One outbox row per (organisation, body, period, version, channel).
//! - Processing ([`process`]): each due row is claimed (one holder at a time), handed to its
//!   [`channel::Channel`], and finished as accepted, rejected, sent or failed (retried with
//!   backoff). Every exchange is stored without secrets. The version's lifecycle follows.
//! - Crash safety: a row left `sending` by a dead process is taken again; the SIBIL channel
//!   asks SIBIL what it holds (by `idExtBilletterie`) and updates instead of creating; SACD is
//!   idempotent on `rep_ref_dec` + `rep_version`; an e-mail carries the same `Message-ID` each
//!   time; deposit packages are rewritten identically. Kill points: [`fault`].
//!
//! Channels: `sibil_api` ([`sibil`]), `sacd_ws` ([`sacd`]), `email` ([`sacem`]; also the
//! separate row of a SACD bordereau's attachments, [`attachments`]), `depot` ([`deposit`]:
//! CNM, ASTP, and any body whose channel is not configured).

pub mod attachments;
pub mod channel;
pub mod command;
pub mod deposit;
pub mod fault;
pub mod process;
pub mod queue;
pub mod sacd;
pub mod sacem;
pub mod settings;
pub mod sibil;
pub mod worker;

pub use process::{process_due, SubmitReport};
pub use queue::{queue_and_process, QueueRequest};
