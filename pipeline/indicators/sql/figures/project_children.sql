-- The projects that ended in the period (projects_completed); the figure sums their liczba_dzieci.
SELECT * FROM ({projects_completed})
