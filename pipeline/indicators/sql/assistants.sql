-- Assistants whose employment (data_zatrudnienia .. data_zakonczenia_zatrudnienia, inclusive) overlaps Y.
WITH assistants AS (
    SELECT * FROM core.asystenci WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
)
SELECT jednostka, id_asystenta
FROM assistants
WHERE data_zatrudnienia <= $d1
  AND (data_zakonczenia_zatrudnienia IS NULL OR data_zakonczenia_zatrudnienia >= $d0)
