-- Schema version 6: tournaments of arms (tournament.Arm), as experiments
-- run. meta.arms is a JSON array of the arms ('[]' without: every earlier
-- database), each {"name", "variant", "set", "mediator"}. runs.arm names
-- the run's arm (NULL without); runs.stage is the stage in which a staged
-- run ended (NULL outside staged runs), runs.time the normalised time on
-- the global clock when it ended and runs.locked the number of issues a
-- partial_issues carry-over locked (0 outside staged runs).
ALTER TABLE meta ADD COLUMN arms   TEXT    NOT NULL DEFAULT '[]';
ALTER TABLE runs ADD COLUMN arm    TEXT;
ALTER TABLE runs ADD COLUMN stage  TEXT;
ALTER TABLE runs ADD COLUMN time   REAL    NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;
