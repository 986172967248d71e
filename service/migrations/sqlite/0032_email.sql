-- E-mail notifications (#20): the agency's SMTP server, each user's choice of what
-- reaches them by e-mail, and the outbox the background engine sends from
-- (service/src/mail.rs). The SMTP password is never here: it lives in the OS keyring
-- of the machine that sends.
CREATE TABLE mail_settings (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    -- Empty until the agency sets e-mail up: nothing is queued before.
    host     TEXT    NOT NULL DEFAULT '',
    port     INTEGER NOT NULL DEFAULT 587,
    username TEXT    NOT NULL DEFAULT '',
    sender   TEXT    NOT NULL DEFAULT '',
    -- 'StartTls', 'Tls' or 'None' (domain::mail::MailSecurity).
    security TEXT    NOT NULL DEFAULT 'StartTls'
);
INSERT INTO mail_settings (id) VALUES (1);

-- What reaches each user by e-mail (domain::mail::EmailTopic): by default only what
-- waits on them.
ALTER TABLE users ADD COLUMN email_action_needed INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN email_progress INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN email_payments INTEGER NOT NULL DEFAULT 0;

-- Each message to send, written in the transaction of what caused it. A sender claims a
-- row by moving `claimed_until` forward with a guarded update, so two engines never send
-- one twice; a failure schedules the next attempt (exponential backoff) and keeps why.
CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY,
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_until   INTEGER,
    last_error      TEXT,
    sent_at         INTEGER
);
-- The sender's question: what is unsent and due.
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL;
