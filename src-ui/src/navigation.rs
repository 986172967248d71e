//! Where each role may go. The sidebar, the `g` keys, the palette's "Go to" entries and
//! the `?` sheet all read this one table, so no role is offered a screen it cannot use
//! (the backend refuses those screens anyway).

use crate::app::Route;
use crate::ipc;
use plumbline_domain::Role;

#[derive(Debug, Clone, PartialEq)]
pub struct NavEntry {
    pub label: &'static str,
    pub route: Route,
    /// The key pressed after `g`.
    pub key: char,
    /// What the palette and the `?` sheet call it.
    pub description: &'static str,
}

fn entry(label: &'static str, route: Route, key: char, description: &'static str) -> NavEntry {
    NavEntry { label, route, key, description }
}

/// The role's screens, in sidebar order. A browser is not offered the screens of the
/// desktop's own computer: importing from its files, and its backups.
pub fn entries(role: Role) -> Vec<NavEntry> {
    let mut screens = role_entries(role);
    if ipc::in_browser() {
        screens.retain(|screen| !matches!(screen.route, Route::Import | Route::Backup));
    }
    screens
}

fn role_entries(role: Role) -> Vec<NavEntry> {
    let dashboard = entry("Dashboard", Route::Dashboard, 'd', "Dashboard");
    match role {
        Role::Staff => vec![
            dashboard,
            entry("New request", Route::NewRequest, 'n', "New request (phone call)"),
            entry("Triage queue", Route::Triage, 't', "Triage queue"),
            entry("Work orders", Route::WorkOrders, 'l', "Work orders"),
            entry("Tenant messages", Route::Messages, 'm', "Tenant messages"),
            entry("Properties", Route::Properties, 'p', "Properties, units and tenancies"),
            entry("Planned work", Route::Planned, 'w', "Planned work (recurring maintenance schedules)"),
            entry("Certificates", Route::Compliance, 'e', "Certificates (gas safety, EICR, EPC: what runs out when)"),
            entry("Contractors", Route::Contractors, 'c', "Contractors (trades, insurance, rates)"),
            entry("Landlords", Route::Landlords, 'o', "Landlords and their approval rules"),
            entry("Reports", Route::Reports, 'r', "Reports (time to complete, SLA, repeats, contractors, spend)"),
        ],
        Role::Admin => {
            let mut desk = role_entries(Role::Staff);
            desk.push(entry("Users", Route::Users, 'u', "Users (invite, reset a password, unlock)"));
            desk.push(entry("Import", Route::Import, 'i', "Import from a spreadsheet (CSV)"));
            desk.push(entry("Settings", Route::Settings, 's', "Agency settings (SLA targets, hours, rules)"));
            desk.push(entry("Backups", Route::Backup, 'b', "Backup & restore"));
            desk
        }
        Role::Landlord => vec![
            dashboard,
            entry("Work orders", Route::WorkOrders, 'l', "Work orders on my properties"),
            entry("Certificates", Route::Compliance, 'e', "Certificates on my properties"),
            entry("Reports", Route::Reports, 'r', "Reports on my properties"),
        ],
        Role::Contractor => vec![dashboard, entry("My jobs", Route::WorkOrders, 'l', "My jobs")],
        Role::Tenant => vec![
            dashboard,
            entry("New request", Route::NewRequest, 'n', "New repair request"),
            entry("My requests", Route::WorkOrders, 'l', "My requests"),
            entry("Messages", Route::Messages, 'm', "Message the agency"),
        ],
    }
}

/// The palette's words for going there: "Go to Work orders", "New request (phone call)".
pub fn palette_label(entry: &NavEntry) -> String {
    match entry.route {
        Route::NewRequest => entry.description.to_owned(),
        Route::Dashboard
        | Route::Triage
        | Route::WorkOrders
        | Route::WorkOrder(_)
        | Route::Users
        | Route::Account
        | Route::Messages
        | Route::Properties
        | Route::Property(_)
        | Route::Planned
        | Route::Compliance
        | Route::Contractors
        | Route::Landlords
        | Route::Reports
        | Route::Settings
        | Route::Import
        | Route::Backup => {
            format!("Go to {}", entry.description)
        }
    }
}

/// Where `g` then `key` goes for this role, if anywhere.
pub fn go_target(role: Role, key: &str) -> Option<Route> {
    entries(role).into_iter().find(|e| key.chars().eq([e.key])).map(|e| e.route)
}

/// What the role calls the work-order list: its title and the detail's way back.
pub fn list_label(role: Option<Role>) -> &'static str {
    role.and_then(|role| entries(role).into_iter().find(|e| e.route == Route::WorkOrders))
        .map_or("Work orders", |e| e.label)
}

/// What the way back to `route` says on an order: "Triage queue", "Dashboard", "My jobs".
pub fn back_label(role: Role, route: &Route) -> &'static str {
    entries(role).into_iter().find(|e| e.route == *route).map_or("Back", |e| e.label)
}
