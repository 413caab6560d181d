-- Current state of one table for one unit, by the merge rules of EXPORT_FORMAT.md:
--   * a record is (jednostka, table, id); the version from the export with the
--     latest data_eksportu wins, ties go to the export loaded later;
--   * once a `pełny` export is loaded, a record counts only if that full export
--     (the latest one) or an export with a later data_eksportu holds it.
-- Placeholders: {table}, {key}, {columns}.  Parameter: $unit.
DELETE FROM core.{table} WHERE jednostka = $unit;

INSERT INTO core.{table}
WITH exports AS (
    SELECT load_id, data_eksportu
    FROM raw.loads
    WHERE outcome = 'loaded' AND jednostka = $unit
),
cutoff AS (
    SELECT load_id, data_eksportu
    FROM raw.loads
    WHERE outcome = 'loaded' AND jednostka = $unit AND zakres = 'pełny'
    ORDER BY data_eksportu DESC, load_id DESC
    LIMIT 1
),
versions AS (
    SELECT r.*, e.data_eksportu
    FROM raw.{table} AS r
    JOIN exports AS e USING (load_id)
    WHERE r.jednostka = $unit
),
ranked AS (
    SELECT
        *,
        row_number() OVER (PARTITION BY {key} ORDER BY data_eksportu DESC, load_id DESC) AS version_rank,
        bool_or(load_id = (SELECT load_id FROM cutoff)) OVER (PARTITION BY {key}) AS held_by_cutoff
    FROM versions
)
SELECT jednostka, {columns}, load_id
FROM ranked
WHERE version_rank = 1
  AND (
      NOT EXISTS (SELECT 1 FROM cutoff)
      OR held_by_cutoff
      OR data_eksportu > (SELECT data_eksportu FROM cutoff)
  );
