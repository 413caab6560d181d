-- Families with an episode that overlaps Y, has zobowiazanie_sadu true and data_postanowienia_sadu <= d1.
WITH episodes AS (
    SELECT * FROM core.asystentury WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
)
SELECT DISTINCT jednostka, id_rodziny
FROM episodes
WHERE data_rozpoczecia <= $d1 AND (data_zakonczenia IS NULL OR data_zakonczenia >= $d0)
  AND zobowiazanie_sadu
  AND data_postanowienia_sadu <= $d1
