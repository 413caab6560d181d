-- Children counted for the period: those with a row of the spans form holding a day of d0 .. d1 (a minor on a day
-- on which the family's episode is active; the minority runs from the first day of miesiac_urodzenia to the day
-- before the 18th birthday).
SELECT DISTINCT jednostka, id_dziecka, id_rodziny
FROM ({children_in_supported_families_spans})
WHERE s_from <= s_to
