-- Families with an episode that ended in Y, by przyczyna_zakonczenia (a family counts under each reason).
WITH episodes AS (
    SELECT * FROM core.asystentury WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
)
SELECT DISTINCT jednostka, id_rodziny, przyczyna_zakonczenia
FROM episodes
WHERE data_zakonczenia BETWEEN $d0 AND $d1
