-- Schema version 2: how time runs in the tournament's negotiations
-- (tournament.Timing): '' auto (GENIUS round timing when every seat is a
-- genius-* agent, Parley's steps otherwise), 'steps' or 'genius'.
ALTER TABLE meta ADD COLUMN timing TEXT NOT NULL DEFAULT '';
