-- The values of every bank a machine's last judged quote covered besides SHA-256 (last_pcrs): a station whose boot log
-- has no SHA-256 digests quotes SHA-1 beside SHA-256 and its log is replayed in SHA-1 (docs/measured-boot.md, "SHA-1
-- banks"), so the admin API and page show those values too, with their bank. JSON {"sha1": {"0": "<hex>", ...}}; null
-- when the quote covered SHA-256 alone, and for rows judged before this migration.
ALTER TABLE machine_boot ADD COLUMN last_other_pcrs TEXT;
