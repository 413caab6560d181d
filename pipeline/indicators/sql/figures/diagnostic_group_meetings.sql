SELECT jednostka, id_dzialania, id_asystentury, data, coalesce(liczba, 1) AS liczba
FROM stg_activities($unit)
WHERE rodzaj = 'posiedzenie grupy diagnostyczno-pomocowej' AND data BETWEEN $d0 AND $d1
