-- Families with an episode that ended in Y with reason "osiągnięcie celów".
WITH episodes AS (
    SELECT * FROM core.asystentury WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
)
SELECT DISTINCT jednostka, id_rodziny
FROM episodes
WHERE data_zakonczenia BETWEEN $d0 AND $d1
  AND przyczyna_zakonczenia = 'osiągnięcie celów'
