-- Families with an episode active on 31 December of Y, with the date of the episode's latest assessment
-- on or before that day.
WITH episodes AS (
    SELECT * FROM core.asystentury WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
),
assessments AS (
    SELECT * FROM core.oceny WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
)
SELECT e.jednostka, e.id_rodziny, e.id_asystentury, max(a.data_oceny) AS last_assessment
FROM episodes AS e
LEFT JOIN assessments AS a ON a.jednostka = e.jednostka AND a.id_asystentury = e.id_asystentury AND a.data_oceny <= $d1
WHERE e.data_rozpoczecia <= $d1 AND (e.data_zakonczenia IS NULL OR e.data_zakonczenia >= $d1)
GROUP BY ALL
