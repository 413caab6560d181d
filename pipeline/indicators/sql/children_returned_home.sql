-- Children with a placement whose data_zakonczenia is in Y, with reason "powrót do rodziny
-- biologicznej", where the child's family had an active episode on that very day.
WITH episodes AS (
    SELECT * FROM core.asystentury WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
),
children AS (
    SELECT * FROM core.dzieci WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
),
placements AS (
    SELECT * FROM core.piecza WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
),
returns AS (
    SELECT p.jednostka, p.id_dziecka, c.id_rodziny, p.data_zakonczenia AS returned_on
    FROM placements AS p
    JOIN children AS c USING (jednostka, id_dziecka)
    WHERE p.data_zakonczenia BETWEEN $d0 AND $d1
      AND p.przyczyna_zakonczenia = 'powrót do rodziny biologicznej'
)
SELECT DISTINCT r.jednostka, r.id_dziecka, r.id_rodziny
FROM returns AS r
WHERE EXISTS (
    SELECT 1 FROM episodes AS e
    WHERE e.jednostka = r.jednostka AND e.id_rodziny = r.id_rodziny
      AND e.data_rozpoczecia <= r.returned_on
      AND (e.data_zakonczenia IS NULL OR r.returned_on <= e.data_zakonczenia)
)
