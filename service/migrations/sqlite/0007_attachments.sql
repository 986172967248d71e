-- Attachments (SPEC "Data and safety"): files copied into the data directory's files/
-- folder, each named by the SHA-256 of its content, so the same photo attached twice
-- (to one order or two) is one file on disk and one row per attachment. The name a
-- file came with is kept only for showing (base name, at most 120 characters); its
-- original path is never stored.
--
-- The first schema's attachments table was never written; it had no limits and named
-- its columns differently, so it is replaced rather than altered.
DROP TABLE attachments;

CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    work_order_id INTEGER NOT NULL REFERENCES work_orders (id),
    -- Lower-case hex: the stored file is files/<sha256>.
    sha256        TEXT    NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    file_name     TEXT    NOT NULL CHECK (length(file_name) BETWEEN 1 AND 120),
    -- Sniffed from the content (domain::attachment::sniff), never from the name.
    media_type    TEXT    NOT NULL,
    size_bytes    INTEGER NOT NULL CHECK (size_bytes > 0),
    kind          TEXT    NOT NULL CHECK (kind IN ('before', 'after', 'invoice', 'quote', 'other')),
    uploaded_by   INTEGER NOT NULL REFERENCES users (id),
    uploaded_at   INTEGER NOT NULL
);
-- The order page lists an order's attachments in the order they were added, and the
-- per-order limit sums their sizes.
CREATE INDEX attachments_by_order ON attachments (work_order_id, id);
-- Whether a stored file is still referenced (a refused attach removes only files no
-- row names).
CREATE INDEX attachments_by_sha256 ON attachments (sha256);

-- Limits, per agency: 25 MB a file (a phone's photo or a short video), 200 MB an order.
ALTER TABLE agency ADD COLUMN max_attachment_bytes INTEGER NOT NULL DEFAULT 26214400
    CHECK (max_attachment_bytes > 0);
ALTER TABLE agency ADD COLUMN max_order_attachment_bytes INTEGER NOT NULL DEFAULT 209715200
    CHECK (max_order_attachment_bytes > 0);
