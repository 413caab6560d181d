-- Every episode with its length in days (start and end inclusive) and whether it ended;
-- an ongoing episode is censored at its unit's latest export date.
WITH episodes AS (
    SELECT * FROM core.asystentury WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
),
horizon AS (
    SELECT jednostka, max(data_eksportu) AS censored_on FROM raw.loads WHERE outcome = 'loaded' GROUP BY jednostka
)
SELECT
    e.jednostka, e.id_asystentury, e.id_rodziny, year(e.data_rozpoczecia) AS start_year,
    coalesce(e.data_zakonczenia, h.censored_on) - e.data_rozpoczecia + 1 AS days,
    e.data_zakonczenia IS NOT NULL AS ended
FROM episodes AS e JOIN horizon AS h USING (jednostka)
