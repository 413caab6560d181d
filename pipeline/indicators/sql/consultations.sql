-- Sum of liczba (empty = 1) over dzialania of kind "konsultacja" dated in Y.
WITH activities AS (
    SELECT * FROM core.dzialania WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
)
SELECT jednostka, id_dzialania, id_asystentury, data, coalesce(liczba, 1) AS liczba
FROM activities
WHERE rodzaj = 'konsultacja' AND data BETWEEN $d0 AND $d1
