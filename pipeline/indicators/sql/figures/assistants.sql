SELECT jednostka, id_asystenta
FROM stg_assistants($unit)
WHERE active_between(data_zatrudnienia, data_zakonczenia_zatrudnienia, $d0, $d1)
