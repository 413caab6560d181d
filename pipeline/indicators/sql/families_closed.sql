-- Families with an episode whose data_zakonczenia is in Y (even if another episode is active later).
WITH episodes AS (
    SELECT * FROM core.asystentury WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
)
SELECT DISTINCT jednostka, id_rodziny
FROM episodes
WHERE data_zakonczenia BETWEEN $d0 AND $d1
