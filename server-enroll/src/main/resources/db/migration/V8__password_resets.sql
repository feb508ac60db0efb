-- One-time password reset tokens an admin issues for an operator (only their SHA-256 is stored).
CREATE TABLE password_resets (
    token_hash VARCHAR(64) PRIMARY KEY,
    username VARCHAR(64) NOT NULL REFERENCES users(username),
    created_by VARCHAR(64) NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
