-- Entry cohorts of placements (INDICATORS.md, "Entry cohorts"): placements whose child's family had an
-- active episode on the placement day, with the placement year, the time in days (both ends inclusive)
-- and the outcome: 'returned' (back to the biological family), 'other', or NULL (ongoing: censored at
-- the unit's latest export date).
SELECT
    p.jednostka, p.id_umieszczenia AS id, p.data_umieszczenia AS start_day, year(p.data_umieszczenia) AS start_year,
    CAST(coalesce(p.data_zakonczenia, h.observed_until) - p.data_umieszczenia + 1 AS BIGINT) AS days,
    CASE WHEN p.data_zakonczenia IS NULL THEN NULL
         WHEN p.przyczyna_zakonczenia = 'powrót do rodziny biologicznej' THEN 'returned' ELSE 'other' END AS outcome,
    h.observed_until
FROM stg_placements($unit) AS p
JOIN stg_children($unit) AS c USING (jednostka, id_dziecka)
JOIN stg_observed_until() AS h USING (jednostka)
WHERE EXISTS (
    SELECT 1 FROM stg_episodes($unit) AS e
    WHERE e.jednostka = p.jednostka AND e.id_rodziny = c.id_rodziny
      AND active_between(e.data_rozpoczecia, e.data_zakonczenia, p.data_umieszczenia, p.data_umieszczenia)
)
