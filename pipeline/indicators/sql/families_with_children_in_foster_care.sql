-- Families with a child (of any age) whose placement was active on a day of Y
-- on which the family had an active episode.
WITH episodes AS (
    SELECT * FROM core.asystentury WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
),
children AS (
    SELECT * FROM core.dzieci WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
),
placements AS (
    SELECT * FROM core.piecza WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
)
SELECT DISTINCT e.jednostka, e.id_rodziny
FROM placements AS p
JOIN children AS c USING (jednostka, id_dziecka)
JOIN episodes AS e ON e.jednostka = c.jednostka AND e.id_rodziny = c.id_rodziny
WHERE greatest(p.data_umieszczenia, e.data_rozpoczecia, CAST($d0 AS DATE))
   <= least(coalesce(p.data_zakonczenia, CAST($d1 AS DATE)), coalesce(e.data_zakonczenia, CAST($d1 AS DATE)), CAST($d1 AS DATE))
