-- Families with an episode that overlaps Y.
WITH episodes AS (
    SELECT * FROM core.asystentury WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
)
SELECT DISTINCT jednostka, id_rodziny
FROM episodes
WHERE data_rozpoczecia <= $d1 AND (data_zakonczenia IS NULL OR data_zakonczenia >= $d0)
