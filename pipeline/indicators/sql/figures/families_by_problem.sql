-- One row per family and problem: a family counts under each of its problems, once per problem even
-- when two of its episodes in the period have it; only episodes with a day in the period count (the spans form).
SELECT DISTINCT jednostka, id_rodziny, problem
FROM ({families_by_problem_spans})
WHERE s_from <= s_to
