-- Assistants employed on at least one day of the period, with the days of the period they were employed
-- (data_zatrudnienia .. data_zakonczenia_zatrudnienia, the last day worked, inclusive).
SELECT jednostka, id_asystenta, forma_zatrudnienia, system_czasu_pracy, wymiar_etatu,
       clip_to(data_zakonczenia_zatrudnienia, $d1) - clip_from(data_zatrudnienia, $d0) + 1 AS days
FROM stg_assistants($unit)
WHERE active_between(data_zatrudnienia, data_zakonczenia_zatrudnienia, $d0, $d1)
