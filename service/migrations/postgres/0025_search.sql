-- Full-text search (#19): PostgreSQL's own index for what SQLite's FTS5 tables do
-- (migrations/sqlite/0025): each order, person and property as text, a `tsvector` of it
-- under a GIN index, kept by triggers inside the same transaction as every write to what
-- they index. The tables named search_* are each engine's own, left out of the schema
-- comparison and of the copies between engines.
--
-- The 'simple' configuration: lower-cased words, no stemming or stop words, as FTS5's
-- unicode61 (names and addresses are not English prose). pg_trgm finds the indexed words
-- nearest a misspelt one (`search::words`).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- An order as words, one column per kind of text; `notes` (internal notes, and retracted
-- messages) is the agency's alone, so it has its own vector.
CREATE TABLE search_orders (
    id        BIGINT PRIMARY KEY REFERENCES work_orders (id) ON DELETE CASCADE,
    reference TEXT NOT NULL,
    place     TEXT NOT NULL,
    people    TEXT NOT NULL,
    issue     TEXT NOT NULL,
    messages  TEXT NOT NULL,
    notes     TEXT NOT NULL,
    everyone  tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', reference || ' ' || place || ' ' || people || ' ' || issue || ' ' || messages)) STORED,
    agency    tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', reference || ' ' || place || ' ' || people || ' ' || issue || ' ' || messages
                              || ' ' || notes)) STORED
);
CREATE INDEX search_orders_everyone ON search_orders USING gin (everyone);
CREATE INDEX search_orders_agency ON search_orders USING gin (agency);

-- The one definition of an order's words.
CREATE VIEW search_orders_source AS
SELECT w.id,
       -- "PL 000123", not "PL-000123": PostgreSQL's parser reads "-000123" as a number.
       'PL ' || lpad(w.id::text, 6, '0') || ' ' || w.id AS reference,
       p.name || ' ' || p.street || ' ' || p.city || ' ' || p.postcode || ' ' || u.label AS place,
       coalesce(t.name, '') || ' ' || l.name || ' ' || coalesce(k.company, '') AS people,
       c.name || ' ' || s.name || ' ' || w.description AS issue,
       coalesce((SELECT string_agg(m.body, ' ' ORDER BY m.id) FROM messages m
                 WHERE m.work_order_id = w.id AND NOT m.internal AND m.retracted_at IS NULL), '') AS messages,
       coalesce((SELECT string_agg(m.body, ' ' ORDER BY m.id) FROM messages m
                 WHERE m.work_order_id = w.id AND (m.internal OR m.retracted_at IS NOT NULL)), '') AS notes
FROM work_orders w
JOIN properties p ON p.id = w.property_id
JOIN units u ON u.id = w.unit_id
JOIN users l ON l.id = p.landlord_id
LEFT JOIN users t ON t.id = w.tenant_id
LEFT JOIN contractors k ON k.user_id = w.contractor_id
JOIN categories c ON c.id = w.category_id
JOIN categories s ON s.id = w.subcategory_id;

CREATE TABLE search_people (
    id       BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    details  TEXT NOT NULL,
    document tsvector GENERATED ALWAYS AS (to_tsvector('simple', name || ' ' || details)) STORED
);
CREATE INDEX search_people_document ON search_people USING gin (document);

CREATE VIEW search_people_source AS
SELECT u.id, u.name, u.email || ' ' || coalesce(u.phone, '') || ' ' || coalesce(k.company, '') AS details
FROM users u LEFT JOIN contractors k ON k.user_id = u.id
WHERE u.role IN ('landlord', 'contractor', 'tenant');

CREATE TABLE search_properties (
    id       BIGINT PRIMARY KEY REFERENCES properties (id) ON DELETE CASCADE,
    address  TEXT NOT NULL,
    landlord TEXT NOT NULL,
    document tsvector GENERATED ALWAYS AS (to_tsvector('simple', address || ' ' || landlord)) STORED
);
CREATE INDEX search_properties_document ON search_properties USING gin (document);

CREATE VIEW search_properties_source AS
SELECT p.id, p.name || ' ' || p.street || ' ' || p.city || ' ' || p.postcode AS address, l.name AS landlord
FROM properties p JOIN users l ON l.id = p.landlord_id;

-- Every word indexed, for correcting a misspelt one; never pruned (a word no longer in
-- any document only costs a correction that then finds nothing).
CREATE TABLE search_words (word TEXT PRIMARY KEY);
-- GiST rather than GIN: it also answers "the nearest words to this one" (`<->`) in order.
CREATE INDEX search_words_trigrams ON search_words USING gist (word gist_trgm_ops);

-- Rewrite each kind of document from its source, and learn its words.
CREATE FUNCTION search_refresh_orders(ids BIGINT[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO search_orders (id, reference, place, people, issue, messages, notes)
    SELECT * FROM search_orders_source WHERE id = ANY (ids)
    ON CONFLICT (id) DO UPDATE SET reference = EXCLUDED.reference, place = EXCLUDED.place,
        people = EXCLUDED.people, issue = EXCLUDED.issue, messages = EXCLUDED.messages, notes = EXCLUDED.notes;
    INSERT INTO search_words (word)
    SELECT DISTINCT unnest(tsvector_to_array(agency)) FROM search_orders WHERE id = ANY (ids)
    ON CONFLICT DO NOTHING;
$$;

CREATE FUNCTION search_refresh_people(ids BIGINT[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO search_people (id, name, details)
    SELECT * FROM search_people_source WHERE id = ANY (ids)
    ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, details = EXCLUDED.details;
    INSERT INTO search_words (word)
    SELECT DISTINCT unnest(tsvector_to_array(document)) FROM search_people WHERE id = ANY (ids)
    ON CONFLICT DO NOTHING;
$$;

CREATE FUNCTION search_refresh_properties(ids BIGINT[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO search_properties (id, address, landlord)
    SELECT * FROM search_properties_source WHERE id = ANY (ids)
    ON CONFLICT (id) DO UPDATE SET address = EXCLUDED.address, landlord = EXCLUDED.landlord;
    INSERT INTO search_words (word)
    SELECT DISTINCT unnest(tsvector_to_array(document)) FROM search_properties WHERE id = ANY (ids)
    ON CONFLICT DO NOTHING;
$$;

CREATE FUNCTION search_on_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_refresh_orders(ARRAY[NEW.id]);
    RETURN NULL;
END $$;
CREATE TRIGGER search_orders_on_write
AFTER INSERT OR UPDATE OF property_id, unit_id, tenant_id, contractor_id, category_id, subcategory_id, description
ON work_orders FOR EACH ROW EXECUTE FUNCTION search_on_order();

CREATE FUNCTION search_on_message() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.work_order_id IS NOT NULL THEN
        PERFORM search_refresh_orders(ARRAY[NEW.work_order_id]);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER search_orders_on_message
AFTER INSERT OR UPDATE OF body, internal, retracted_at ON messages FOR EACH ROW EXECUTE FUNCTION search_on_message();

-- A renamed person, company, property, unit or category: their orders' words too.
CREATE FUNCTION search_on_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_refresh_people(ARRAY[NEW.id]);
    IF TG_OP = 'UPDATE' THEN
        PERFORM search_refresh_properties(ARRAY(SELECT id FROM properties WHERE landlord_id = NEW.id));
        PERFORM search_refresh_orders(ARRAY(
            SELECT id FROM work_orders WHERE tenant_id = NEW.id
            UNION SELECT w.id FROM work_orders w JOIN properties p ON p.id = w.property_id
                  WHERE p.landlord_id = NEW.id));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER search_on_user AFTER INSERT OR UPDATE OF name, email, phone ON users
FOR EACH ROW EXECUTE FUNCTION search_on_user();

CREATE FUNCTION search_on_contractor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_refresh_people(ARRAY[NEW.user_id]);
    IF TG_OP = 'UPDATE' THEN
        PERFORM search_refresh_orders(ARRAY(SELECT id FROM work_orders WHERE contractor_id = NEW.user_id));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER search_on_contractor AFTER INSERT OR UPDATE OF company ON contractors
FOR EACH ROW EXECUTE FUNCTION search_on_contractor();

CREATE FUNCTION search_on_property() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_refresh_properties(ARRAY[NEW.id]);
    IF TG_OP = 'UPDATE' THEN
        PERFORM search_refresh_orders(ARRAY(SELECT id FROM work_orders WHERE property_id = NEW.id));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER search_on_property AFTER INSERT OR UPDATE OF name, street, city, postcode, landlord_id ON properties
FOR EACH ROW EXECUTE FUNCTION search_on_property();

CREATE FUNCTION search_on_unit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_refresh_orders(ARRAY(SELECT id FROM work_orders WHERE unit_id = NEW.id));
    RETURN NULL;
END $$;
CREATE TRIGGER search_on_unit AFTER UPDATE OF label ON units FOR EACH ROW EXECUTE FUNCTION search_on_unit();

CREATE FUNCTION search_on_category() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM search_refresh_orders(ARRAY(
        SELECT id FROM work_orders WHERE category_id = NEW.id OR subcategory_id = NEW.id));
    RETURN NULL;
END $$;
CREATE TRIGGER search_on_category AFTER UPDATE OF name ON categories FOR EACH ROW EXECUTE FUNCTION search_on_category();

-- What the database holds already.
SELECT search_refresh_orders(ARRAY(SELECT id FROM work_orders));
SELECT search_refresh_people(ARRAY(SELECT id FROM users));
SELECT search_refresh_properties(ARRAY(SELECT id FROM properties));
