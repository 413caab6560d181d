-- Current state of one table for every unit marked stale, by the merge rules of EXPORT_FORMAT.md:
--   * a record is (jednostka, table, id); the version from the export with the
--     latest data_eksportu wins, ties go to the export loaded later;
--   * once a `pełny` export of a unit is loaded, a record counts only if that full
--     export (the unit's latest one) or an export with a later data_eksportu holds it;
--     for an optional table, only a full export that holds the table counts (the load log's
--     row_counts has a key for every table an export gives whole; one that leaves an optional
--     table out leaves that table's records as they were).
-- Placeholders: {table}, {key}, {columns}.  One statement set for all stale units, so the
-- cost is one pass over the table per ingest chunk, not one per unit.
DELETE FROM core.{table} WHERE jednostka IN (SELECT jednostka FROM raw.stale_units);

INSERT INTO core.{table}
WITH exports AS (
    SELECT load_id, jednostka, data_eksportu, zakres,
           row_counts IS NULL OR json_exists(row_counts, '$.{table}') AS holds_table
    FROM raw.loads
    WHERE outcome = 'loaded' AND jednostka IN (SELECT jednostka FROM raw.stale_units)
),
cutoffs AS (
    SELECT jednostka, load_id AS cutoff_load, data_eksportu AS cutoff_date
    FROM exports
    WHERE zakres = 'pełny' AND holds_table
    QUALIFY row_number() OVER (PARTITION BY jednostka ORDER BY data_eksportu DESC, load_id DESC) = 1
),
versions AS (
    SELECT r.*, e.data_eksportu, c.cutoff_load, c.cutoff_date
    FROM raw.{table} AS r
    JOIN exports AS e USING (load_id)
    LEFT JOIN cutoffs AS c ON c.jednostka = e.jednostka
),
ranked AS (
    SELECT
        *,
        row_number() OVER (PARTITION BY jednostka, {key} ORDER BY data_eksportu DESC, load_id DESC) AS version_rank,
        bool_or(load_id = cutoff_load) OVER (PARTITION BY jednostka, {key}) AS held_by_cutoff
    FROM versions
)
SELECT jednostka, {columns}, load_id
FROM ranked
WHERE version_rank = 1
  AND (cutoff_load IS NULL OR held_by_cutoff OR data_eksportu > cutoff_date);
