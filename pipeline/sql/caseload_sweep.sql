-- Caseload segments: for each assistant, the runs of days with a constant number
-- of distinct families whose episode has an active assignment to them.
-- Input relation (placeholder "intervals"): grp, id_asystenta, id_rodziny, d_from, d_to (inclusive days).
-- Output: grp, id_asystenta, seg_from, seg_to (inclusive), families (> 0).
WITH intervals AS (
    SELECT grp, id_asystenta, id_rodziny, d_from, d_to
    FROM {intervals}
    WHERE d_from <= d_to
),
ordered AS (
    -- two assignments of one assistant to one family count once: merge them
    SELECT
        *,
        max(d_to) OVER (
            PARTITION BY grp, id_asystenta, id_rodziny ORDER BY d_from, d_to
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ) AS previous_to
    FROM intervals
),
islands AS (
    SELECT
        *,
        sum(CASE WHEN previous_to IS NULL OR d_from > previous_to + 1 THEN 1 ELSE 0 END) OVER (
            PARTITION BY grp, id_asystenta, id_rodziny ORDER BY d_from, d_to
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS island
    FROM ordered
),
merged AS (
    SELECT grp, id_asystenta, id_rodziny, min(d_from) AS d_from, max(d_to) AS d_to
    FROM islands
    GROUP BY grp, id_asystenta, id_rodziny, island
),
events AS (
    SELECT grp, id_asystenta, d_from AS day, 1 AS delta FROM merged
    UNION ALL
    SELECT grp, id_asystenta, d_to + 1 AS day, -1 AS delta FROM merged
),
steps AS (
    SELECT grp, id_asystenta, day, sum(delta) AS delta
    FROM events
    GROUP BY grp, id_asystenta, day
),
segments AS (
    SELECT
        grp,
        id_asystenta,
        day AS seg_from,
        lead(day) OVER (PARTITION BY grp, id_asystenta ORDER BY day) - 1 AS seg_to,
        CAST(sum(delta) OVER (
            PARTITION BY grp, id_asystenta ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS BIGINT) AS families
    FROM steps
)
SELECT grp, id_asystenta, seg_from, seg_to, families
FROM segments
WHERE families > 0
