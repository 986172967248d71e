-- Accounts and sign-in. Passwords are stored only as argon2id PHC strings
-- (users.password_hash, from 0001).

-- Consecutive failed sign-ins; at the limit the account is locked until locked_until.
ALTER TABLE users ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until INTEGER;
-- Set when an admin gives a temporary password: it must be replaced at the next sign-in.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;

-- "Remember me" sessions. The secret lives in the OS keyring of the user's computer;
-- the store keeps only its SHA-256, so a copy of the store cannot be used to sign in.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    token_sha256 TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked_at   INTEGER
);
CREATE INDEX sessions_by_user ON sessions (user_id);
