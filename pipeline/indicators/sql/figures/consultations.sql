SELECT jednostka, id_dzialania, id_asystentury, data, liczba
FROM ({activities_in_period})
WHERE rodzaj = 'konsultacja'
