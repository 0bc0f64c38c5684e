-- The event logs of the negotiations of parley serve (package server): one
-- append-only sequence of records per negotiation, numbered from 1.
CREATE TABLE event_negotiations (
	negotiation TEXT PRIMARY KEY
);
CREATE TABLE events (
	negotiation TEXT NOT NULL REFERENCES event_negotiations (negotiation),
	seq INTEGER NOT NULL CHECK (seq >= 1),
	record BLOB NOT NULL,
	PRIMARY KEY (negotiation, seq)
) WITHOUT ROWID;
