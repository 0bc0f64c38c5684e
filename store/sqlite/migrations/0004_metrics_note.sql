-- Schema version 4: why a run's Pareto and Nash distances are not available
-- (its scenario could not be analysed, e.g. a non-linear space too large to
-- enumerate); NULL when they are. pareto_distance is then 0 and
-- nash_distance NULL.

ALTER TABLE runs ADD COLUMN metrics_note TEXT;
