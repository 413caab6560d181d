WITH returns AS (
    SELECT p.jednostka, p.id_dziecka, c.id_rodziny, p.data_zakonczenia AS returned_on
    FROM stg_placements($unit) AS p
    JOIN stg_children($unit) AS c USING (jednostka, id_dziecka)
    WHERE p.data_zakonczenia BETWEEN $d0 AND $d1
      AND p.przyczyna_zakonczenia = 'powrót do rodziny biologicznej'
)
SELECT DISTINCT r.jednostka, r.id_dziecka, r.id_rodziny
FROM returns AS r
WHERE EXISTS (
    SELECT 1 FROM stg_episodes($unit) AS e
    WHERE e.jednostka = r.jednostka AND e.id_rodziny = r.id_rodziny
      AND active_between(e.data_rozpoczecia, e.data_zakonczenia, r.returned_on, r.returned_on)
)
