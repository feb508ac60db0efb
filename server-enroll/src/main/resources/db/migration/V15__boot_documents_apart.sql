-- The large documents of a machine's boot move out of machine_boot into a table of their own: the stored logs (a real
-- one is 15-75 KB, more in base64), the accepted boot's summary and the last boot state (both list every db and dbx
-- entry: tens of KB on a PC with a current revocation list). Every attestation updates its machine's machine_boot row,
-- and SQLite builds the whole row again for an UPDATE; an unchanged boot passing again now writes only that small row
-- (docs/performance.md, "Attestation"). last_state_sha256 tells, without reading the state, which state the last
-- verdict recorded; it is NULL for the rows judged before this migration, whose next attestation takes the full path.
CREATE TABLE machine_boot_documents (
  machine_id VARCHAR(40) PRIMARY KEY REFERENCES machines(id),
  accepted_log TEXT,
  accepted_summary TEXT,
  last_state TEXT,
  flagged_log TEXT
);
INSERT INTO machine_boot_documents (machine_id, accepted_log, accepted_summary, last_state, flagged_log)
  SELECT machine_id, accepted_log, accepted_summary, last_state, flagged_log FROM machine_boot
  WHERE accepted_log IS NOT NULL OR accepted_summary IS NOT NULL OR last_state IS NOT NULL OR flagged_log IS NOT NULL;
ALTER TABLE machine_boot ADD COLUMN last_state_sha256 VARCHAR(64);
ALTER TABLE machine_boot DROP COLUMN accepted_log;
ALTER TABLE machine_boot DROP COLUMN accepted_summary;
ALTER TABLE machine_boot DROP COLUMN last_state;
ALTER TABLE machine_boot DROP COLUMN flagged_log;
