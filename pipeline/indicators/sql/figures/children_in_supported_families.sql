-- A child's minority runs from the first day of miesiac_urodzenia to the day before the 18th birthday.
WITH active_in_period AS (
    SELECT jednostka, id_rodziny, clip_from(data_rozpoczecia, $d0) AS active_from, clip_to(data_zakonczenia, $d1) AS active_to
    FROM stg_episodes($unit)
),
minority AS (
    SELECT jednostka, id_dziecka, id_rodziny, miesiac_urodzenia AS minor_from,
           CAST(miesiac_urodzenia + INTERVAL 18 YEAR AS DATE) - 1 AS minor_to
    FROM stg_children($unit)
)
SELECT DISTINCT m.jednostka, m.id_dziecka, m.id_rodziny
FROM minority AS m
JOIN active_in_period AS a USING (jednostka, id_rodziny)
WHERE a.active_from <= a.active_to
  AND greatest(a.active_from, m.minor_from) <= least(a.active_to, m.minor_to)
