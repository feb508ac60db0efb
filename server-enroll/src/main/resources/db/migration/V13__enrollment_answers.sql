-- The answer an enrollment was given (docs/server-api.md, "Enrollment", retry): the credential challenge, encrypted
-- to the EK, so only that TPM can use it. A retry of the same enrollment by the same station gets it again instead
-- of a refusal; the row goes when the enrollment stops awaiting activation.
CREATE TABLE enrollment_answers (
  machine_id VARCHAR(40) PRIMARY KEY REFERENCES machines(id),
  credential_blob TEXT NOT NULL,
  encrypted_secret TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
