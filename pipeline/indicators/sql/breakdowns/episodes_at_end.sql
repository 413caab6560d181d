-- Episodes active on the period's last day d1 (an episode that ends on d1 is still active that day), with the
-- full years from their start to d1.  A family's episodes never overlap, so there is one per family.
SELECT jednostka, id_asystentury, id_rodziny, data_rozpoczecia, full_years(data_rozpoczecia, CAST($d1 AS DATE)) AS full_years
FROM stg_episodes($unit)
WHERE active_between(data_rozpoczecia, data_zakonczenia, $d1, $d1)
