SELECT jednostka, id_asystentury, id_rodziny, data_rozpoczecia, data_zakonczenia,
       data_zakonczenia - data_rozpoczecia + 1 AS days
FROM stg_episodes($unit)
WHERE data_zakonczenia BETWEEN $d0 AND $d1
