"""The per-performance figures of one month, by DuckDB, from a releve `tickets_csv` file.

Run by `benches/import.rs` (in a virtual environment it sets up) as the reference point of the
import benchmark:

    python duckdb_aggregate.py TICKETS_CSV MONTH OUT_JSON

It computes what releve's aggregates give per performance of MONTH (`YYYY-MM`, the local date
of `starts_at` as written in the file): valid paid tickets, valid free tickets, receipts VAT
included, and receipts VAT excluded — per VAT rate, incl / (1 + rate), rounded half up to the
cent, then summed (`domain/src/vat.rs`). Money is handled in integer cents (no floats), so the
figures can be compared with releve's to the cent. Prints `duckdb-seconds S` (the query alone,
file reading included) and writes the rows to OUT_JSON.
"""

import json
import sys
import time

import duckdb

QUERY = """
WITH t AS (
    SELECT performance_id,
           CAST(round(CAST(replace(replace(price_incl_vat, ' ', ''), ',', '.') AS DECIMAL(14, 2)) * 100) AS BIGINT) AS cents,
           CAST(round(CAST(coalesce(nullif(replace(vat_rate, ',', '.'), ''), '0') AS DECIMAL(6, 2)) * 10) AS BIGINT) AS permille
    FROM read_csv(?, header = true, all_varchar = true, delim = ',', quote = '"')
    WHERE status = 'valid' AND starts_at LIKE ? || '%'
), by_rate AS (
    SELECT performance_id, permille,
           count(*) FILTER (WHERE cents > 0) AS paid,
           count(*) FILTER (WHERE cents = 0) AS free,
           coalesce(sum(cents) FILTER (WHERE cents > 0), 0) AS incl
    FROM t GROUP BY performance_id, permille
)
SELECT performance_id,
       sum(paid)::BIGINT AS paid,
       sum(free)::BIGINT AS free,
       sum(incl)::BIGINT AS incl_cents,
       -- half up: floor((2 · incl · 1000 + d) / (2 · d)), d = 1000 + rate in per mille
       sum((2 * incl * 1000 + (1000 + permille)) // (2 * (1000 + permille)))::BIGINT AS excl_cents
FROM by_rate GROUP BY performance_id ORDER BY performance_id
"""


def main():
    path, month, out = sys.argv[1:4]
    start = time.perf_counter()
    rows = duckdb.connect().execute(QUERY, [path, month]).fetchall()
    seconds = time.perf_counter() - start
    figures = [
        {"performance_id": p, "paid": paid, "free": free, "incl_cents": incl, "excl_cents": excl}
        for (p, paid, free, incl, excl) in rows
    ]
    with open(out, "w", encoding="utf-8") as f:
        json.dump(figures, f)
    print(f"duckdb-seconds {seconds:.4f}")


if __name__ == "__main__":
    main()
