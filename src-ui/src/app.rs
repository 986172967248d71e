//! The shell of the UI: sidebar, the current page, the one `Route` switch, and the
//! keyboard layer every page shares (command palette, `?` sheet, `g` navigation).

use crate::components::email_choices::EmailChoices;
use crate::components::palette::{Palette, PaletteCommand};
use crate::components::shortcuts::shortcut_sheet;
use crate::components::sidebar::Sidebar;
use crate::ipc;
use crate::keyboard::{is_palette_key, plain_key, use_keydown};
use crate::navigation::{back_label, go_target, list_label};
use crate::pages::account::ChangePasswordPage;
use crate::pages::backup::BackupPage;
use crate::pages::compliance::CompliancePage;
use crate::pages::contractor_dashboard::ContractorDashboardPage;
use crate::pages::contractors::ContractorsPage;
use crate::pages::dashboard::DashboardPage;
use crate::pages::import::ImportPage;
use crate::pages::landlord_dashboard::LandlordDashboardPage;
use crate::pages::landlords::LandlordsPage;
use crate::pages::messages::messages_page;
use crate::pages::new_request::NewRequestPage;
use crate::pages::planned::PlannedPage;
use crate::pages::properties::PropertiesPage;
use crate::pages::property::PropertyPage;
use crate::pages::reports::ReportsPage;
use crate::pages::settings::SettingsPage;
use crate::pages::tenant_dashboard::TenantDashboardPage;
use crate::pages::triage::TriagePage;
use crate::pages::users::UsersPage;
use crate::pages::work_order::WorkOrderPage;
use crate::pages::work_orders::{ListView, WorkOrdersPage};
use plumbline_domain::api::{CurrentUser, WorkOrderFilter};
use plumbline_domain::commands;
use plumbline_domain::ids::PropertyId;
use plumbline_domain::{Action, Priority, Role, WorkOrderId};
use std::rc::Rc;
use web_sys::KeyboardEvent;
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    Dashboard,
    Triage,
    WorkOrders,
    WorkOrder(WorkOrderId),
    NewRequest,
    /// The admin's user management.
    Users,
    /// The signed-in user's own password.
    Account,
    /// A tenant's thread with the agency; for the agency, every tenant's.
    Messages,
    /// The agency's records (staff).
    Properties,
    Property(PropertyId),
    /// Planned maintenance: every schedule (staff).
    Planned,
    /// Compliance certificates: what runs out when (staff; a landlord's own).
    Compliance,
    Contractors,
    Landlords,
    /// How the agency performs (staff; a landlord's own).
    Reports,
    /// The agency's rules and their audit trail (an admin).
    Settings,
    /// CSV import (an admin).
    Import,
    /// The admin's backups of this computer's store, and restoring one.
    Backup,
}

/// Open an order with one step's form ready, from the palette or a queue's shortcut.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ActionRequest {
    pub action: Action,
    /// For "mark emergency": the priority the form starts at.
    pub priority: Option<Priority>,
    /// Tells two identical requests apart, so asking twice opens the form twice.
    pub serial: u32,
}

impl ActionRequest {
    /// A request told apart from `previous`, the one made before it.
    fn after(previous: Option<ActionRequest>, action: Action, priority: Option<Priority>) -> Self {
        Self { action, priority, serial: previous.map_or(0, |r| r.serial + 1) }
    }
}

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub user: CurrentUser,
    /// Something the person should know since signing in (a keyring that failed).
    pub notice: Option<String>,
    pub on_sign_out: Callback<()>,
}

/// Everything the desk remembers between screens.
#[derive(Debug, Clone, PartialEq)]
struct Desk {
    route: Route,
    /// Where an open order's "←" returns: the screen it was opened from (the triage
    /// queue, a dashboard, the list), not always the list.
    back_to: Route,
    /// Kept here so the list comes back as the user left it.
    list_view: ListView,
    /// A step's form to open on the order being opened.
    request: Option<ActionRequest>,
    /// What the open order allows now, for the palette.
    order_actions: Vec<Action>,
    palette_open: bool,
    sheet_open: bool,
    notice: Option<String>,
}

enum DeskAction {
    Go(Route),
    /// Open an order with a step's form ready.
    OpenWith(WorkOrderId, Action, Option<Priority>),
    /// On the open order: open a step's form (from the palette).
    Act(Action),
    ShowList(WorkOrderFilter),
    SetListView(ListView),
    OrderActions(Vec<Action>),
    Palette(bool),
    Sheet(bool),
    DismissNotice,
}

impl Reducible for Desk {
    type Action = DeskAction;

    fn reduce(self: Rc<Self>, action: DeskAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            DeskAction::Go(route) => next.go(route),
            DeskAction::OpenWith(id, action, priority) => {
                let request = ActionRequest::after(next.request, action, priority);
                next.go(Route::WorkOrder(id));
                next.request = Some(request);
            }
            DeskAction::Act(action) => {
                if let Route::WorkOrder(_) = next.route {
                    next.request = Some(ActionRequest::after(next.request, action, None));
                }
            }
            DeskAction::ShowList(filter) => {
                next.list_view = ListView { filter, ..next.list_view };
                next.go(Route::WorkOrders);
            }
            DeskAction::SetListView(view) => next.list_view = view,
            DeskAction::OrderActions(actions) => next.order_actions = actions,
            DeskAction::Palette(open) => next.palette_open = open,
            DeskAction::Sheet(open) => next.sheet_open = open,
            DeskAction::DismissNotice => next.notice = None,
        }
        Rc::new(next)
    }
}

impl Desk {
    fn new(notice: Option<String>) -> Self {
        Self {
            route: Route::Dashboard,
            back_to: Route::WorkOrders,
            list_view: ListView::default(),
            request: None,
            order_actions: Vec::new(),
            palette_open: false,
            sheet_open: false,
            notice,
        }
    }

    fn go(&mut self, route: Route) {
        match (&self.route, &route) {
            (Route::WorkOrder(_), Route::WorkOrder(_)) => {}
            (from, Route::WorkOrder(_)) => self.back_to = from.clone(),
            _ => self.order_actions.clear(),
        }
        // A request belongs to the screen it was made for.
        self.request = None;
        self.route = route;
    }
}

/// An admin who opened Plumbline with a backup (double-clicked in the file manager)
/// starts on Backup & restore, where it is offered; no one else may restore. (Only the
/// desktop opens files; a browser has no backups.)
#[hook]
fn use_opened_backup(role: Role, desk: &UseReducerHandle<Desk>) {
    let desk = desk.clone();
    use_effect_with(role, move |role| {
        if *role == Role::Admin && !ipc::in_browser() {
            ipc::call_then(commands::OpenedBackup {}, move |answer| {
                if let Ok(Some(_)) = answer {
                    desk.dispatch(DeskAction::Go(Route::Backup));
                }
            });
        }
    });
}

/// The desk of a signed-in user: each role sees its own dashboard and screens.
#[function_component]
pub fn App(props: &AppProps) -> Html {
    crate::format::set_currency(&props.user.currency);
    let desk = {
        let notice = props.notice.clone();
        use_reducer(move || Desk::new(notice))
    };
    let awaiting_go_target = use_mut_ref(|| false);
    let role = Some(props.user.role);
    let navigate = {
        let desk = desk.clone();
        Callback::from(move |route: Route| desk.dispatch(DeskAction::Go(route)))
    };
    use_keydown({
        let desk = desk.clone();
        Callback::from(move |e: KeyboardEvent| {
            if is_palette_key(&e) {
                e.prevent_default();
                desk.dispatch(DeskAction::Palette(true));
                return;
            }
            if desk.palette_open {
                return;
            }
            let Some(key) = plain_key(&e) else { return };
            if std::mem::take(&mut *awaiting_go_target.borrow_mut()) {
                // Only the screens the role has: `g t` does nothing for a tenant.
                if let Some(target) = role.and_then(|role| go_target(role, &key)) {
                    desk.dispatch(DeskAction::Go(target));
                }
                return;
            }
            match key.as_str() {
                "?" => desk.dispatch(DeskAction::Sheet(!desk.sheet_open)),
                "Escape" if desk.sheet_open => desk.dispatch(DeskAction::Sheet(false)),
                "g" => *awaiting_go_target.borrow_mut() = true,
                _ => {}
            }
        })
    });
    use_opened_backup(props.user.role, &desk);
    let run_command = {
        let desk = desk.clone();
        Callback::from(move |command: PaletteCommand| {
            desk.dispatch(DeskAction::Palette(false));
            match command {
                PaletteCommand::Go(target) => desk.dispatch(DeskAction::Go(target)),
                PaletteCommand::OpenOrder(id) => desk.dispatch(DeskAction::Go(Route::WorkOrder(id))),
                PaletteCommand::Shortcuts => desk.dispatch(DeskAction::Sheet(true)),
                PaletteCommand::Act(action) => desk.dispatch(DeskAction::Act(action)),
                PaletteCommand::ShowList(filter) => desk.dispatch(DeskAction::ShowList(*filter)),
                PaletteCommand::OpenProperty(id) => desk.dispatch(DeskAction::Go(Route::Property(id))),
            }
        })
    };
    let page = page(&desk, &props.user, &props.on_sign_out);
    let dismiss = {
        let desk = desk.clone();
        Callback::from(move |_: MouseEvent| desk.dispatch(DeskAction::DismissNotice))
    };
    let close_sheet = {
        let desk = desk.clone();
        Callback::from(move |_| desk.dispatch(DeskAction::Sheet(false)))
    };
    html! {
        <div class="shell">
            <Sidebar route={desk.route.clone()} user={props.user.clone()} on_navigate={navigate}
                     on_sign_out={props.on_sign_out.clone()} />
            <main class="content">
                if let Some(message) = &desk.notice {
                    <div class="notice-bar page-notice" role="status" data-testid="page-notice">
                        <span>{ message }</span>
                        <button class="link-button" onclick={dismiss}>{ "Dismiss" }</button>
                    </div>
                }
                { page }
            </main>
            if desk.palette_open {
                <Palette
                    actions={desk.order_actions.clone()}
                    {role}
                    on_run={run_command}
                    on_close={{ let desk = desk.clone(); Callback::from(move |_| desk.dispatch(DeskAction::Palette(false))) }}
                />
            }
            if desk.sheet_open {
                { shortcut_sheet(role, &close_sheet) }
            }
        </div>
    }
}

/// The screen the route names.
fn page(desk: &UseReducerHandle<Desk>, user: &CurrentUser, on_sign_out: &Callback<()>) -> Html {
    let role = Some(user.role);
    let navigate = {
        let desk = desk.clone();
        Callback::from(move |route: Route| desk.dispatch(DeskAction::Go(route)))
    };
    let on_open = navigate.reform(Route::WorkOrder);
    let show_list = {
        let desk = desk.clone();
        Callback::from(move |filter: WorkOrderFilter| desk.dispatch(DeskAction::ShowList(filter)))
    };
    let open_with = {
        let desk = desk.clone();
        Callback::from(move |(id, action, priority)| desk.dispatch(DeskAction::OpenWith(id, action, priority)))
    };
    match &desk.route {
        Route::Dashboard => dashboard_for(user.role, show_list, on_open, navigate),
        Route::Triage => html! { <TriagePage {on_open} on_open_with={open_with} /> },
        Route::WorkOrders => html! {
            <WorkOrdersPage
                title={list_label(role)}
                viewer={user.role}
                view={desk.list_view.clone()}
                on_view={{ let desk = desk.clone(); Callback::from(move |v| desk.dispatch(DeskAction::SetListView(v))) }}
                {on_open}
            />
        },
        Route::WorkOrder(id) => html! {
            <WorkOrderPage
                id={*id}
                request={desk.request}
                back_label={back_label(user.role, &desk.back_to)}
                on_back={{ let back_to = desk.back_to.clone(); navigate.reform(move |_| back_to.clone()) }}
                on_actions={{ let desk = desk.clone(); Callback::from(move |a| desk.dispatch(DeskAction::OrderActions(a))) }}
                on_open={on_open.clone()}
            />
        },
        Route::NewRequest => html! { <NewRequestPage tenant={user.role == Role::Tenant} {on_open} /> },
        Route::Users => html! { <UsersPage /> },
        Route::Messages => messages_page(user.role.is_agency()),
        Route::Account => html! {
            <>
                <ChangePasswordPage required=false on_changed={Callback::noop()} on_sign_out={on_sign_out.clone()} />
                <EmailChoices />
            </>
        },
        Route::Properties => html! { <PropertiesPage on_open={navigate.reform(Route::Property)} /> },
        Route::Property(id) => html! {
            <PropertyPage id={*id} on_back={navigate.reform(|_| Route::Properties)} on_open={on_open.clone()} />
        },
        Route::Compliance => html! {
            <CompliancePage on_open_order={on_open.clone()}
                            on_open_property={user.role.is_agency().then(|| navigate.reform(Route::Property))} />
        },
        Route::Planned => html! {
            <PlannedPage on_open_order={on_open.clone()} on_open_property={navigate.reform(Route::Property)} />
        },
        Route::Contractors => html! { <ContractorsPage /> },
        Route::Landlords => html! { <LandlordsPage on_open_property={navigate.reform(Route::Property)} /> },
        Route::Reports => html! { <ReportsPage role={user.role} /> },
        Route::Settings => html! { <SettingsPage /> },
        Route::Import => html! { <ImportPage /> },
        Route::Backup => html! { <BackupPage on_restored={on_sign_out.clone()} /> },
    }
}

/// Each role's own dashboard; the backend refuses the others' anyway.
fn dashboard_for(
    role: Role,
    on_show: Callback<WorkOrderFilter>,
    on_open: Callback<WorkOrderId>,
    navigate: Callback<Route>,
) -> Html {
    match role {
        Role::Staff | Role::Admin => {
            html! { <DashboardPage {on_show} {on_open} on_navigate={navigate} admin={role == Role::Admin} /> }
        }
        Role::Landlord => html! { <LandlordDashboardPage {on_show} {on_open} /> },
        Role::Contractor => html! { <ContractorDashboardPage {on_show} {on_open} /> },
        Role::Tenant => {
            let on_new_request = navigate.reform(|_| Route::NewRequest);
            html! { <TenantDashboardPage {on_show} {on_open} {on_new_request} /> }
        }
    }
}
