-- a day that the placement, the family's episode and the period all share
-- (each placement with its child's family first: joined to the episodes by unit and family, never by unit alone)
WITH placed AS MATERIALIZED (
    SELECT c.jednostka, c.id_rodziny, p.data_umieszczenia, p.data_zakonczenia
    FROM stg_placements($unit) AS p
    JOIN stg_children($unit) AS c USING (jednostka, id_dziecka)
)
SELECT DISTINCT e.jednostka, e.id_rodziny
FROM placed AS p
JOIN stg_episodes($unit) AS e ON e.jednostka = p.jednostka AND e.id_rodziny = p.id_rodziny
WHERE greatest(p.data_umieszczenia, e.data_rozpoczecia, CAST($d0 AS DATE))
   <= least(coalesce(p.data_zakonczenia, CAST($d1 AS DATE)), coalesce(e.data_zakonczenia, CAST($d1 AS DATE)), CAST($d1 AS DATE))
