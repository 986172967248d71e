-- Reading a typed word (`search::words`, #19) asks two things of the indexed words: does
-- any start with it, and, when none does, which are nearest it. On the 100,000-order
-- store's 260,000 words (nearly all references, numbers and e-mail addresses) the trigram
-- index answered the first in 9 ms and the second in 40, per keystroke.
--
-- A prefix is a range of a btree in byte order, whatever the database's collation.
CREATE INDEX search_words_prefixes ON search_words (word text_pattern_ops);

-- Only words of letters are ever read as a misspelling's meaning, so only they are
-- indexed by trigrams: a few hundred words instead of every number and address.
DROP INDEX search_words_trigrams;
CREATE INDEX search_words_letters ON search_words USING gist (word gist_trgm_ops)
WHERE word ~ '^[[:alpha:]]+$';
