-- E-mail look-ups are written `lower(email) = lower(?)` on both engines (PostgreSQL has
-- no NOCASE collation); this index serves them, and makes addresses differing only in
-- case one account. The plain UNIQUE on email from 0001 stays, as SQLite's does, so the
-- two schemas list the same constraints.
CREATE UNIQUE INDEX users_by_lower_email ON users (lower(email));
