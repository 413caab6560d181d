-- Episodes that ended in Y with their length data_zakonczenia - data_rozpoczecia + 1 (days).
WITH episodes AS (
    SELECT * FROM core.asystentury WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
)
SELECT jednostka, id_asystentury, id_rodziny, data_rozpoczecia, data_zakonczenia,
       data_zakonczenia - data_rozpoczecia + 1 AS days
FROM episodes
WHERE data_zakonczenia BETWEEN $d0 AND $d1
