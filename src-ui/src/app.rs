//! The shell of the UI: sidebar, the current page, and the one `Route` switch.

use crate::components::sidebar::Sidebar;
use crate::ipc;
use crate::pages::new_request::NewRequestPage;
use crate::pages::work_order::WorkOrderPage;
use crate::pages::work_orders::WorkOrdersPage;
use plumbline_domain::WorkOrderId;
use plumbline_domain::api::{CurrentUser, WorkOrderFilter};
use yew::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    WorkOrders,
    WorkOrder(WorkOrderId),
    NewRequest,
}

#[function_component]
pub fn App() -> Html {
    let route = use_state(|| Route::WorkOrders);
    // Kept here so the list comes back as the user left it.
    let filter = use_state(WorkOrderFilter::default);
    let user = use_state(|| None::<CurrentUser>);
    {
        let user = user.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(current) = ipc::current_user().await {
                    user.set(Some(current));
                }
            });
        });
    }
    let navigate = {
        let route = route.clone();
        Callback::from(move |next: Route| route.set(next))
    };
    let page = match &*route {
        Route::WorkOrders => html! {
            <WorkOrdersPage
                filter={(*filter).clone()}
                on_filter={{ let filter = filter.clone(); Callback::from(move |f| filter.set(f)) }}
                on_open={navigate.reform(Route::WorkOrder)}
            />
        },
        Route::WorkOrder(id) => html! {
            <WorkOrderPage id={*id} on_back={navigate.reform(|_| Route::WorkOrders)} />
        },
        Route::NewRequest => html! { <NewRequestPage on_open={navigate.reform(Route::WorkOrder)} /> },
    };
    html! {
        <div class="shell">
            <Sidebar route={(*route).clone()} user={(*user).clone()} on_navigate={navigate} />
            <main class="content">{ page }</main>
        </div>
    }
}
