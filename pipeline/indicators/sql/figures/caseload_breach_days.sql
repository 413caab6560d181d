SELECT * FROM ({caseload_in_period}) WHERE families > $limit
