use crate::app::Route;
use plumbline_domain::api::CurrentUser;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SidebarProps {
    pub route: Route,
    pub user: Option<CurrentUser>,
    pub on_navigate: Callback<Route>,
}

#[function_component]
pub fn Sidebar(props: &SidebarProps) -> Html {
    let on_orders = props.on_navigate.reform(|_: MouseEvent| Route::WorkOrders);
    let on_new_request = props.on_navigate.reform(|_: MouseEvent| Route::NewRequest);
    let orders_active = matches!(props.route, Route::WorkOrders | Route::WorkOrder(_));
    let new_request_active = props.route == Route::NewRequest;
    html! {
        <nav class="sidebar">
            <div class="brand"><span class="logo" aria-hidden="true"></span>{ "Plumbline" }</div>
            <button class={classes!("nav-item", orders_active.then_some("active"))} onclick={on_orders}>
                { "Work orders" }
            </button>
            <button class={classes!("nav-item", new_request_active.then_some("active"))} data-testid="nav-new-request" onclick={on_new_request}>
                { "New request" }
            </button>
            <div class="sidebar-foot">
                if let Some(user) = &props.user {
                    <div class="who">
                        <span class="who-name">{ &user.name }</span>
                        <span class="who-role">{ format!("{} · {}", user.role.as_str(), user.agency) }</span>
                    </div>
                }
            </div>
        </nav>
    }
}
