-- Each assistant's runs of days in the period with a constant number of distinct families whose
-- episode has an active assignment to them (data_od <= d <= data_do, an empty data_do meaning the
-- end of the episode).  Across units the unit is part of the assistant's id.
WITH assignment_days AS (
    SELECT
        a.jednostka AS grp,
        a.id_asystenta,
        e.id_rodziny,
        clip_from(a.data_od, $d0) AS d_from,
        clip_to(coalesce(a.data_do, e.data_zakonczenia), $d1) AS d_to
    FROM stg_assignments($unit) AS a
    JOIN stg_episodes($unit) AS e USING (jednostka, id_asystentury)
)
SELECT grp AS jednostka, id_asystenta, seg_from, seg_to, families, seg_to - seg_from + 1 AS days
FROM ({caseload_sweep})
