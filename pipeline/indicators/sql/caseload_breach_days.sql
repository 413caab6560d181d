-- Assistant-days in Y with more families than the legal limit ($limit).
SELECT * FROM ({caseload_segments_in_year}) WHERE families > $limit
