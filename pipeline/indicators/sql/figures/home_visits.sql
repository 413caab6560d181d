SELECT jednostka, id_dzialania, id_asystentury, data, coalesce(liczba, 1) AS liczba
FROM stg_activities($unit)
WHERE rodzaj = 'wizyta w domu rodziny' AND data BETWEEN $d0 AND $d1
