//! Conversions between domain values and the portable column types: instants as unix seconds,
//! flags as 0/1 integers. Only `i64`, `i32`, `String` and their `Option`s cross the `Any`
//! driver, because those are the types both backends encode and decode identically.

use crate::error::StoreError;
use chrono::{DateTime, Utc};

/// Unix seconds; sub-second precision is dropped (no source gives more than seconds).
pub(crate) fn instant_to_db(instant: DateTime<Utc>) -> i64 {
    instant.timestamp()
}

pub(crate) fn instant_from_db(
    seconds: i64,
    table: &'static str,
    key: impl FnOnce() -> String,
) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp(seconds, 0).ok_or_else(|| StoreError::Corrupt {
        table,
        key: key(),
        detail: format!("instant hors limites : {seconds}"),
    })
}

pub(crate) fn flag_to_db(flag: bool) -> i32 {
    i32::from(flag)
}

pub(crate) fn flag_from_db(value: i64) -> bool {
    value != 0
}

/// A stored `u32`/`u64` that must fit back.
pub(crate) fn unsigned_from_db<T: TryFrom<i64>>(
    value: i64,
    table: &'static str,
    key: impl FnOnce() -> String,
) -> Result<T, StoreError> {
    T::try_from(value).map_err(|_| StoreError::Corrupt {
        table,
        key: key(),
        detail: format!("entier hors limites : {value}"),
    })
}
