-- The records behind children_in_supported_families with the days they count on: each child with each episode of
-- its family, and the days s_from .. s_to of d0 .. d1 on which both hold (the episode is active and the child a
-- minor, from the first day of miesiac_urodzenia to the day before the 18th birthday).  The child counts in a year
-- when one of its rows' s_from .. s_to overlaps the year (figures/children_in_supported_families.sql: those with a
-- day in d0 .. d1; a series of years expands each row to the years it overlaps once, `registry.spans_sql`).
SELECT c.jednostka, c.id_dziecka, c.id_rodziny,
       greatest(e.data_rozpoczecia, c.miesiac_urodzenia, CAST($d0 AS DATE)) AS s_from,
       least(coalesce(e.data_zakonczenia, CAST($d1 AS DATE)), CAST(c.miesiac_urodzenia + INTERVAL 18 YEAR AS DATE) - 1,
             CAST($d1 AS DATE)) AS s_to
FROM stg_children($unit) AS c
JOIN stg_episodes($unit) AS e USING (jednostka, id_rodziny)
