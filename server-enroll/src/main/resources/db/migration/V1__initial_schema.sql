-- One schema for SQLite and PostgreSQL: only portable types (VARCHAR, TEXT, BIGINT, INTEGER),
-- binary values as base64 text, times as epoch milliseconds.
CREATE TABLE users (
  username VARCHAR(64) PRIMARY KEY,
  password_hash VARCHAR(256) NOT NULL,
  role VARCHAR(16) NOT NULL,
  created_at BIGINT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
  token_hash VARCHAR(64) PRIMARY KEY,
  username VARCHAR(64) NOT NULL REFERENCES users(username),
  csrf_token VARCHAR(64) NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);

CREATE TABLE api_tokens (
  id VARCHAR(40) PRIMARY KEY,
  token_hash VARCHAR(64) NOT NULL UNIQUE,
  username VARCHAR(64) NOT NULL REFERENCES users(username),
  label VARCHAR(200) NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT
);

CREATE TABLE enrollment_tokens (
  id VARCHAR(40) PRIMARY KEY,
  token_hash VARCHAR(64) NOT NULL UNIQUE,
  created_by VARCHAR(64) NOT NULL,
  note VARCHAR(200) NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  used_by VARCHAR(40)
);

CREATE TABLE machines (
  id VARCHAR(40) PRIMARY KEY,
  name VARCHAR(128) NOT NULL,
  state VARCHAR(24) NOT NULL,
  ek_public TEXT NOT NULL,
  ek_name VARCHAR(80) NOT NULL,
  ek_certificate TEXT,
  ek_verified INTEGER NOT NULL,
  ek_subject VARCHAR(512),
  ek_issuer VARCHAR(512),
  ek_serial VARCHAR(128),
  tpm_manufacturer VARCHAR(128),
  ak_public TEXT NOT NULL,
  replaces_machine VARCHAR(40),
  enrollment_token_id VARCHAR(40),
  request_source VARCHAR(64) NOT NULL,
  created_at BIGINT NOT NULL,
  activation_secret_hash VARCHAR(64),
  activation_attempts INTEGER NOT NULL DEFAULT 0,
  first_quote_nonce VARCHAR(128),
  first_quote_pcrs TEXT,
  baseline_pcrs TEXT,
  golden_pcrs TEXT,
  decided_by VARCHAR(64),
  decided_at BIGINT,
  decision_reason VARCHAR(500),
  revoked_by VARCHAR(64),
  revoked_at BIGINT,
  revoke_reason VARCHAR(500),
  attestation_status VARCHAR(16) NOT NULL,
  attestation_failure VARCHAR(300),
  last_attempt_at BIGINT,
  last_success_at BIGINT
);
CREATE INDEX machines_ek_name ON machines(ek_name);
CREATE INDEX machines_state ON machines(state);

CREATE TABLE machine_keys (
  id VARCHAR(40) PRIMARY KEY,
  machine_id VARCHAR(40) NOT NULL REFERENCES machines(id),
  tpm_public TEXT NOT NULL,
  spki TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  retired_at BIGINT
);
CREATE INDEX machine_keys_machine ON machine_keys(machine_id);

CREATE TABLE attestation_nonces (
  nonce VARCHAR(64) PRIMARY KEY,
  machine_id VARCHAR(40) NOT NULL REFERENCES machines(id),
  purpose VARCHAR(16) NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  consumed_at BIGINT
);
CREATE INDEX attestation_nonces_expiry ON attestation_nonces(expires_at);

CREATE TABLE request_nonces (
  machine_id VARCHAR(40) NOT NULL,
  nonce VARCHAR(100) NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (machine_id, nonce)
);
CREATE INDEX request_nonces_expiry ON request_nonces(expires_at);

CREATE TABLE attestations (
  id VARCHAR(40) PRIMARY KEY,
  machine_id VARCHAR(40) NOT NULL REFERENCES machines(id),
  at BIGINT NOT NULL,
  outcome VARCHAR(16) NOT NULL,
  detail VARCHAR(300) NOT NULL,
  pcrs TEXT
);
CREATE INDEX attestations_machine ON attestations(machine_id, at);

CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY,
  seq BIGINT NOT NULL,
  hash VARCHAR(64) NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_events (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor VARCHAR(128) NOT NULL,
  action VARCHAR(64) NOT NULL,
  subject VARCHAR(128) NOT NULL,
  outcome VARCHAR(16) NOT NULL,
  detail VARCHAR(1000) NOT NULL,
  prev_hash VARCHAR(64) NOT NULL,
  hash VARCHAR(64) NOT NULL
);
