SELECT DISTINCT jednostka, id_rodziny
FROM ({children_returned_home})
