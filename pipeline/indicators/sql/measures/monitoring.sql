-- Closures in Y whose 3-month monitoring window has passed by the unit's latest export, with whether
-- monitoring lasted at least 90 days after the closure.
WITH episodes AS (
    SELECT * FROM core.asystentury WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
),
horizon AS (
    SELECT jednostka, max(data_eksportu) AS observed_until FROM raw.loads WHERE outcome = 'loaded' GROUP BY jednostka
)
SELECT e.jednostka, e.id_asystentury, e.id_rodziny, e.data_zakonczenia, e.data_zakonczenia_monitoringu,
       coalesce(e.data_zakonczenia_monitoringu - e.data_zakonczenia >= 90, false) AS monitored
FROM episodes AS e JOIN horizon AS h USING (jednostka)
WHERE e.data_zakonczenia BETWEEN $d0 AND $d1 AND e.data_zakonczenia + 90 <= h.observed_until
