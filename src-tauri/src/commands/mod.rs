//! Tauri commands: each takes the state, calls one use case with the session's actor
//! and the current instant, and maps the error. Names match `api::commands::ALL`.

mod admin;
mod attachments;
mod dashboards;
mod desk;
mod intake;
mod messages;
mod notifications;
mod payments;
mod session;
mod work_orders;

pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        session::session,
        session::sign_in,
        session::sign_out,
        session::change_password,
        session::set_up_agency,
        notifications::notifications,
        notifications::read_notification,
        notifications::read_all_notifications,
        notifications::set_desktop_notifications,
        admin::list_users,
        admin::create_user,
        admin::reset_password,
        admin::unlock_user,
        work_orders::list_work_orders,
        work_orders::get_work_order,
        work_orders::act_on_work_order,
        work_orders::submit_request,
        work_orders::suggest_contractors,
        work_orders::explain_action,
        desk::staff_dashboard,
        desk::triage_queue,
        desk::filter_options,
        intake::search_tenancies,
        intake::intake_options,
        payments::record_payout,
        dashboards::landlord_dashboard,
        dashboards::contractor_dashboard,
        dashboards::tenant_dashboard,
        attachments::pick_and_attach,
        attachments::list_attachments,
        attachments::attachment_data,
        attachments::open_attachment,
        messages::list_messages,
        messages::post_message,
        messages::direct_threads,
        messages::direct_messages,
        messages::post_direct_message,
    ]
}
