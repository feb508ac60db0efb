-- Audit events stations send from their own hash-chained logs (already redacted on the station: no
-- biometric values, keys or tokens). One row per (machine, event id): a resend is recognised, not stored twice.
CREATE TABLE station_audit_events (
  machine_id VARCHAR(40) NOT NULL REFERENCES machines(id),
  event_id VARCHAR(64) NOT NULL,
  occurred_at VARCHAR(40) NOT NULL,
  event VARCHAR(64) NOT NULL,
  fields TEXT NOT NULL,
  sha256 VARCHAR(64) NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (machine_id, event_id)
);
