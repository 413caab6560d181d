-- The distinct families of the children counted in children_returned_home.
SELECT DISTINCT jednostka, id_rodziny
FROM ({children_returned_home})
