-- Each day of Y: families with an active assignment summed over assistants, and the assistants
-- employed that day (head count and FTE).  Days with nobody employed are left out.
WITH assistants AS (
    SELECT * FROM core.asystenci WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
),
days AS (
    SELECT CAST(d AS DATE) AS day FROM range(CAST($d0 AS TIMESTAMP), CAST($d1 AS TIMESTAMP) + INTERVAL 1 DAY, INTERVAL 1 DAY) AS t(d)
),
segments AS (
    SELECT * FROM ({caseload_segments_in_year})
),
load AS (
    SELECT day, CAST(sum(families) AS BIGINT) AS families
    FROM days JOIN segments ON day BETWEEN seg_from AND seg_to
    GROUP BY day
),
staff AS (
    SELECT day, count(*) AS assistants, sum(wymiar_etatu) AS fte
    FROM days JOIN assistants
      ON data_zatrudnienia <= day AND (data_zakonczenia_zatrudnienia IS NULL OR day <= data_zakonczenia_zatrudnienia)
    GROUP BY day
)
SELECT s.day, coalesce(l.families, 0) AS families, s.assistants, s.fte
FROM staff AS s LEFT JOIN load AS l USING (day)
ORDER BY s.day
