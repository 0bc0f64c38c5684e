-- Schema version 1: the tournament's identity and one row per negotiation.
-- Vectors (agents, utilities, ...) are JSON arrays in party order, readable
-- with SQLite's json_extract (e.g. json_extract(utilities, '$[0]')).

CREATE TABLE meta (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    agents    TEXT    NOT NULL, -- JSON array of competitor specs, in competitor order
    scenarios TEXT    NOT NULL, -- JSON array of scenario references (paths or built-in names)
    reps      INTEGER NOT NULL,
    deadline  INTEGER NOT NULL, -- rounds; 0: each scenario's own deadline
    seed      TEXT    NOT NULL, -- the tournament seed, a decimal uint64
    self_play INTEGER NOT NULL, -- 0 or 1
    planned   INTEGER NOT NULL, -- negotiations the tournament defines
    created   TEXT    NOT NULL  -- RFC 3339 UTC time the database was created
);

CREATE TABLE runs (
    job_id          INTEGER PRIMARY KEY, -- position in the enumeration (tournament.JobAt)
    scenario        TEXT    NOT NULL,    -- scenario reference, as in meta.scenarios
    rep             INTEGER NOT NULL,    -- repetition, from 0
    agents          TEXT    NOT NULL,    -- JSON array: competitor per party
    agreement       TEXT,                -- JSON object issue -> value; NULL without agreement
    utilities       TEXT    NOT NULL,    -- JSON array: undiscounted utility per party (reservation without agreement)
    discounted      TEXT    NOT NULL,    -- JSON array: the same, discounted at the end time
    advantage       TEXT    NOT NULL,    -- JSON array: utility minus reservation value per party
    rounds          INTEGER NOT NULL,
    reason          TEXT    NOT NULL,    -- agreement, deadline, walked_away or error
    error           TEXT,                -- the cause when reason = 'error', else NULL
    elapsed_ns      INTEGER NOT NULL,    -- wall time in nanoseconds
    pareto_distance REAL    NOT NULL,
    nash_distance   REAL,                -- NULL when the scenario has no Nash point
    welfare         REAL    NOT NULL,
    worker          TEXT    NOT NULL     -- host:pid or worker name that ran it
);
