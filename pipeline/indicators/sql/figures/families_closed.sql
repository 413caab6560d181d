SELECT DISTINCT jednostka, id_rodziny
FROM stg_episodes($unit)
WHERE data_zakonczenia BETWEEN $d0 AND $d1
