-- One row per family and problem: a family counts under each of its problems, once per problem even
-- when two of its episodes in the period have it; only episodes that overlap the period count.
SELECT DISTINCT e.jednostka, e.id_rodziny, p.problem
FROM stg_episodes($unit) AS e
JOIN stg_problems($unit) AS p ON p.jednostka = e.jednostka AND p.id_asystentury = e.id_asystentury
WHERE active_between(e.data_rozpoczecia, e.data_zakonczenia, $d0, $d1)
