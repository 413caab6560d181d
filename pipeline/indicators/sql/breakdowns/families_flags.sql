-- Each family supported in the period with three flags: counted by families_court_obliged, counted by
-- families_za_zyciem, and wielodzietna (rodziny, the current state).
SELECT f.jednostka, f.id_rodziny,
       c.id_rodziny IS NOT NULL AS court_obliged,
       z.id_rodziny IS NOT NULL AS za_zyciem,
       coalesce(r.wielodzietna, false) AS wielodzietna
FROM ({families_supported}) AS f
LEFT JOIN ({families_court_obliged}) AS c USING (jednostka, id_rodziny)
LEFT JOIN ({families_za_zyciem}) AS z USING (jednostka, id_rodziny)
LEFT JOIN stg_families($unit) AS r USING (jednostka, id_rodziny)
