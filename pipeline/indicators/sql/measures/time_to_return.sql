-- Children returned home in Y (as in children_returned_home) with the days from the start of the
-- family's active episode to the return (both inclusive).
WITH episodes AS (
    SELECT * FROM core.asystentury WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
),
returns AS (
    SELECT p.jednostka, p.id_dziecka, c.id_rodziny, p.data_zakonczenia AS returned_on
    FROM core.piecza AS p JOIN core.dzieci AS c USING (jednostka, id_dziecka)
    WHERE (CAST($unit AS VARCHAR) IS NULL OR p.jednostka = $unit)
      AND p.data_zakonczenia BETWEEN $d0 AND $d1
      AND p.przyczyna_zakonczenia = 'powrót do rodziny biologicznej'
)
SELECT r.jednostka, r.id_dziecka, r.id_rodziny, e.id_asystentury, r.returned_on - e.data_rozpoczecia + 1 AS days
FROM returns AS r
JOIN episodes AS e
  ON e.jednostka = r.jednostka AND e.id_rodziny = r.id_rodziny
 AND e.data_rozpoczecia <= r.returned_on AND (e.data_zakonczenia IS NULL OR r.returned_on <= e.data_zakonczenia)
