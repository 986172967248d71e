-- The agency's whole list sorted by property walks the properties in street order and
-- reads each one's orders (`list.rs`), rather than sorting every order.
CREATE INDEX properties_by_street ON properties (street, id);
