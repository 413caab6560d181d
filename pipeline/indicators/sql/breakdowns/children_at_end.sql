-- Children of a family with an episode active on d1 who are a minor on d1 (birth <= d1 < birth + 18 years).
SELECT DISTINCT c.jednostka, c.id_dziecka, c.id_rodziny
FROM stg_children($unit) AS c
JOIN ({episodes_at_end}) AS e USING (jednostka, id_rodziny)
WHERE c.miesiac_urodzenia <= $d1 AND $d1 < CAST(c.miesiac_urodzenia + INTERVAL 18 YEAR AS DATE)
