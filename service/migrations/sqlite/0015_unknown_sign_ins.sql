-- Failed sign-ins at addresses that have no account, counted and locked exactly as an
-- account's are (users.failed_sign_ins, users.locked_until), so the fifth wrong try says
-- "locked" whether or not the address has an account: the answers never tell a guesser
-- which addresses do. Keyed by the lower-cased, trimmed address.
CREATE TABLE unknown_sign_ins (
    email           TEXT    PRIMARY KEY,
    failed_sign_ins BIGINT  NOT NULL DEFAULT 0,
    locked_until    BIGINT
);
