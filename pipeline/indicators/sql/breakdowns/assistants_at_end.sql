-- Assistants employed on the period's last day d1 (employment d1 inclusive at both ends).
SELECT jednostka, id_asystenta, forma_zatrudnienia, system_czasu_pracy, wymiar_etatu
FROM stg_assistants($unit)
WHERE active_between(data_zatrudnienia, data_zakonczenia_zatrudnienia, $d1, $d1)
