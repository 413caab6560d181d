-- Each family supported in the period with the number of its children counted by
-- children_in_supported_families (a minor on a day of the period on which the family had an active episode).
SELECT f.jednostka, f.id_rodziny, count(c.id_dziecka) AS children
FROM ({families_supported}) AS f
LEFT JOIN ({children_in_supported_families}) AS c USING (jednostka, id_rodziny)
GROUP BY ALL
