//! The agency's rules as the admin sets them: working calendar, SLA targets, auto-close,
//! cancellation, escalation contact, attachment and money limits, idle sign-out,
//! currency, who may use the web portal. Every change is recorded (who, when, before,
//! after). SLA due times are fixed when an order opens, so a new target or working week
//! applies to new orders, never silently to existing ones.

use crate::agency;
use crate::db::{Db, Sql};
use crate::error::{Result, ServiceError};
use crate::input::{self, MAX_LINE_CHARS};
use crate::money;
use crate::store::Store;
use crate::time::{from_secs, to_secs};
use chrono::{DateTime, Utc};
use plumbline_domain::agency_rules;
use plumbline_domain::api::{
    AgencyRules, BankHoliday, CategoryInput, CategoryRecord, Field, SettingChange, SetupChecklist, SlaTargetRow,
    WebPortal,
};
use plumbline_domain::ids::CategoryId;
use plumbline_domain::sla::SlaSpan;
use plumbline_domain::{Actor, Priority, Role, UserId};

const MB: i64 = 1024 * 1024;
/// How many changes the audit trail shows.
pub const HISTORY_SHOWN: i64 = 200;

fn require_admin(actor: Actor) -> Result<()> {
    match actor.role {
        Role::Admin => Ok(()),
        Role::Staff | Role::Landlord | Role::Contractor | Role::Tenant => {
            Err(ServiceError::NotAllowed("only an agency admin can change the agency's settings".into()))
        }
    }
}

#[derive(sqlx::FromRow)]
struct AgencyRow {
    name: String,
    currency: String,
    time_zone: String,
    working_days: String,
    day_start: String,
    day_end: String,
    auto_close_days: i64,
    tenants_may_cancel_after_accept: bool,
    escalation_contact: Option<String>,
    escalation_email: Option<String>,
    max_attachment_bytes: i64,
    max_order_attachment_bytes: i64,
    max_order_amount_minor: i64,
    invoice_overrun_percent: i64,
    idle_sign_out_minutes: i64,
    #[sqlx(flatten)]
    web_portal: WebPortalRow,
}

#[derive(sqlx::FromRow)]
struct WebPortalRow {
    web_portal_staff: bool,
    web_portal_landlords: bool,
    web_portal_contractors: bool,
    web_portal_tenants: bool,
}

impl From<WebPortalRow> for WebPortal {
    fn from(row: WebPortalRow) -> Self {
        WebPortal {
            staff: row.web_portal_staff,
            landlords: row.web_portal_landlords,
            contractors: row.web_portal_contractors,
            tenants: row.web_portal_tenants,
        }
    }
}

const WEB_PORTAL_COLUMNS: &str = "web_portal_staff, web_portal_landlords, web_portal_contractors, web_portal_tenants";

/// Who may use the web portal: what the agency server asks at each web sign-in and each
/// request a browser's cookie authenticates. Anyone's to read (no actor: the server asks
/// before anyone is signed in).
pub async fn web_portal(store: &Store) -> Result<WebPortal> {
    let row: WebPortalRow =
        Sql::new(format!("SELECT {WEB_PORTAL_COLUMNS} FROM agency WHERE id = 1")).fetch_one(store).await?;
    Ok(row.into())
}

/// The agency's rules now. Staff may read them (the desk shows SLA targets); only an
/// admin may change them.
pub async fn rules(store: &Store, actor: Actor) -> Result<AgencyRules> {
    if !actor.role.is_agency() {
        return Err(ServiceError::NotAllowed("only agency staff can see the agency's settings".into()));
    }
    rules_in(&mut store.read().await?).await
}

async fn rules_in(db: &mut Db) -> Result<AgencyRules> {
    let row: AgencyRow = Sql::new(format!(
        "SELECT name, currency, time_zone, working_days, day_start, day_end, auto_close_days,
                tenants_may_cancel_after_accept, escalation_contact, escalation_email, max_attachment_bytes,
                max_order_attachment_bytes, max_order_amount_minor, invoice_overrun_percent, idle_sign_out_minutes,
                {WEB_PORTAL_COLUMNS}
         FROM agency WHERE id = 1"
    ))
    .fetch_one(&mut *db)
    .await?;
    let settings = agency::settings_in(db).await?;
    let holidays: Vec<(String, String)> =
        Sql::new("SELECT day, name FROM bank_holidays ORDER BY day").fetch_all(&mut *db).await?;
    let bank_holidays =
        holidays.into_iter().filter_map(|(day, name)| day.parse().ok().map(|day| BankHoliday { day, name })).collect();
    Ok(AgencyRules {
        name: row.name,
        currency: row.currency,
        time_zone: row.time_zone,
        working_days: row.working_days.split(',').map(|d| d.trim().to_owned()).collect(),
        day_start: row.day_start,
        day_end: row.day_end,
        bank_holidays,
        sla: Priority::ALL
            .into_iter()
            .map(|priority| {
                let target = settings.sla.for_priority(priority);
                SlaTargetRow { priority, respond: target.respond, resolve: target.resolve }
            })
            .collect(),
        auto_close_days: row.auto_close_days,
        tenants_may_cancel_after_accept: row.tenants_may_cancel_after_accept,
        escalation_contact: row.escalation_contact.unwrap_or_default(),
        escalation_email: row.escalation_email.unwrap_or_default(),
        max_file_mb: row.max_attachment_bytes / MB,
        max_order_mb: row.max_order_attachment_bytes / MB,
        max_order_amount: money::stored(row.max_order_amount_minor)?,
        invoice_overrun_percent: row.invoice_overrun_percent,
        idle_sign_out_minutes: row.idle_sign_out_minutes,
        web_portal: row.web_portal.into(),
    })
}

/// Checks `rules` (`agency_rules::problems`, refusing the first; the screen shows them
/// all) and returns them tidied: trimmed, days in week order, holidays sorted.
fn check(rules: &AgencyRules) -> Result<AgencyRules> {
    if let Some((field, message)) = agency_rules::problems(rules).into_iter().next() {
        return Err(ServiceError::validation(field, message));
    }
    let name = input::required(Field::Agency, "agency's name", &rules.name, MAX_LINE_CHARS)?;
    let invalid = |field: Field| move |message: String| ServiceError::validation(field, message);
    let working_days = agency_rules::working_days(&rules.working_days).map_err(invalid(Field::WorkingDays))?;
    let day_start = agency_rules::time_of_day(&rules.day_start).map_err(invalid(Field::DayStart))?;
    let day_end = agency_rules::time_of_day(&rules.day_end).map_err(invalid(Field::DayEnd))?;
    let mut bank_holidays = rules.bank_holidays.clone();
    for holiday in &mut bank_holidays {
        holiday.name = input::optional(Field::BankHolidays, "holiday's name", &holiday.name, 60)?;
    }
    bank_holidays.sort_by_key(|h| h.day);
    bank_holidays.dedup_by_key(|h| h.day);
    Ok(AgencyRules {
        name,
        currency: rules.currency.trim().to_uppercase(),
        time_zone: rules.time_zone.trim().to_owned(),
        working_days: working_days.into_iter().map(|d| d.to_string()).collect(),
        day_start: day_start.format("%H:%M").to_string(),
        day_end: day_end.format("%H:%M").to_string(),
        bank_holidays,
        sla: rules.sla.clone(),
        escalation_contact: input::optional(
            Field::EscalationContact,
            "escalation contact",
            &rules.escalation_contact,
            MAX_LINE_CHARS,
        )?,
        escalation_email: rules.escalation_email.trim().to_lowercase(),
        ..rules.clone()
    })
}

/// Human words for a span: "4 hours", "3 working days".
pub fn describe_span(span: SlaSpan) -> String {
    let plural = |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match span {
        SlaSpan::Hours(h) => plural(h, "hour", "hours"),
        SlaSpan::Days(d) => plural(d, "day", "days"),
        SlaSpan::BusinessDays(d) => plural(d, "working day", "working days"),
    }
}

/// Each setting as the audit trail names and shows it.
fn described(rules: &AgencyRules) -> Vec<(String, String)> {
    let yes_no = |b: bool| if b { "Yes" } else { "No" }.to_owned();
    let mut settings = vec![
        ("Agency name".to_owned(), rules.name.clone()),
        ("Currency".to_owned(), rules.currency.clone()),
        ("Time zone".to_owned(), rules.time_zone.clone()),
        ("Working days".to_owned(), rules.working_days.join(", ")),
        ("Working hours".to_owned(), format!("{}–{}", rules.day_start, rules.day_end)),
        (
            "Bank holidays".to_owned(),
            rules
                .bank_holidays
                .iter()
                .map(|h| format!("{} {}", h.day, h.name).trim().to_owned())
                .collect::<Vec<_>>()
                .join("; "),
        ),
        ("Auto-close after".to_owned(), format!("{} days", rules.auto_close_days)),
        ("Tenants may cancel after a contractor accepted".to_owned(), yes_no(rules.tenants_may_cancel_after_accept)),
        ("After-hours escalation contact".to_owned(), rules.escalation_contact.clone()),
        ("After-hours escalation e-mail".to_owned(), rules.escalation_email.clone()),
        (
            "Attachment limits".to_owned(),
            format!("{} MB a file, {} MB an order", rules.max_file_mb, rules.max_order_mb),
        ),
        ("Largest amount per order".to_owned(), rules.max_order_amount.in_currency(&rules.currency).to_string()),
        ("Invoice may exceed the approved cost by".to_owned(), format!("{}%", rules.invoice_overrun_percent)),
        ("Sign out after idle".to_owned(), format!("{} minutes", rules.idle_sign_out_minutes)),
        ("Web portal open to".to_owned(), rules.web_portal.describe()),
    ];
    for row in &rules.sla {
        let value = format!("respond {}, resolve {}", describe_span(row.respond), describe_span(row.resolve));
        settings.push((format!("SLA: {}", row.priority.as_str()), value));
    }
    settings
}

/// Saves the agency's rules and records each setting that changed. Only an admin.
pub async fn update(store: &Store, actor: Actor, now: DateTime<Utc>, rules: &AgencyRules) -> Result<AgencyRules> {
    require_admin(actor)?;
    let rules = check(rules)?;
    let mut tx = store.write().await?;
    let before = rules_in(&mut tx).await?;
    let changed: Vec<((String, String), (String, String))> =
        described(&before).into_iter().zip(described(&rules)).filter(|(old, new)| old.1 != new.1).collect();
    if changed.is_empty() {
        return Ok(before);
    }
    write_rules(&mut tx, &rules).await?;
    for ((setting, old), (_, new)) in changed {
        Sql::new("INSERT INTO settings_changes (at, actor_id, setting, before, after) VALUES (?, ?, ?, ?, ?)")
            .bind(to_secs(now))
            .bind(actor.user_id.0)
            .bind(setting)
            .bind(old)
            .bind(new)
            .execute(&mut tx)
            .await?;
    }
    let saved = rules_in(&mut tx).await?;
    tx.commit().await?;
    Ok(saved)
}

async fn write_rules(tx: &mut Db, rules: &AgencyRules) -> Result<()> {
    Sql::new(
        "UPDATE agency SET name = ?, currency = ?, time_zone = ?, working_days = ?, day_start = ?, day_end = ?,
                auto_close_days = ?, tenants_may_cancel_after_accept = ?, escalation_contact = ?,
                escalation_email = ?, max_attachment_bytes = ?, max_order_attachment_bytes = ?,
                max_order_amount_minor = ?, invoice_overrun_percent = ?, idle_sign_out_minutes = ?,
                web_portal_staff = ?, web_portal_landlords = ?, web_portal_contractors = ?, web_portal_tenants = ?
         WHERE id = 1",
    )
    .bind(&rules.name)
    .bind(&rules.currency)
    .bind(&rules.time_zone)
    .bind(rules.working_days.join(","))
    .bind(&rules.day_start)
    .bind(&rules.day_end)
    .bind(rules.auto_close_days)
    .bind(rules.tenants_may_cancel_after_accept)
    .bind((!rules.escalation_contact.is_empty()).then_some(rules.escalation_contact.as_str()))
    .bind((!rules.escalation_email.is_empty()).then_some(rules.escalation_email.as_str()))
    .bind(rules.max_file_mb * MB)
    .bind(rules.max_order_mb * MB)
    .bind(rules.max_order_amount.minor_units())
    .bind(rules.invoice_overrun_percent)
    .bind(rules.idle_sign_out_minutes)
    .bind(rules.web_portal.staff)
    .bind(rules.web_portal.landlords)
    .bind(rules.web_portal.contractors)
    .bind(rules.web_portal.tenants)
    .execute(&mut *tx)
    .await?;
    Sql::new("DELETE FROM bank_holidays").execute(&mut *tx).await?;
    for holiday in &rules.bank_holidays {
        Sql::new("INSERT INTO bank_holidays (day, name) VALUES (?, ?)")
            .bind(holiday.day.to_string())
            .bind(&holiday.name)
            .execute(&mut *tx)
            .await?;
    }
    for row in &rules.sla {
        let json = |span: SlaSpan| serde_json::to_string(&span).map_err(|err| anyhow::anyhow!("sla span: {err}"));
        Sql::new(
            "INSERT INTO sla_targets (priority, respond, resolve) VALUES (?, ?, ?)
             ON CONFLICT (priority) DO UPDATE SET respond = excluded.respond, resolve = excluded.resolve",
        )
        .bind(row.priority.as_str())
        .bind(json(row.respond)?)
        .bind(json(row.resolve)?)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// The settings' audit trail, newest first. Only an admin.
pub async fn history(store: &Store, actor: Actor) -> Result<Vec<SettingChange>> {
    require_admin(actor)?;
    let rows: Vec<(i64, i64, String, String, String, String)> = Sql::new(
        "SELECT c.at, c.actor_id, u.name, c.setting, c.before, c.after
         FROM settings_changes c JOIN users u ON u.id = c.actor_id ORDER BY c.at DESC, c.id DESC LIMIT ?",
    )
    .bind(HISTORY_SHOWN)
    .fetch_all(store)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(at, actor, actor_name, setting, before, after)| SettingChange {
            at: from_secs(at),
            actor: UserId(actor),
            actor_name,
            setting,
            before,
            after,
        })
        .collect())
}

/// How far a new agency has got with setting itself up. Staff see it until it is done.
pub async fn checklist(store: &Store, actor: Actor) -> Result<SetupChecklist> {
    if !actor.role.is_agency() {
        return Err(ServiceError::NotAllowed("only agency staff set the agency up".into()));
    }
    let (properties, contractors, agency_accounts, changes): (i64, i64, i64, i64) = Sql::new(
        "SELECT (SELECT count(*) FROM properties WHERE archived_at IS NULL),
                (SELECT count(*) FROM contractors),
                (SELECT count(*) FROM users WHERE role IN ('staff', 'admin')),
                (SELECT count(*) FROM settings_changes)",
    )
    .fetch_one(store)
    .await?;
    Ok(SetupChecklist { properties, contractors, staff: agency_accounts - 1, settings_reviewed: changes > 0 })
}

#[derive(sqlx::FromRow)]
struct CategoryRow {
    id: i64,
    parent_id: Option<i64>,
    name: String,
    #[sqlx(try_from = "String")]
    default_priority: Priority,
    troubleshooting: String,
    emergency_keywords: String,
    orders: i64,
}

impl From<CategoryRow> for CategoryRecord {
    fn from(r: CategoryRow) -> Self {
        CategoryRecord {
            id: CategoryId(r.id),
            input: CategoryInput {
                parent: r.parent_id.map(CategoryId),
                name: r.name,
                default_priority: r.default_priority,
                troubleshooting: r.troubleshooting,
                emergency_keywords: r.emergency_keywords,
            },
            orders: r.orders,
        }
    }
}

/// Every category, each top-level one followed by its sub-categories, in the order they
/// were added (the intake form's order).
pub async fn categories(store: &Store, actor: Actor) -> Result<Vec<CategoryRecord>> {
    require_admin(actor)?;
    categories_in(&mut store.read().await?).await
}

async fn categories_in(db: &mut Db) -> Result<Vec<CategoryRecord>> {
    let rows: Vec<CategoryRow> = Sql::new(
        "SELECT c.id, c.parent_id, c.name, c.default_priority, c.troubleshooting, c.emergency_keywords,
                (SELECT count(*) FROM work_orders w WHERE w.category_id = c.id OR w.subcategory_id = c.id) AS orders
         FROM categories c ORDER BY coalesce(c.parent_id, c.id), c.parent_id IS NOT NULL, c.id",
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(CategoryRecord::from).collect())
}

fn check_category(input: &CategoryInput) -> Result<CategoryInput> {
    let keywords: Vec<String> =
        input.emergency_keywords.split(',').map(|k| k.trim().to_lowercase()).filter(|k| !k.is_empty()).collect();
    Ok(CategoryInput {
        parent: input.parent,
        name: input::required(Field::Name, "category's name", &input.name, 60)?,
        default_priority: input.default_priority,
        troubleshooting: input::optional(Field::Troubleshooting, "troubleshooting tips", &input.troubleshooting, 2000)?,
        emergency_keywords: input::optional(Field::EmergencyKeywords, "emergency keywords", &keywords.join(", "), 500)?,
    })
}

/// How the trail shows a category.
fn describe_category(c: &CategoryInput) -> String {
    let keywords = if c.emergency_keywords.is_empty() { "none".to_owned() } else { c.emergency_keywords.clone() };
    format!("{} · default {} · emergency words: {keywords}", c.name, c.default_priority.as_str())
}

/// Adds a category or sub-category (`id: None`) or changes one, and records it in the
/// settings' trail. Orders already filed keep their priority and due times.
pub async fn save_category(
    store: &Store,
    actor: Actor,
    now: DateTime<Utc>,
    id: Option<CategoryId>,
    input: &CategoryInput,
) -> Result<Vec<CategoryRecord>> {
    require_admin(actor)?;
    let category = check_category(input)?;
    let mut tx = store.write().await?;
    let all = categories_in(&mut tx).await?;
    if let Some(parent) = category.parent
        && !all.iter().any(|c| c.id == parent && c.input.parent.is_none())
    {
        return Err(ServiceError::validation(Field::Name, "a sub-category goes under one of the top-level categories"));
    }
    let same_name = |c: &&CategoryRecord| {
        c.input.parent == category.parent && c.input.name.eq_ignore_ascii_case(&category.name) && Some(c.id) != id
    };
    if all.iter().any(|c| same_name(&c)) {
        return Err(ServiceError::validation(
            Field::Name,
            format!("there is already a category called {}", category.name),
        ));
    }
    let before = match id {
        Some(id) => {
            let current =
                all.iter().find(|c| c.id == id).ok_or_else(|| ServiceError::not_found(format!("Category {}", id.0)))?;
            if current.input.parent.is_some() != category.parent.is_some() {
                return Err(ServiceError::validation(
                    Field::Name,
                    "a category cannot become a sub-category, or the other way",
                ));
            }
            describe_category(&current.input)
        }
        None => "(new)".to_owned(),
    };
    write_category(&mut tx, id, &category).await?;
    let label = format!("Category: {}", category.name);
    Sql::new("INSERT INTO settings_changes (at, actor_id, setting, before, after) VALUES (?, ?, ?, ?, ?)")
        .bind(to_secs(now))
        .bind(actor.user_id.0)
        .bind(label)
        .bind(before)
        .bind(describe_category(&category))
        .execute(&mut tx)
        .await?;
    let saved = categories_in(&mut tx).await?;
    tx.commit().await?;
    Ok(saved)
}

async fn write_category(tx: &mut Db, id: Option<CategoryId>, c: &CategoryInput) -> Result<()> {
    let sql = match id {
        Some(id) => Sql::new(
            "UPDATE categories SET name = ?, default_priority = ?, troubleshooting = ?, emergency_keywords = ? WHERE id = ?",
        )
        .bind(&c.name)
        .bind(c.default_priority.as_str())
        .bind(&c.troubleshooting)
        .bind(&c.emergency_keywords)
        .bind(id.0),
        None => Sql::new(
            "INSERT INTO categories (parent_id, name, default_priority, troubleshooting, emergency_keywords)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(c.parent.map(|p| p.0))
        .bind(&c.name)
        .bind(c.default_priority.as_str())
        .bind(&c.troubleshooting)
        .bind(&c.emergency_keywords),
    };
    sql.execute(tx).await?;
    Ok(())
}
