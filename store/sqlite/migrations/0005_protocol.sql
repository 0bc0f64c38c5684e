-- Schema version 5: tournaments of every protocol (tournament.Protocol).
-- meta.protocol is 'sao' (alternating offers: every earlier database),
-- 'mediated' or 'staged'; mediators and voters are JSON arrays of specs
-- ('[]' without); variant is a staged tournament's protocol variant; rule,
-- info and noise a mediated tournament's options ('' and 0 otherwise).
-- runs.mediator names the run's mediator (NULL without), runs.voters is a
-- JSON array of voter specs per party (NULL without), and runs.fairness
-- the smallest normalised advantage of the parties (NULL when not
-- available; see tournament.Record.Fairness).
ALTER TABLE meta ADD COLUMN protocol  TEXT NOT NULL DEFAULT 'sao';
ALTER TABLE meta ADD COLUMN mediators TEXT NOT NULL DEFAULT '[]';
ALTER TABLE meta ADD COLUMN voters    TEXT NOT NULL DEFAULT '[]';
ALTER TABLE meta ADD COLUMN variant   TEXT NOT NULL DEFAULT '';
ALTER TABLE meta ADD COLUMN rule      TEXT NOT NULL DEFAULT '';
ALTER TABLE meta ADD COLUMN info      TEXT NOT NULL DEFAULT '';
ALTER TABLE meta ADD COLUMN noise     REAL NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN mediator  TEXT;
ALTER TABLE runs ADD COLUMN voters    TEXT;
ALTER TABLE runs ADD COLUMN fairness  REAL;
