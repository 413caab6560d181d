-- a day that the placement, the family's episode and the period all share
SELECT DISTINCT e.jednostka, e.id_rodziny
FROM stg_placements($unit) AS p
JOIN stg_children($unit) AS c USING (jednostka, id_dziecka)
JOIN stg_episodes($unit) AS e ON e.jednostka = c.jednostka AND e.id_rodziny = c.id_rodziny
WHERE greatest(p.data_umieszczenia, e.data_rozpoczecia, CAST($d0 AS DATE))
   <= least(coalesce(p.data_zakonczenia, CAST($d1 AS DATE)), coalesce(e.data_zakonczenia, CAST($d1 AS DATE)), CAST($d1 AS DATE))
