//! Multi-row statements: placeholder lists and batch sizes.
//!
//! Imports carry 100k+ rows, so rows are written a hundred or more per statement. SQLite
//! refuses a statement with more than 32 766 bound parameters (the bundled library's default)
//! and PostgreSQL more than 65 535; batches stay well under both.

use crate::connect::Backend;

/// At most this many bound parameters per statement.
const MAX_PARAMS: usize = 30_000;

/// Rows per statement for a table written with `columns` bound values per row.
///
/// Measured on 100 000 tickets (10 columns): sqlx's SQLite driver slows down more than
/// linearly with the parameters of one statement (500 rows: 6 s, 100 rows: 1.9 s, 50 rows:
/// 1.2 s, debug build), while PostgreSQL pays a round trip per statement (100 rows: 5 s,
/// 500 rows: 2 s).
pub(crate) fn rows_per_statement(backend: Backend, columns: usize) -> usize {
    let max_rows = match backend {
        Backend::Sqlite => 100,
        Backend::Postgres => 500,
    };
    let max_rows = crate::faults::batch_rows().unwrap_or(max_rows);
    (MAX_PARAMS / columns.max(1)).clamp(1, max_rows)
}

/// `($first, …), (…)`: `rows` tuples of `columns` numbered placeholders, starting at `$first`.
pub(crate) fn values_list(rows: usize, columns: usize, first: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 6);
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for column in 0..columns {
            if column > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&(first + row * columns + column).to_string());
        }
        sql.push(')');
    }
    sql
}

/// `$first, $first+1, …`: `count` placeholders for an `IN (…)` list.
pub(crate) fn placeholder_list(count: usize, first: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_row_by_row() {
        assert_eq!(values_list(2, 3, 2), "($2, $3, $4), ($5, $6, $7)");
        assert_eq!(placeholder_list(3, 4), "$4, $5, $6");
    }

    #[test]
    fn batches_respect_the_parameter_limit() {
        // 10 columns × 500 rows = 5 000 parameters: the row cap binds first.
        assert_eq!(rows_per_statement(Backend::Postgres, 10), 500);
        assert_eq!(rows_per_statement(Backend::Sqlite, 10), 100);
        // 100 columns: 30 000 / 100 = 300 rows.
        assert_eq!(rows_per_statement(Backend::Postgres, 100), 300);
        assert_eq!(rows_per_statement(Backend::Sqlite, 40_000), 1);
    }
}
