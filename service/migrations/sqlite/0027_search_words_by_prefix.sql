-- PostgreSQL's 0027 indexes its search words for reading a typed word faster. SQLite's
-- `search_words` is already a btree in byte order, read by prefix (`search::words`), so
-- its 0027 changes nothing; it keeps the two engines' migrations numbered alike.
SELECT 1;
