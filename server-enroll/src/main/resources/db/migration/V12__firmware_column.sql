-- The firmware of each machine's last judged boot as a column of its own (server-enroll README, "Admin console"):
-- written with the boot verdict in its transaction (BootStore.record), so the console's firmware filter reads an
-- index range in the list's keyset order instead of the JSON boot state of every machine. It holds the
-- EV_S_CRTM_VERSION strings of PCR 0 (FirmwareColumn.label); a boot log carries no platform vendor or model the
-- server could trust, so there is no model column. Rows judged before this migration are filled from
-- machine_boot.last_state by the Java step that Migrations runs right after this file, in the same transaction.
-- The attestation filter gets the same (key, created_at, id) index as the state filter.
ALTER TABLE machines ADD COLUMN firmware VARCHAR(200);
CREATE INDEX machines_firmware_created ON machines(firmware, created_at, id);
CREATE INDEX machines_status_created ON machines(attestation_status, created_at, id);
