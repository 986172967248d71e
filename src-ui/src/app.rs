//! The shell of the UI: sidebar, the current page, the one `Route` switch, and the
//! keyboard layer every page shares (command palette, `?` sheet, `g` navigation).

use crate::components::palette::{Palette, PaletteCommand};
use crate::components::shortcuts::ShortcutSheet;
use crate::components::sidebar::Sidebar;
use crate::keyboard::{is_palette_key, plain_key, use_keydown};
use crate::navigation::{go_target, list_label};
use crate::pages::account::ChangePasswordPage;
use crate::pages::contractor_dashboard::ContractorDashboardPage;
use crate::pages::dashboard::DashboardPage;
use crate::pages::landlord_dashboard::LandlordDashboardPage;
use crate::pages::messages::MessagesPage;
use crate::pages::new_request::NewRequestPage;
use crate::pages::tenant_dashboard::TenantDashboardPage;
use crate::pages::triage::TriagePage;
use crate::pages::users::UsersPage;
use crate::pages::work_order::WorkOrderPage;
use crate::pages::work_orders::{ListView, WorkOrdersPage};
use plumbline_domain::api::{CurrentUser, WorkOrderFilter};
use plumbline_domain::{Action, Priority, Role, WorkOrderId};
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

/// The desk of a signed-in user: each role sees its own dashboard and screens.
#[function_component]
pub fn App(props: &AppProps) -> Html {
    let route = use_state(|| Route::Dashboard);
    // Kept here so the list comes back as the user left it.
    let list_view = use_state(ListView::default);
    let notice = use_state(|| props.notice.clone());
    let palette_open = use_state(|| false);
    let sheet_open = use_state(|| false);
    let request = use_state(|| None::<ActionRequest>);
    // What the open order allows now, for the palette.
    let order_actions = use_state(Vec::<Action>::new);
    let awaiting_go_target = use_mut_ref(|| false);
    let navigate = {
        let (route, order_actions, request) = (route.clone(), order_actions.clone(), request.clone());
        Callback::from(move |next: Route| {
            if !matches!(next, Route::WorkOrder(_)) {
                order_actions.set(Vec::new());
            }
            // A request belongs to the screen it was made for.
            request.set(None);
            route.set(next)
        })
    };
    let open_with = {
        let (navigate, request) = (navigate.clone(), request.clone());
        Callback::from(move |(id, action, priority): (WorkOrderId, Action, Option<Priority>)| {
            let next = ActionRequest::after(*request, action, priority);
            navigate.emit(Route::WorkOrder(id));
            request.set(Some(next));
        })
    };
    let role = Some(props.user.role);
    let show_list = {
        let (list_view, navigate) = (list_view.clone(), navigate.clone());
        Callback::from(move |filter: WorkOrderFilter| {
            list_view.set(ListView { filter, ..(*list_view).clone() });
            navigate.emit(Route::WorkOrders);
        })
    };
    use_keydown({
        let (palette_open, sheet_open, navigate) = (palette_open.clone(), sheet_open.clone(), navigate.clone());
        Callback::from(move |e: KeyboardEvent| {
            if is_palette_key(&e) {
                e.prevent_default();
                palette_open.set(true);
                return;
            }
            if *palette_open {
                return;
            }
            let Some(key) = plain_key(&e) else { return };
            if std::mem::take(&mut *awaiting_go_target.borrow_mut()) {
                // Only the screens the role has: `g t` does nothing for a tenant.
                if let Some(target) = role.and_then(|role| go_target(role, &key)) {
                    navigate.emit(target);
                }
                return;
            }
            match key.as_str() {
                "?" => sheet_open.set(!*sheet_open),
                "Escape" if *sheet_open => sheet_open.set(false),
                "g" => *awaiting_go_target.borrow_mut() = true,
                _ => {}
            }
        })
    });
    let run_command = {
        let (navigate, request, route, sheet_open) =
            (navigate.clone(), request.clone(), route.clone(), sheet_open.clone());
        let palette_open = palette_open.clone();
        Callback::from(move |command: PaletteCommand| {
            palette_open.set(false);
            match command {
                PaletteCommand::Go(target) => navigate.emit(target),
                PaletteCommand::OpenOrder(id) => navigate.emit(Route::WorkOrder(id)),
                PaletteCommand::Shortcuts => sheet_open.set(true),
                PaletteCommand::Act(action) => {
                    if let Route::WorkOrder(_) = &*route {
                        request.set(Some(ActionRequest::after(*request, action, None)));
                    }
                }
            }
        })
    };

    let on_open = navigate.reform(Route::WorkOrder);
    let page = match &*route {
        Route::Dashboard => dashboard_for(props.user.role, show_list.clone(), on_open.clone(), navigate.clone()),
        Route::Triage => {
            html! { <TriagePage on_open={on_open.clone()} on_open_with={open_with.clone()} /> }
        }
        Route::WorkOrders => html! {
            <WorkOrdersPage
                title={list_label(role)}
                view={(*list_view).clone()}
                on_view={{ let list_view = list_view.clone(); Callback::from(move |v| list_view.set(v)) }}
                on_open={on_open.clone()}
            />
        },
        Route::WorkOrder(id) => html! {
            <WorkOrderPage
                id={*id}
                request={*request}
                back_label={list_label(role)}
                on_back={navigate.reform(|_| Route::WorkOrders)}
                on_actions={{ let order_actions = order_actions.clone(); Callback::from(move |a| order_actions.set(a)) }}
            />
        },
        Route::NewRequest => html! { <NewRequestPage tenant={props.user.role == Role::Tenant} {on_open} /> },
        Route::Users => html! { <UsersPage /> },
        Route::Messages => html! { <MessagesPage agency={props.user.role.is_agency()} /> },
        Route::Account => html! {
            <ChangePasswordPage required=false on_changed={Callback::noop()} on_sign_out={props.on_sign_out.clone()} />
        },
    };
    html! {
        <div class="shell">
            <Sidebar route={(*route).clone()} user={props.user.clone()} on_navigate={navigate}
                     on_sign_out={props.on_sign_out.clone()} />
            <main class="content">
                if let Some(message) = &*notice {
                    <div class="notice-bar page-notice" role="status">
                        <span>{ message }</span>
                        <button class="link-button" onclick={{ let notice = notice.clone(); Callback::from(move |_| notice.set(None)) }}>{ "Dismiss" }</button>
                    </div>
                }
                { page }
            </main>
            if *palette_open {
                <Palette
                    actions={(*order_actions).clone()}
                    {role}
                    on_run={run_command}
                    on_close={{ let palette_open = palette_open.clone(); Callback::from(move |_| palette_open.set(false)) }}
                />
            }
            if *sheet_open {
                <ShortcutSheet {role} on_close={{ let sheet_open = sheet_open.clone(); Callback::from(move |_| sheet_open.set(false)) }} />
            }
        </div>
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
        Role::Staff | Role::Admin => html! { <DashboardPage {on_show} {on_open} /> },
        Role::Landlord => html! { <LandlordDashboardPage {on_show} {on_open} /> },
        Role::Contractor => html! { <ContractorDashboardPage {on_show} {on_open} /> },
        Role::Tenant => {
            let on_new_request = navigate.reform(|_| Route::NewRequest);
            html! { <TenantDashboardPage {on_show} {on_open} {on_new_request} /> }
        }
    }
}
