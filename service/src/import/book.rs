//! What the store already holds, indexed by each record's natural key (e-mail address,
//! street and postcode, unit label, tenancy start), loaded once per import so that
//! tens of thousands of rows are matched in memory; records the import adds join it.

use crate::db::{Db, Sql};
use crate::error::Result;
use plumbline_domain::Role;
use std::collections::{HashMap, HashSet};

#[derive(Default)]
pub struct Book {
    /// Lower-case e-mail → (user id, role).
    users: HashMap<String, (i64, Role)>,
    /// (street, postcode), lower-case → (property id, landlord id).
    properties: HashMap<(String, String), (i64, i64)>,
    /// (property id, lower-case label) → unit id.
    units: HashMap<(i64, String), i64>,
    /// (unit id, tenant id, start day).
    tenancies: HashSet<(i64, i64, String)>,
    /// Top-level category names, lower-case → id; and as the agency writes them.
    trades: HashMap<String, i64>,
    pub trade_names: Vec<String>,
}

impl Book {
    pub async fn load(db: &mut Db) -> Result<Self> {
        let mut book = Book::default();
        let users: Vec<(i64, String, String)> =
            Sql::new("SELECT id, email, role FROM users").fetch_all(&mut *db).await?;
        for (id, email, role) in users {
            let role = Role::try_from(role).map_err(|err| anyhow::anyhow!("{err}"))?;
            book.users.insert(email.to_lowercase(), (id, role));
        }
        let properties: Vec<(i64, i64, String, String)> =
            Sql::new("SELECT id, landlord_id, street, postcode FROM properties").fetch_all(&mut *db).await?;
        for (id, landlord, street, postcode) in properties {
            book.properties.insert(address_key(&street, &postcode), (id, landlord));
        }
        let units: Vec<(i64, i64, String)> =
            Sql::new("SELECT id, property_id, label FROM units").fetch_all(&mut *db).await?;
        for (id, property, label) in units {
            book.units.insert((property, label.to_lowercase()), id);
        }
        let tenancies: Vec<(i64, i64, String)> =
            Sql::new("SELECT unit_id, tenant_id, started_on FROM tenancies").fetch_all(&mut *db).await?;
        book.tenancies.extend(tenancies);
        let trades: Vec<(i64, String)> =
            Sql::new("SELECT id, name FROM categories WHERE parent_id IS NULL ORDER BY id").fetch_all(&mut *db).await?;
        for (id, name) in trades {
            book.trades.insert(name.to_lowercase(), id);
            book.trade_names.push(name);
        }
        Ok(book)
    }

    pub fn user(&self, email: &str) -> Option<(i64, Role)> {
        self.users.get(email).copied()
    }

    pub fn add_user(&mut self, email: &str, id: i64, role: Role) {
        self.users.insert(email.to_owned(), (id, role));
    }

    pub fn property(&self, street: &str, postcode: &str) -> Option<(i64, i64)> {
        self.properties.get(&address_key(street, postcode)).copied()
    }

    pub fn add_property(&mut self, street: &str, postcode: &str, id: i64, landlord: i64) {
        self.properties.insert(address_key(street, postcode), (id, landlord));
    }

    pub fn unit(&self, property: i64, label: &str) -> Option<i64> {
        self.units.get(&(property, label.to_lowercase())).copied()
    }

    pub fn add_unit(&mut self, property: i64, label: &str, id: i64) {
        self.units.insert((property, label.to_lowercase()), id);
    }

    /// Records the tenancy; false if it was already there.
    pub fn add_tenancy(&mut self, unit: i64, tenant: i64, started_on: &str) -> bool {
        self.tenancies.insert((unit, tenant, started_on.to_owned()))
    }

    /// The category called `name`, or else the one with `name` as a part of its own
    /// ("Heating" for "HVAC / Heating").
    pub fn trade(&self, name: &str) -> Option<i64> {
        let name = name.to_lowercase();
        self.trades.get(&name).copied().or_else(|| {
            let mut parts = self.trades.iter().filter(|(full, _)| full.split('/').any(|part| part.trim() == name));
            parts.next().map(|(_, id)| *id)
        })
    }
}

/// As the unique index `properties_by_address` compares them.
fn address_key(street: &str, postcode: &str) -> (String, String) {
    (street.to_lowercase(), postcode.to_lowercase())
}
