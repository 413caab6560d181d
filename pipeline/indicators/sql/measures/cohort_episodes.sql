-- Entry cohorts of episodes (INDICATORS.md, "Entry cohorts"): every episode of the unit with its start
-- year, its time in days (start and end inclusive) and its outcome: 'goals' (closed with goals achieved),
-- 'other' (closed for any other reason) or NULL (ongoing: censored at the unit's latest export date).  Members whose
-- start day the unit's exports do not cover are left out by indicators/cohorts.py (only the survivors are seen).
SELECT
    e.jednostka, e.id_asystentury AS id, e.data_rozpoczecia AS start_day, year(e.data_rozpoczecia) AS start_year,
    CAST(coalesce(e.data_zakonczenia, h.observed_until) - e.data_rozpoczecia + 1 AS BIGINT) AS days,
    CASE WHEN e.data_zakonczenia IS NULL THEN NULL
         WHEN e.przyczyna_zakonczenia = 'osiągnięcie celów' THEN 'goals' ELSE 'other' END AS outcome,
    h.observed_until
FROM stg_episodes($unit) AS e JOIN stg_observed_until() AS h USING (jednostka)
