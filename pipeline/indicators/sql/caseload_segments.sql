-- Each assistant's runs of days in Y with a constant number of distinct families whose
-- episode has an active assignment to them (data_od <= d <= data_do, an empty data_do
-- meaning the end of the episode).  Across units the unit is part of the assistant's id.
WITH episodes AS (
    SELECT * FROM core.asystentury WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
),
assignments AS (
    SELECT * FROM core.przydzialy WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
),
assignment_days AS (
    SELECT
        a.jednostka AS grp,
        a.id_asystenta,
        e.id_rodziny,
        greatest(a.data_od, CAST($d0 AS DATE)) AS d_from,
        least(coalesce(a.data_do, e.data_zakonczenia, CAST($d1 AS DATE)), CAST($d1 AS DATE)) AS d_to
    FROM assignments AS a
    JOIN episodes AS e USING (jednostka, id_asystentury)
)
SELECT grp AS jednostka, id_asystenta, seg_from, seg_to, families, seg_to - seg_from + 1 AS days
FROM ({caseload_segments})
