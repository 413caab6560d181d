-- Episodes whose data_zakonczenia is in the period, with the full years of data_rozpoczecia .. data_zakonczenia.
SELECT jednostka, id_asystentury, id_rodziny, data_rozpoczecia, data_zakonczenia,
       full_years(data_rozpoczecia, data_zakonczenia) AS full_years
FROM stg_episodes($unit)
WHERE data_zakonczenia BETWEEN $d0 AND $d1
