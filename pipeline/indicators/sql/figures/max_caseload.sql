SELECT * FROM ({caseload_in_period})
