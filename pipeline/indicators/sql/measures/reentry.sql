-- Closures in the period whose next 12 months are already observed (closure + 365 days <= the unit's
-- latest export date), with whether the family started a new episode within those 365 days.
WITH closures AS (
    SELECT e.jednostka, e.id_asystentury, e.id_rodziny, e.data_zakonczenia, e.przyczyna_zakonczenia
    FROM stg_episodes($unit) AS e JOIN stg_observed_until() AS h USING (jednostka)
    WHERE e.data_zakonczenia BETWEEN $d0 AND $d1 AND e.data_zakonczenia + 365 <= h.observed_until
)
SELECT
    c.*,
    EXISTS (
        SELECT 1 FROM stg_episodes($unit) AS n
        WHERE n.jednostka = c.jednostka AND n.id_rodziny = c.id_rodziny
          AND n.data_rozpoczecia > c.data_zakonczenia AND n.data_rozpoczecia <= c.data_zakonczenia + 365
    ) AS reentered
FROM closures AS c
