-- Schema version 7: how an experiment asked for its arms
-- (tournament.Design), so that its report is made again from the database
-- alone, with each cell's parameter values and the information note:
-- meta.design is a JSON object {"kind", "variants", "params"} (kind
-- sequencing or sweep; params the TARGET.NAME=VALUES specs of --set or
-- --factor), or '' outside experiments and in every earlier database.
ALTER TABLE meta ADD COLUMN design TEXT NOT NULL DEFAULT '';
