-- GET /api/v1/admin/enrollment-tokens pages by keyset on (created_at, id), newest first: one index range per page
-- whatever the number of tokens issued (one per station, so they only grow).
CREATE INDEX enrollment_tokens_created ON enrollment_tokens(created_at, id);
