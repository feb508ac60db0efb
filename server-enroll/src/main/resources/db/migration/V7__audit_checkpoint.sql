-- The last audit row a verification found intact, with its hash: the audit page and API verify from here on
-- (incremental), a full verification (CLI, ?full=true) walks the whole chain again and moves it.
CREATE TABLE audit_checkpoint (
    id INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash VARCHAR(64) NOT NULL,
    verified_at BIGINT NOT NULL
);
