//! The category tree as the intake form offers it. (The demo's default list is in
//! `seed::catalogue`; this reads whatever the agency's store holds.)

use crate::db::Sql;
use crate::error::Result;
use crate::store::Store;
use plumbline_domain::Priority;
use plumbline_domain::api::{CategoryOption, SubcategoryOption};
use plumbline_domain::ids::CategoryId;

#[derive(sqlx::FromRow)]
struct CategoryRecord {
    id: i64,
    parent_id: Option<i64>,
    name: String,
    #[sqlx(try_from = "String")]
    default_priority: Priority,
    troubleshooting: String,
}

/// Top-level categories in the agency's order, each with the sub-categories a request
/// is filed under. A sub-category without tips of its own shows its category's.
pub async fn intake_options(store: &Store) -> Result<Vec<CategoryOption>> {
    let records: Vec<CategoryRecord> =
        Sql::new("SELECT id, parent_id, name, default_priority, troubleshooting FROM categories ORDER BY id")
            .fetch_all(store)
            .await?;
    let mut options = Vec::new();
    for top in records.iter().filter(|r| r.parent_id.is_none()) {
        let subcategories = records
            .iter()
            .filter(|r| r.parent_id == Some(top.id))
            .map(|sub| subcategory_option(sub, top))
            .collect::<Vec<_>>();
        // A category with nothing under it cannot take a request.
        if !subcategories.is_empty() {
            options.push(CategoryOption { id: CategoryId(top.id), name: top.name.clone(), subcategories });
        }
    }
    Ok(options)
}

fn subcategory_option(sub: &CategoryRecord, parent: &CategoryRecord) -> SubcategoryOption {
    let tips = if sub.troubleshooting.trim().is_empty() { &parent.troubleshooting } else { &sub.troubleshooting };
    SubcategoryOption {
        id: CategoryId(sub.id),
        name: sub.name.clone(),
        tips: tips.clone(),
        default_priority: sub.default_priority,
    }
}
