-- Measured boot (docs/measured-boot.md): named boot policies (one may be the default), each machine's assigned
-- policy, the last boot judged and the last boot accepted (its event log kept, so an unchanged log travels as its
-- SHA-256 only), and the log of a boot that did not replay, kept for the admin.
CREATE TABLE boot_policies (
  name VARCHAR(64) PRIMARY KEY,
  document TEXT NOT NULL,
  is_default INTEGER NOT NULL DEFAULT 0,
  updated_by VARCHAR(64) NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE machine_boot (
  machine_id VARCHAR(40) PRIMARY KEY REFERENCES machines(id),
  policy_name VARCHAR(64) REFERENCES boot_policies(name),
  accepted_log_sha256 VARCHAR(64),
  accepted_log TEXT,
  accepted_summary TEXT,
  accepted_at BIGINT,
  last_result VARCHAR(32),
  last_rule VARCHAR(64),
  last_event INTEGER,
  last_message TEXT,
  last_changes TEXT,
  last_state TEXT,
  last_pcrs TEXT,
  last_at BIGINT,
  flagged_log TEXT,
  flagged_at BIGINT
);
