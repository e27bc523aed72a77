-- Runs, their per-round metrics and their operator-visible log (issue 4).
CREATE TABLE runs (
    run_id           INTEGER PRIMARY KEY AUTOINCREMENT,
    status           TEXT    NOT NULL,
    config           TEXT    NOT NULL,   -- the run config as protobuf JSON (keeps int/double types)
    created_at       TEXT    NOT NULL,   -- ISO-8601
    finished_at      TEXT,
    final_model_path TEXT,
    error            TEXT
);

CREATE TABLE rounds (
    run_id               INTEGER NOT NULL REFERENCES runs (run_id),
    round                INTEGER NOT NULL,
    train_loss           REAL,
    eval_loss            REAL,
    eval_accuracy        REAL,
    train_nodes          TEXT    NOT NULL, -- JSON array of node names
    eval_nodes           TEXT    NOT NULL, -- JSON array of node names
    dropped              TEXT    NOT NULL, -- JSON array of {node_id, node_name, reason}
    wall_seconds         REAL    NOT NULL,
    slowest_node_seconds REAL,
    PRIMARY KEY (run_id, round)
);

CREATE TABLE run_log (
    run_id INTEGER NOT NULL REFERENCES runs (run_id),
    seq    INTEGER NOT NULL,
    ts     TEXT    NOT NULL,
    text   TEXT    NOT NULL,
    PRIMARY KEY (run_id, seq)
);

CREATE INDEX runs_status ON runs (status);
