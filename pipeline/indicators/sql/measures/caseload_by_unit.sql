-- Per unit: the mean over the days of the period of (families with an active assignment, summed over
-- assistants) / (the summed wymiar_etatu of the assistants employed that day), and the same per head;
-- days with nobody employed are left out (as in daily_caseload.sql, for every unit at once).
WITH days AS (
    SELECT CAST(d AS DATE) AS day FROM range(CAST($d0 AS TIMESTAMP), CAST($d1 AS TIMESTAMP) + INTERVAL 1 DAY, INTERVAL 1 DAY) AS t(d)
),
load AS (
    SELECT s.jednostka, day, CAST(sum(families) AS BIGINT) AS families
    FROM days JOIN ({caseload_in_period}) AS s ON day BETWEEN s.seg_from AND s.seg_to
    GROUP BY ALL
),
staff AS (
    SELECT a.jednostka, day, count(*) AS assistants, sum(wymiar_etatu) AS fte
    FROM days JOIN stg_assistants($unit) AS a
      ON active_between(a.data_zatrudnienia, a.data_zakonczenia_zatrudnienia, day, day)
    GROUP BY ALL
)
SELECT s.jednostka,
       avg(coalesce(l.families, 0) / s.fte) AS families_per_fte,
       avg(coalesce(l.families, 0) / s.assistants) AS families_per_assistant,
       avg(s.fte) AS mean_fte,
       count(*) AS days
FROM staff AS s LEFT JOIN load AS l USING (jednostka, day)
GROUP BY s.jednostka
