-- Schema version 8: the arm an experiment's paired tests compare the
-- others with (tournament.Design.Baseline, 'parley experiment --baseline'):
-- meta.baseline names it, or is '' for the first arm, outside experiments
-- and in every earlier database.
ALTER TABLE meta ADD COLUMN baseline TEXT NOT NULL DEFAULT '';
