-- The stored boot logs (a real one is 15-75 KB, more in base64) move out of machine_boot into a table of their own.
-- Every attestation updates its machine's machine_boot row, and SQLite builds the whole row again for an UPDATE: with
-- a 60 KB accepted log in the row, an unchanged boot passing again cost the group-commit writer 36 us instead of 15
-- (docs/performance.md, "Attestation"). The logs are written only when a boot is accepted or flagged, and read only
-- when the whole boot is judged or an admin asks for a flagged log.
CREATE TABLE machine_boot_logs (
  machine_id VARCHAR(40) PRIMARY KEY REFERENCES machines(id),
  accepted_log TEXT,
  flagged_log TEXT
);
INSERT INTO machine_boot_logs (machine_id, accepted_log, flagged_log)
  SELECT machine_id, accepted_log, flagged_log FROM machine_boot
  WHERE accepted_log IS NOT NULL OR flagged_log IS NOT NULL;
ALTER TABLE machine_boot DROP COLUMN accepted_log;
ALTER TABLE machine_boot DROP COLUMN flagged_log;
