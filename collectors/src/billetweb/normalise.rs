//! Pure mapping of stored Billetweb exchanges to records.

use crate::api::RawExchange;
use crate::Record;

pub fn normalise(_source_key: &str, _raw: &[RawExchange]) -> Vec<Record> {
    Vec::new()
}
