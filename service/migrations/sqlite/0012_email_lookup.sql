-- E-mail look-ups are written `lower(email) = lower(?)` on both engines (PostgreSQL has
-- no NOCASE collation). The NOCASE unique column from 0001 cannot serve that expression;
-- this index does. (The NOCASE column stays: it also folds case for comparisons.)
CREATE UNIQUE INDEX users_by_lower_email ON users (lower(email));
