-- Webhooks an admin configured, and the outbox of their deliveries (README, "Webhooks"). A delivery row is written
-- in the transaction of the change it reports, so an event exists exactly when its change committed; it is sent
-- later by whichever instance leases it (lease_owner, lease_until), and its id is the receiver's idempotency key.
-- The secret is kept as given: the server needs it to sign, so read access to this table allows forging deliveries.
CREATE TABLE webhooks (
  id VARCHAR(40) PRIMARY KEY,
  url VARCHAR(2048) NOT NULL,
  events VARCHAR(1024) NOT NULL,
  secret VARCHAR(256) NOT NULL,
  created_by VARCHAR(128) NOT NULL,
  created_at BIGINT NOT NULL,
  disabled_at BIGINT
);

CREATE TABLE webhook_deliveries (
  id VARCHAR(40) PRIMARY KEY,
  webhook_id VARCHAR(40) NOT NULL REFERENCES webhooks(id),
  event_id VARCHAR(40) NOT NULL,
  event VARCHAR(64) NOT NULL,
  machine_id VARCHAR(40) NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  status VARCHAR(16) NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  lease_owner VARCHAR(40),
  lease_until BIGINT,
  last_attempt_at BIGINT,
  last_status INTEGER,
  last_error VARCHAR(300),
  delivered_at BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
CREATE INDEX webhook_deliveries_created ON webhook_deliveries(created_at);
