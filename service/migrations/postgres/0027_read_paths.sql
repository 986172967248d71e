-- Two reads found slow on the 100,000-order store (#19), each given an index.

-- 1. A report reads the facts of every order raised in its period (`reports::facts`):
-- 70,000 rows for twelve months on the 100,000-order store. From the table that means
-- reading whole orders, descriptions and all, and the space of their earlier versions
-- (175 ms); from this index alone, only the facts (60 ms). Its columns are `FACTS`'s and
-- the filters', less what other tables hold. SQLite reads its compact table faster than
-- it would such an index, so this one is PostgreSQL's own (the schema test lists it).
CREATE INDEX work_orders_report_facts ON work_orders (opened_at) INCLUDE (
    id, state, priority, priority_rank, category_id, subcategory_id, property_id, unit_id, contractor_id,
    respond_by, resolve_by, responded_at, completed_at, invoice_minor, rating,
    offered_at, accepted_at, started_at, sent_back);

-- 2. Reading a typed word (`search::words`) asks two things of the indexed words: does
-- any start with it, and, when none does, which are nearest it. On the store's 260,000
-- words (nearly all references, numbers and e-mail addresses) PostgreSQL's trigram index
-- answered the first in 9 ms and the second in 40, per keystroke. (SQLite's
-- `search_words` is a btree in byte order already, and read by first letter.)
--
-- A prefix is a range of a btree in byte order, whatever the database's collation.
CREATE INDEX search_words_prefixes ON search_words (word text_pattern_ops);

-- Only words of letters are ever read as a misspelling's meaning, so only they are
-- indexed by trigrams: a few hundred words instead of every number and address.
DROP INDEX search_words_trigrams;
CREATE INDEX search_words_letters ON search_words USING gist (word gist_trgm_ops)
WHERE word ~ '^[[:alpha:]]+$';
