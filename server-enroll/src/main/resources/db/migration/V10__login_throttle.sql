-- The per-account sign-in back-off and the device tokens that pass it (LoginThrottle), in the database so that every
-- server instance on it counts the same failures. An account is a keyed digest of the normalised user name, never
-- the typed text (which may be a password typed into the wrong field). A failure streak is forgotten a day after
-- its last failure; a device token after a year, and an account keeps its 20 newest.
CREATE TABLE login_failures (
  account VARCHAR(64) PRIMARY KEY,
  failures INTEGER NOT NULL,
  blocked_until BIGINT NOT NULL,
  last_failure_at BIGINT NOT NULL
);
CREATE INDEX login_failures_by_time ON login_failures (last_failure_at);
CREATE TABLE login_devices (
  token_hash VARCHAR(64) PRIMARY KEY,
  account VARCHAR(64) NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX login_devices_by_account ON login_devices (account, created_at);
