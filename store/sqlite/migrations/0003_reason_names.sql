-- Schema version 3: one vocabulary for how a negotiation ends. The reason
-- of a walk-out is 'walk_away' (parley.Reason's name in every output), no
-- longer 'walked_away'; runs.reason is agreement, deadline, walk_away or
-- error.
UPDATE runs SET reason = 'walk_away' WHERE reason = 'walked_away';
