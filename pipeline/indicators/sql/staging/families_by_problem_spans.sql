-- The records behind families_by_problem with the days they count on: each family and problem with the days s_from
-- .. s_to of d0 .. d1 on which the episode that has the problem is active.  The pair counts in a year when one of
-- its rows' s_from .. s_to overlaps the year (figures/families_by_problem.sql: those with a day in d0 .. d1; a
-- series of years expands each row to the years it overlaps once, `registry.spans_sql`).
SELECT e.jednostka, e.id_rodziny, p.problem,
       greatest(e.data_rozpoczecia, CAST($d0 AS DATE)) AS s_from,
       least(coalesce(e.data_zakonczenia, CAST($d1 AS DATE)), CAST($d1 AS DATE)) AS s_to
FROM stg_episodes($unit) AS e
JOIN stg_problems($unit) AS p ON p.jednostka = e.jednostka AND p.id_asystentury = e.id_asystentury
