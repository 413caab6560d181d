-- The caseload segments in Y (see caseload_segments.sql); the figure is their largest count.
SELECT * FROM ({caseload_segments_in_year})
