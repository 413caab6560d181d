-- The work log's records dated in the period, each with its count (an empty liczba counts as 1).  The figures of one
-- kind of activity (advice_sessions, consultations, ...) pick theirs by rodzaj, so that a series of years can sum
-- every kind of its whole span in one scan of the work log (registry: `Indicator.activity_kind`).
SELECT jednostka, id_dzialania, id_asystentury, rodzaj, data, coalesce(liczba, 1) AS liczba
FROM stg_activities($unit)
WHERE data BETWEEN $d0 AND $d1
