-- A project belongs to the year in which it ended (data_do), whenever it started.
SELECT jednostka, id_projektu, nazwa, rodzaj, data_od, data_do, liczba_dzieci, liczba_rodzin
FROM stg_projects($unit)
WHERE data_do BETWEEN $d0 AND $d1
