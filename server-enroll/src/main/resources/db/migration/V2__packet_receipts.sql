-- Receipts of capture packets uploaded by stations: the digest only, never the biometric content.
CREATE TABLE packet_receipts (
  machine_id VARCHAR(40) NOT NULL REFERENCES machines(id),
  packet_id VARCHAR(64) NOT NULL,
  sha256 VARCHAR(64) NOT NULL,
  key_id VARCHAR(40) NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (machine_id, packet_id)
);
