-- PostgreSQL's 0027 adds indexes for reading a report's facts and search words (#19).
-- SQLite needs neither: it reads a report's facts from its compact table faster than
-- through such an index, and its `search_words` is already a btree in byte order, read by
-- prefix (`search::words`). So its 0027 changes nothing, and keeps the two engines'
-- migrations numbered alike.
SELECT 1;
