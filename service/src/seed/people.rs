//! The agency, its categories, and its people and places.

use super::AgencySize;
use super::catalogue::CATEGORIES;
use crate::db::{Db, Sql};
use crate::error::Result;
use crate::time::to_secs;
use chrono::{DateTime, Duration, Utc};
use plumbline_domain::sla::{SlaTarget, SlaTargets};
use plumbline_domain::{Priority, Role};
use rand::Rng;
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;

pub struct Category {
    pub id: i64,
    pub name: &'static str,
    pub subcategories: Vec<Subcategory>,
}

pub struct Subcategory {
    pub id: i64,
    pub name: &'static str,
    pub default_priority: Priority,
    pub descriptions: &'static [&'static str],
}

pub struct Unit {
    pub id: i64,
    pub property_id: i64,
    pub tenancy_id: i64,
    pub tenant_id: i64,
    pub landlord_id: i64,
}

pub struct Contractor {
    pub id: i64,
    /// Indexes into the category list.
    pub categories: Vec<usize>,
    pub quality: Quality,
}

/// How reliable a contractor is: how fast they take a job, how often their work holds,
/// and what tenants make of it. Most are good, a few are not, as at any agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quality {
    Good,
    Fair,
    Poor,
}

impl Quality {
    /// By place in the list rather than a random draw, so the people generated stay as
    /// they were: the preferred (every third) are good; of the rest, a few are poor.
    fn of(index: usize) -> Self {
        match (index % 3, index % 2) {
            (0, _) | (2, 0) => Quality::Good,
            (1, _) => Quality::Fair,
            _ => Quality::Poor,
        }
    }
}

pub struct Agency {
    pub staff: Vec<i64>,
    pub units: Vec<Unit>,
    pub contractors: Vec<Contractor>,
    pub user_count: usize,
}

const STAFF: &[(&str, Role)] =
    &[("Priya Shah", Role::Staff), ("Tom Okafor", Role::Staff), ("Alex Morgan", Role::Admin)];
const FIRST: &[&str] = &[
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Sophia", "Grace", "Freya", "Noah", "Oliver", "George",
    "Arthur", "Muhammad", "Leo", "Harry", "Oscar", "Jack", "Theo", "Aisha", "Chen", "Kofi", "Zofia", "Mateo",
];
const LAST: &[&str] = &[
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson", "Wright",
    "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Khan", "Nowak", "Osei", "Murphy", "Clarke",
];
const STREETS: &[&str] = &[
    "Quay Street",
    "Victoria Road",
    "Albert Terrace",
    "Mill Lane",
    "Church Street",
    "Station Road",
    "Park Avenue",
    "Kings Road",
    "Harbour Walk",
    "Elm Grove",
    "Canal Side",
    "Market Place",
    "Orchard Close",
    "Riverside Court",
];
const AREAS: &[(&str, &str)] = &[
    ("Bristol", "BS1"),
    ("Bristol", "BS3"),
    ("Bristol", "BS6"),
    ("Bath", "BA1"),
    ("Bath", "BA2"),
    ("Clevedon", "BS21"),
];
const TRADES: &[(&str, &[usize])] = &[
    ("Plumbing & Heating", &[0, 2]),
    ("Electrical Services", &[1]),
    ("Gas & Boiler Care", &[2]),
    ("Appliance Repairs", &[3]),
    ("Joinery & Glazing", &[4]),
    ("Pest Solutions", &[5]),
    ("Property Services", &[4, 6]),
    ("Handyman", &[0, 4, 6]),
];

/// The agency row is the store's one row of its kind: its id is always 1 (the schema
/// CHECKs it), never generated.
pub async fn insert_agency(tx: &mut Db) -> Result<()> {
    Sql::new("INSERT INTO agency (id, name, escalation_contact) VALUES (1, 'Harbour Lettings', '07700 900123')")
        .execute(&mut *tx)
        .await?;
    let targets = SlaTargets::default();
    for priority in Priority::ALL {
        let SlaTarget { respond, resolve } = targets.for_priority(priority);
        Sql::new("INSERT INTO sla_targets (priority, respond, resolve) VALUES (?, ?, ?)")
            .bind(priority.as_str())
            .bind(serde_json::to_string(&respond).map_err(anyhow::Error::from)?)
            .bind(serde_json::to_string(&resolve).map_err(anyhow::Error::from)?)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

pub async fn insert_categories(tx: &mut Db) -> Result<Vec<Category>> {
    let mut categories = Vec::new();
    for seed in CATEGORIES {
        let id = insert_category(tx, None, seed.name, seed.default_priority, seed.tips).await?;
        let mut subcategories = Vec::new();
        for sub in seed.subcategories {
            let sub_id = insert_category(tx, Some(id), sub.name, sub.default_priority, "").await?;
            subcategories.push(Subcategory {
                id: sub_id,
                name: sub.name,
                default_priority: sub.default_priority,
                descriptions: sub.descriptions,
            });
        }
        categories.push(Category { id, name: seed.name, subcategories });
    }
    Ok(categories)
}

async fn insert_category(tx: &mut Db, parent: Option<i64>, name: &str, priority: Priority, tips: &str) -> Result<i64> {
    let (id,): (i64,) = Sql::new(
        "INSERT INTO categories (parent_id, name, default_priority, troubleshooting) VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(parent)
    .bind(name)
    .bind(priority.as_str())
    .bind(tips)
    .fetch_one(tx)
    .await?;
    Ok(id)
}

struct People<'a> {
    tx: &'a mut Db,
    rng: &'a mut SmallRng,
    created_at: i64,
    count: usize,
}

impl People<'_> {
    async fn user(&mut self, name: &str, role: Role) -> Result<i64> {
        self.count += 1;
        let email = format!("{}.{}@example.com", name.to_lowercase().replace(' ', "."), self.count);
        let phone = format!("07700 9{:05}", self.rng.gen_range(0..100_000));
        let (id,): (i64,) =
            Sql::new("INSERT INTO users (email, name, phone, role, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id")
                .bind(email)
                .bind(name)
                .bind(phone)
                .bind(role.as_str())
                .bind(self.created_at)
                .fetch_one(&mut *self.tx)
                .await?;
        Ok(id)
    }

    fn person_name(&mut self) -> String {
        let first = FIRST.choose(self.rng).copied().unwrap_or("Sam");
        let last = LAST.choose(self.rng).copied().unwrap_or("Lee");
        format!("{first} {last}")
    }
}

pub async fn insert_people(
    tx: &mut Db,
    rng: &mut SmallRng,
    size: AgencySize,
    categories: &[Category],
    now: DateTime<Utc>,
) -> Result<Agency> {
    let created_at = to_secs(now - Duration::days(size.days_of_history + 30));
    let mut people = People { tx, rng, created_at, count: 0 };
    let mut staff = Vec::new();
    for (name, role) in STAFF {
        staff.push(people.user(name, *role).await?);
    }
    let mut landlords = Vec::new();
    for _ in 0..size.landlords {
        let name = people.person_name();
        let id = people.user(&name, Role::Landlord).await?;
        Sql::new("INSERT INTO landlord_thresholds (landlord_id) VALUES (?)").bind(id).execute(&mut *people.tx).await?;
        landlords.push(id);
    }
    let contractors = insert_contractors(&mut people, size, categories, now).await?;
    let units = insert_properties(&mut people, size, &landlords).await?;
    Ok(Agency { staff, units, contractors, user_count: people.count })
}

async fn insert_contractors(
    people: &mut People<'_>,
    size: AgencySize,
    categories: &[Category],
    now: DateTime<Utc>,
) -> Result<Vec<Contractor>> {
    let mut contractors = Vec::new();
    for i in 0..size.contractors {
        let (trade, trade_categories) = TRADES[i % TRADES.len()];
        let owner = people.person_name();
        let surname = owner.split(' ').next_back().unwrap_or("Bristol");
        let id = people.user(&owner, Role::Contractor).await?;
        // Most insurance is current; a few lapsed or lapsing ones keep the red/amber states real.
        let insurance_days = people.rng.gen_range(-40..400);
        Sql::new(
            "INSERT INTO contractors (user_id, company, hourly_rate_minor, callout_fee_minor, insurance_expires_on, preferred)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(format!("{surname} {trade}"))
        .bind(people.rng.gen_range(35..75_i64) * 100)
        .bind(people.rng.gen_range(0..6_i64) * 1000)
        .bind((now + Duration::days(insurance_days)).date_naive().to_string())
        .bind(i % 3 == 0)
        .execute(&mut *people.tx)
        .await?;
        for &index in trade_categories {
            Sql::new("INSERT INTO contractor_categories (contractor_id, category_id) VALUES (?, ?)")
                .bind(id)
                .bind(categories[index].id)
                .execute(&mut *people.tx)
                .await?;
        }
        contractors.push(Contractor { id, categories: trade_categories.to_vec(), quality: Quality::of(i) });
    }
    Ok(contractors)
}

async fn insert_properties(people: &mut People<'_>, size: AgencySize, landlords: &[i64]) -> Result<Vec<Unit>> {
    let mut units = Vec::new();
    // One property per address (`properties_by_address`): a drawn address already taken is drawn again.
    let mut taken = std::collections::HashSet::new();
    for i in 0..size.properties {
        let landlord_id = landlords[i % landlords.len()];
        let (street, city, postcode) = loop {
            let street = STREETS.choose(people.rng).copied().unwrap_or("High Street");
            let (city, district) = AREAS.choose(people.rng).copied().unwrap_or(("Bristol", "BS1"));
            let number = people.rng.gen_range(1..180);
            let postcode =
                format!("{district} {}{}{}", people.rng.gen_range(1..9), letter(people.rng), letter(people.rng));
            let street = format!("{number} {street}");
            if taken.insert((street.clone(), postcode.clone())) {
                break (street, city, postcode);
            }
        };
        let (property_id,): (i64,) = Sql::new(
            "INSERT INTO properties (landlord_id, name, street, city, postcode) VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(landlord_id)
        .bind(&street)
        .bind(&street)
        .bind(city)
        .bind(postcode)
        .fetch_one(&mut *people.tx)
        .await?;
        let flats = if people.rng.gen_bool(0.4) { 1 } else { people.rng.gen_range(2..=6) };
        for flat in 1..=flats {
            let label = if flats == 1 { "Whole house".to_owned() } else { format!("Flat {flat}") };
            units.push(insert_unit(people, property_id, landlord_id, &label).await?);
        }
    }
    Ok(units)
}

async fn insert_unit(people: &mut People<'_>, property_id: i64, landlord_id: i64, label: &str) -> Result<Unit> {
    let (unit_id,): (i64,) = Sql::new("INSERT INTO units (property_id, label) VALUES (?, ?) RETURNING id")
        .bind(property_id)
        .bind(label)
        .fetch_one(&mut *people.tx)
        .await?;
    let tenant_name = people.person_name();
    let tenant_id = people.user(&tenant_name, Role::Tenant).await?;
    let pets = ["", "", "Friendly dog", "Two cats, keep doors closed"].choose(people.rng).copied().unwrap_or("");
    let (tenancy_id,): (i64,) = Sql::new(
        "INSERT INTO tenancies (unit_id, tenant_id, started_on, gate_code, lockbox_code, pets, best_contact, preferred_times)
         VALUES (?, ?, '2024-09-01', ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(unit_id)
    .bind(tenant_id)
    .bind(people.rng.gen_bool(0.5).then(|| format!("{:04}#", people.rng.gen_range(0..10_000))))
    .bind(people.rng.gen_bool(0.3).then(|| format!("{:04}", people.rng.gen_range(0..10_000))))
    .bind(pets)
    .bind(["Phone", "Text message", "E-mail"].choose(people.rng).copied().unwrap_or("Phone"))
    .bind(["Weekday mornings", "After 4pm", "Any time", "Not Fridays"].choose(people.rng).copied().unwrap_or(""))
    .fetch_one(&mut *people.tx)
    .await?;
    Ok(Unit { id: unit_id, property_id, tenancy_id, tenant_id, landlord_id })
}

fn letter(rng: &mut SmallRng) -> char {
    char::from(b'A' + rng.gen_range(0..26u8))
}
