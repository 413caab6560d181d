SELECT DISTINCT jednostka, id_rodziny, przyczyna_zakonczenia
FROM stg_episodes($unit)
WHERE data_zakonczenia BETWEEN $d0 AND $d1
