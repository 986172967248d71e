-- Quotes (#20): staff ask contractors to price an order; each answers with line items;
-- one is approved as the order's cost (domain/src/quote.rs, service/src/quotes.rs).
-- The table from the first schema was never written to, so it is made anew.
DROP TABLE quotes;
CREATE TABLE quotes (
    id            INTEGER PRIMARY KEY,
    work_order_id INTEGER NOT NULL REFERENCES work_orders (id),
    contractor_id INTEGER NOT NULL REFERENCES contractors (user_id),
    status        TEXT    NOT NULL CHECK (status IN ('Requested', 'Submitted', 'Proposed', 'Approved', 'NotChosen', 'Declined')),
    -- What staff asked to be priced.
    asked         TEXT    NOT NULL,
    total_minor   INTEGER NOT NULL DEFAULT 0 CHECK (total_minor >= 0),
    -- The contractor's terms, or why they declined.
    note          TEXT    NOT NULL DEFAULT '',
    requested_by  INTEGER NOT NULL REFERENCES users (id),
    requested_at  INTEGER NOT NULL,
    answered_at   INTEGER,
    decided_at    INTEGER
);
-- One request per contractor per order.
CREATE UNIQUE INDEX quotes_by_order ON quotes (work_order_id, contractor_id);
-- A contractor's own requests, open ones first.
CREATE INDEX quotes_by_contractor ON quotes (contractor_id, requested_at DESC);

CREATE TABLE quote_lines (
    quote_id     INTEGER NOT NULL REFERENCES quotes (id),
    line_no      INTEGER NOT NULL,
    description  TEXT    NOT NULL CHECK (length(description) BETWEEN 1 AND 200),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (quote_id, line_no)
);
