-- Full-text search (#19): one FTS5 index each of orders, people and properties, kept by
-- triggers inside the same transaction as every write to what they index, so a search
-- never finds stale text and nothing can forget to update it. Each engine keeps its own
-- kind of index: the tables named search_* are left out of the schema comparison and of
-- the copies between engines (PostgreSQL's are in its migration 0025).
--
-- unicode61 folds case and accents; the prefix indexes make "bo" and "boi" (what
-- someone has typed so far) a lookup rather than a scan of every term.

-- An order as words, one column per kind of text so a query can leave out what the
-- searcher may not read: `notes` (internal notes, and retracted messages) is the
-- agency's alone. rowid = the order's id.
CREATE VIRTUAL TABLE search_orders USING fts5(
    reference, place, people, issue, messages, notes,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);

-- The one definition of an order's words, read by every trigger below.
CREATE VIEW search_orders_source AS
SELECT w.id,
       'PL-' || printf('%06d', w.id) || ' ' || w.id AS reference,
       p.name || ' ' || p.street || ' ' || p.city || ' ' || p.postcode || ' ' || u.label AS place,
       coalesce(t.name, '') || ' ' || l.name || ' ' || coalesce(k.company, '') AS people,
       c.name || ' ' || s.name || ' ' || w.description AS issue,
       coalesce((SELECT group_concat(m.body, ' ') FROM messages m
                 WHERE m.work_order_id = w.id AND m.internal = 0 AND m.retracted_at IS NULL), '') AS messages,
       coalesce((SELECT group_concat(m.body, ' ') FROM messages m
                 WHERE m.work_order_id = w.id AND (m.internal = 1 OR m.retracted_at IS NOT NULL)), '') AS notes
FROM work_orders w
JOIN properties p ON p.id = w.property_id
JOIN units u ON u.id = w.unit_id
JOIN users l ON l.id = p.landlord_id
LEFT JOIN users t ON t.id = w.tenant_id
LEFT JOIN contractors k ON k.user_id = w.contractor_id
JOIN categories c ON c.id = w.category_id
JOIN categories s ON s.id = w.subcategory_id;

-- The people an agency looks up: landlords, contractors and tenants. rowid = user id.
CREATE VIRTUAL TABLE search_people USING fts5(
    name, details,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);

CREATE VIEW search_people_source AS
SELECT u.id, u.name, u.email || ' ' || coalesce(u.phone, '') || ' ' || coalesce(k.company, '') AS details
FROM users u LEFT JOIN contractors k ON k.user_id = u.id
WHERE u.role IN ('landlord', 'contractor', 'tenant');

-- Properties by address and landlord. rowid = property id.
CREATE VIRTUAL TABLE search_properties USING fts5(
    address, landlord,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);

CREATE VIEW search_properties_source AS
SELECT p.id, p.name || ' ' || p.street || ' ' || p.city || ' ' || p.postcode AS address, l.name AS landlord
FROM properties p JOIN users l ON l.id = p.landlord_id;

-- Every word written, for correcting a misspelt one (`search::words`): a plain B-tree,
-- since FTS5's own vocabulary (fts5vocab) counts every word's documents as it lists
-- them (24 ms for the words starting "th" at 100,000 orders). Text reaches it through
-- `search_learn`, whose trigger splits it into lower-case words at spaces and common
-- punctuation; never pruned (a word no longer anywhere only costs a correction that
-- then finds nothing).
CREATE TABLE search_words (word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE search_learn (text TEXT NOT NULL);

CREATE TRIGGER search_learn_words AFTER INSERT ON search_learn BEGIN
    INSERT OR IGNORE INTO search_words (word)
    WITH RECURSIVE split (word, rest) AS (
        SELECT '', lower(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
                   NEW.text, char(10), ' '), char(9), ' '), ',', ' '), '.', ' '), ';', ' '), ':', ' '), '!', ' '),
                   '?', ' '), '-', ' '), '/', ' '), '''', ' ')) || ' '
        UNION ALL
        SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) FROM split WHERE rest <> ''
    )
    SELECT word FROM split WHERE length(word) >= 3;
    DELETE FROM search_learn;
END;

-- Orders: written, changed, talked about.
CREATE TRIGGER search_orders_on_insert AFTER INSERT ON work_orders BEGIN
    INSERT INTO search_orders (rowid, reference, place, people, issue, messages, notes)
        SELECT * FROM search_orders_source WHERE id = NEW.id;
    INSERT INTO search_learn (text) VALUES (NEW.description);
END;

CREATE TRIGGER search_orders_on_update
AFTER UPDATE OF property_id, unit_id, tenant_id, contractor_id, category_id, subcategory_id, description ON work_orders
BEGIN
    DELETE FROM search_orders WHERE rowid = NEW.id;
    INSERT INTO search_orders (rowid, reference, place, people, issue, messages, notes)
        SELECT * FROM search_orders_source WHERE id = NEW.id;
    INSERT INTO search_learn (text) VALUES (NEW.description);
END;

CREATE TRIGGER search_orders_on_delete AFTER DELETE ON work_orders BEGIN
    DELETE FROM search_orders WHERE rowid = OLD.id;
END;

CREATE TRIGGER search_orders_on_message AFTER INSERT ON messages WHEN NEW.work_order_id IS NOT NULL BEGIN
    INSERT INTO search_learn (text) VALUES (NEW.body);
    DELETE FROM search_orders WHERE rowid = NEW.work_order_id;
    INSERT INTO search_orders (rowid, reference, place, people, issue, messages, notes)
        SELECT * FROM search_orders_source WHERE id = NEW.work_order_id;
END;

CREATE TRIGGER search_orders_on_message_change AFTER UPDATE OF body, internal, retracted_at ON messages
WHEN NEW.work_order_id IS NOT NULL BEGIN
    DELETE FROM search_orders WHERE rowid = NEW.work_order_id;
    INSERT INTO search_orders (rowid, reference, place, people, issue, messages, notes)
        SELECT * FROM search_orders_source WHERE id = NEW.work_order_id;
END;

-- A renamed person, company, property, unit or category: their orders' words too.
CREATE TRIGGER search_on_user_change AFTER UPDATE OF name, email, phone ON users BEGIN
    INSERT INTO search_learn (text) VALUES (NEW.name);
    DELETE FROM search_people WHERE rowid = NEW.id;
    INSERT INTO search_people (rowid, name, details) SELECT * FROM search_people_source WHERE id = NEW.id;
    DELETE FROM search_properties WHERE rowid IN (SELECT id FROM properties WHERE landlord_id = NEW.id);
    INSERT INTO search_properties (rowid, address, landlord)
        SELECT * FROM search_properties_source WHERE id IN (SELECT id FROM properties WHERE landlord_id = NEW.id);
    DELETE FROM search_orders WHERE rowid IN (
        SELECT id FROM work_orders WHERE tenant_id = NEW.id
        UNION SELECT w.id FROM work_orders w JOIN properties p ON p.id = w.property_id WHERE p.landlord_id = NEW.id);
    INSERT INTO search_orders (rowid, reference, place, people, issue, messages, notes)
        SELECT * FROM search_orders_source WHERE id IN (
            SELECT id FROM work_orders WHERE tenant_id = NEW.id
            UNION SELECT w.id FROM work_orders w JOIN properties p ON p.id = w.property_id WHERE p.landlord_id = NEW.id);
END;

CREATE TRIGGER search_people_on_insert AFTER INSERT ON users BEGIN
    INSERT INTO search_learn (text) VALUES (NEW.name);
    INSERT INTO search_people (rowid, name, details) SELECT * FROM search_people_source WHERE id = NEW.id;
END;

CREATE TRIGGER search_people_on_contractor AFTER INSERT ON contractors BEGIN
    INSERT INTO search_learn (text) VALUES (NEW.company);
    DELETE FROM search_people WHERE rowid = NEW.user_id;
    INSERT INTO search_people (rowid, name, details) SELECT * FROM search_people_source WHERE id = NEW.user_id;
END;

CREATE TRIGGER search_on_company_change AFTER UPDATE OF company ON contractors BEGIN
    INSERT INTO search_learn (text) VALUES (NEW.company);
    DELETE FROM search_people WHERE rowid = NEW.user_id;
    INSERT INTO search_people (rowid, name, details) SELECT * FROM search_people_source WHERE id = NEW.user_id;
    DELETE FROM search_orders WHERE rowid IN (SELECT id FROM work_orders WHERE contractor_id = NEW.user_id);
    INSERT INTO search_orders (rowid, reference, place, people, issue, messages, notes)
        SELECT * FROM search_orders_source WHERE id IN (SELECT id FROM work_orders WHERE contractor_id = NEW.user_id);
END;

CREATE TRIGGER search_properties_on_insert AFTER INSERT ON properties BEGIN
    INSERT INTO search_learn (text) VALUES (NEW.name || ' ' || NEW.street || ' ' || NEW.city);
    INSERT INTO search_properties (rowid, address, landlord) SELECT * FROM search_properties_source WHERE id = NEW.id;
END;

CREATE TRIGGER search_on_property_change AFTER UPDATE OF name, street, city, postcode, landlord_id ON properties BEGIN
    INSERT INTO search_learn (text) VALUES (NEW.name || ' ' || NEW.street || ' ' || NEW.city);
    DELETE FROM search_properties WHERE rowid = NEW.id;
    INSERT INTO search_properties (rowid, address, landlord) SELECT * FROM search_properties_source WHERE id = NEW.id;
    DELETE FROM search_orders WHERE rowid IN (SELECT id FROM work_orders WHERE property_id = NEW.id);
    INSERT INTO search_orders (rowid, reference, place, people, issue, messages, notes)
        SELECT * FROM search_orders_source WHERE id IN (SELECT id FROM work_orders WHERE property_id = NEW.id);
END;

CREATE TRIGGER search_on_unit_change AFTER UPDATE OF label ON units BEGIN
    DELETE FROM search_orders WHERE rowid IN (SELECT id FROM work_orders WHERE unit_id = NEW.id);
    INSERT INTO search_orders (rowid, reference, place, people, issue, messages, notes)
        SELECT * FROM search_orders_source WHERE id IN (SELECT id FROM work_orders WHERE unit_id = NEW.id);
END;

CREATE TRIGGER search_on_category_insert AFTER INSERT ON categories BEGIN
    INSERT INTO search_learn (text) VALUES (NEW.name);
END;

CREATE TRIGGER search_on_category_change AFTER UPDATE OF name ON categories BEGIN
    INSERT INTO search_learn (text) VALUES (NEW.name);
    DELETE FROM search_orders WHERE rowid IN (
        SELECT id FROM work_orders WHERE category_id = NEW.id OR subcategory_id = NEW.id);
    INSERT INTO search_orders (rowid, reference, place, people, issue, messages, notes)
        SELECT * FROM search_orders_source WHERE id IN (
            SELECT id FROM work_orders WHERE category_id = NEW.id OR subcategory_id = NEW.id);
END;

-- What the store holds already.
INSERT INTO search_orders (rowid, reference, place, people, issue, messages, notes) SELECT * FROM search_orders_source;
INSERT INTO search_people (rowid, name, details) SELECT * FROM search_people_source;
INSERT INTO search_properties (rowid, address, landlord) SELECT * FROM search_properties_source;
INSERT INTO search_learn (text) SELECT description FROM work_orders;
INSERT INTO search_learn (text) SELECT body FROM messages;
INSERT INTO search_learn (text) SELECT name FROM users;
INSERT INTO search_learn (text) SELECT company FROM contractors;
INSERT INTO search_learn (text) SELECT name || ' ' || street || ' ' || city FROM properties;
INSERT INTO search_learn (text) SELECT name FROM categories;
