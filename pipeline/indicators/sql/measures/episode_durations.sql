-- Every episode with its length in days (start and end inclusive) and whether it ended;
-- an ongoing episode is censored at its unit's latest export date.
SELECT
    e.jednostka, e.id_asystentury, e.id_rodziny, year(e.data_rozpoczecia) AS start_year,
    coalesce(e.data_zakonczenia, h.observed_until) - e.data_rozpoczecia + 1 AS days,
    e.data_zakonczenia IS NOT NULL AS ended
FROM stg_episodes($unit) AS e JOIN stg_observed_until() AS h USING (jednostka)
