-- The admin console (server-enroll README, "Admin console"): the machine list pages by keyset on (sort key, id), so
-- each page is one index range read whatever the fleet size; a state filter has its own index, the overview's counts
-- read (state, attestation_status) from an index alone, the search reads the start of name, EK serial and TPM
-- manufacturer case-blind by index (and of the id by the primary key), the same-name warning finds names case-blind,
-- and a machine's page reads its own audit events by subject.
CREATE INDEX machines_created ON machines(created_at, id);
CREATE INDEX machines_state_created ON machines(state, created_at, id);
CREATE INDEX machines_state_status ON machines(state, attestation_status);
CREATE INDEX machines_name ON machines(name, id);
CREATE INDEX machines_name_lower ON machines(lower(name));
CREATE INDEX machines_ek_serial_lower ON machines(lower(ek_serial));
CREATE INDEX machines_manufacturer_lower ON machines(lower(tpm_manufacturer));
CREATE INDEX audit_events_subject ON audit_events(subject, seq);
