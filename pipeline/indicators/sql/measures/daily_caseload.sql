-- Each day of the period: families with an active assignment summed over assistants, and the
-- assistants employed that day (head count and FTE).  Days with nobody employed are left out.
WITH days AS (
    SELECT CAST(d AS DATE) AS day FROM range(CAST($d0 AS TIMESTAMP), CAST($d1 AS TIMESTAMP) + INTERVAL 1 DAY, INTERVAL 1 DAY) AS t(d)
),
load AS (
    SELECT day, CAST(sum(families) AS BIGINT) AS families
    FROM days JOIN ({caseload_in_period}) AS s ON day BETWEEN s.seg_from AND s.seg_to
    GROUP BY day
),
staff AS (
    SELECT day, count(*) AS assistants, sum(wymiar_etatu) AS fte
    FROM days JOIN stg_assistants($unit) AS a
      ON active_between(a.data_zatrudnienia, a.data_zakonczenia_zatrudnienia, day, day)
    GROUP BY day
)
SELECT s.day, coalesce(l.families, 0) AS families, s.assistants, s.fte
FROM staff AS s LEFT JOIN load AS l USING (day)
ORDER BY s.day
