-- At most one current (not retired) signing key per machine, held by the database itself: a rotation retires the
-- old key and inserts the new one in one transaction, and no interleaving can leave two. The signed-request lookup
-- finds the current key through this index without sorting.
CREATE UNIQUE INDEX machine_keys_current ON machine_keys(machine_id) WHERE retired_at IS NULL;
