-- Children of a supported family who were a minor (birth <= d < birth + 18 years, birth = first day
-- of miesiac_urodzenia) on at least one day of Y on which that family had an active episode.
WITH episodes AS (
    SELECT * FROM core.asystentury WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
),
children AS (
    SELECT * FROM core.dzieci WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
),
active_in_year AS (
    SELECT
        jednostka,
        id_rodziny,
        greatest(data_rozpoczecia, CAST($d0 AS DATE)) AS active_from,
        least(coalesce(data_zakonczenia, CAST($d1 AS DATE)), CAST($d1 AS DATE)) AS active_to
    FROM episodes
),
minority AS (
    SELECT
        jednostka,
        id_dziecka,
        id_rodziny,
        miesiac_urodzenia AS minor_from,
        CAST(miesiac_urodzenia + INTERVAL 18 YEAR AS DATE) - 1 AS minor_to
    FROM children
)
SELECT DISTINCT m.jednostka, m.id_dziecka, m.id_rodziny
FROM minority AS m
JOIN active_in_year AS a USING (jednostka, id_rodziny)
WHERE a.active_from <= a.active_to
  AND greatest(a.active_from, m.minor_from) <= least(a.active_to, m.minor_to)
