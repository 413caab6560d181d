-- The staging layer every figure and measure reads (what dbt's `ref` does): the current state of
-- each table for one unit (a NULL unit = every unit together), and the period logic, written once.
-- Installed as temporary macros on each connection that computes (read-only connections too).
-- For "all units" (a NULL unit), only the units in the coverage scope count: those whose exports cover a day of the
-- period computed (pipeline/warehouse/coverage.py sets the session variable; unset = every unit).
CREATE OR REPLACE TEMP MACRO in_scope(j) AS
    getvariable('asystenci_scope') IS NULL OR list_contains(getvariable('asystenci_scope'), j);
CREATE OR REPLACE TEMP MACRO stg_assistants(unit) AS TABLE
    SELECT * FROM core.asystenci WHERE (unit IS NULL AND in_scope(jednostka)) OR jednostka = unit;
CREATE OR REPLACE TEMP MACRO stg_families(unit) AS TABLE
    SELECT * FROM core.rodziny WHERE (unit IS NULL AND in_scope(jednostka)) OR jednostka = unit;
CREATE OR REPLACE TEMP MACRO stg_episodes(unit) AS TABLE
    SELECT * FROM core.asystentury WHERE (unit IS NULL AND in_scope(jednostka)) OR jednostka = unit;
CREATE OR REPLACE TEMP MACRO stg_assignments(unit) AS TABLE
    SELECT * FROM core.przydzialy WHERE (unit IS NULL AND in_scope(jednostka)) OR jednostka = unit;
CREATE OR REPLACE TEMP MACRO stg_children(unit) AS TABLE
    SELECT * FROM core.dzieci WHERE (unit IS NULL AND in_scope(jednostka)) OR jednostka = unit;
CREATE OR REPLACE TEMP MACRO stg_placements(unit) AS TABLE
    SELECT * FROM core.piecza WHERE (unit IS NULL AND in_scope(jednostka)) OR jednostka = unit;
CREATE OR REPLACE TEMP MACRO stg_problems(unit) AS TABLE
    SELECT * FROM core.problemy WHERE (unit IS NULL AND in_scope(jednostka)) OR jednostka = unit;
CREATE OR REPLACE TEMP MACRO stg_activities(unit) AS TABLE
    SELECT * FROM core.dzialania WHERE (unit IS NULL AND in_scope(jednostka)) OR jednostka = unit;
CREATE OR REPLACE TEMP MACRO stg_assessments(unit) AS TABLE
    SELECT * FROM core.oceny WHERE (unit IS NULL AND in_scope(jednostka)) OR jednostka = unit;
CREATE OR REPLACE TEMP MACRO stg_projects(unit) AS TABLE
    SELECT * FROM core.projekty WHERE (unit IS NULL AND in_scope(jednostka)) OR jednostka = unit;
-- Something from `start` to `stop` (inclusive; an empty stop = still going) is active on a day of d0..d1.
CREATE OR REPLACE TEMP MACRO active_between(start, stop, d0, d1) AS start <= d1 AND (stop IS NULL OR stop >= d0);
-- The part of start..stop inside d0..d1: its first and last day (first > last when there is none).
CREATE OR REPLACE TEMP MACRO clip_from(start, d0) AS greatest(start, CAST(d0 AS DATE));
CREATE OR REPLACE TEMP MACRO clip_to(stop, d1) AS least(coalesce(stop, CAST(d1 AS DATE)), CAST(d1 AS DATE));
-- The full years in first_day .. last_day (inclusive): the largest n with first_day + n years <= last_day + 1 day.
CREATE OR REPLACE TEMP MACRO full_years(first_day, last_day) AS
    date_diff('year', first_day, last_day + 1)
    - CASE WHEN CAST(first_day + to_years(CAST(date_diff('year', first_day, last_day + 1) AS INTEGER)) AS DATE) > last_day + 1
           THEN 1 ELSE 0 END;
