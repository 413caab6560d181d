SELECT DISTINCT jednostka, id_rodziny
FROM stg_episodes($unit)
WHERE active_between(data_rozpoczecia, data_zakonczenia, $d0, $d1)
