//! Tauri commands, one per declaration in `plumbline_domain::commands` (a test holds
//! `handler()` to `commands::ALL`). Each command the service handles is one line,
//! `state.run(commands::X { … })`, so the shell never says again which use case a
//! command runs; only the session (`session.rs`) and this computer's own file dialog
//! and apps (`attachments.rs`) are the shell's.

mod admin;
mod attachments;
mod backup;
mod compliance;
mod connection;
mod dashboards;
mod desk;
mod export;
mod import;
mod intake;
mod mail;
mod messages;
mod notifications;
mod payments;
mod planned;
mod quotes;
mod records;
mod session;
mod work_orders;

// One line per command: its length is the number of commands, not logic to split.
#[allow(clippy::too_many_lines)]
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        session::session,
        session::sign_in,
        session::sign_out,
        session::change_password,
        session::set_up_agency,
        connection::connection,
        connection::check_server,
        connection::use_server,
        connection::use_this_computer,
        connection::about,
        notifications::notifications,
        notifications::read_notification,
        notifications::read_all_notifications,
        notifications::set_desktop_notifications,
        notifications::set_on_duty,
        admin::list_users,
        admin::create_user,
        admin::reset_password,
        admin::unlock_user,
        admin::set_user_active,
        admin::list_admin_actions,
        work_orders::list_work_orders,
        work_orders::get_work_order,
        work_orders::work_order_history,
        work_orders::act_on_work_order,
        work_orders::submit_request,
        work_orders::suggest_contractors,
        work_orders::explain_action,
        desk::staff_dashboard,
        desk::triage_queue,
        desk::filter_options,
        desk::search,
        desk::run_report,
        intake::search_tenancies,
        intake::intake_options,
        payments::record_payout,
        dashboards::landlord_dashboard,
        dashboards::contractor_dashboard,
        dashboards::tenant_dashboard,
        records::list_properties,
        records::get_property,
        records::save_property,
        records::set_property_archived,
        records::add_unit,
        records::add_tenancy,
        records::update_tenancy,
        records::list_people,
        records::list_contractors,
        records::update_contractor,
        records::list_landlords,
        records::set_landlord_rules,
        records::setup_checklist,
        planned::list_schedules,
        planned::get_schedule,
        planned::add_schedule,
        planned::set_schedule_paused,
        compliance::list_certificates,
        compliance::record_certificate,
        compliance::choose_certificate_file,
        compliance::attach_certificate_file,
        compliance::open_certificate_file,
        quotes::order_quotes,
        quotes::ask_for_quotes,
        quotes::approve_quote,
        quotes::quote_requests,
        quotes::submit_quote,
        quotes::decline_to_quote,
        mail::mail_settings,
        mail::update_mail_settings,
        mail::set_smtp_password,
        mail::send_test_email,
        mail::email_preferences,
        mail::set_email_preferences,
        records::agency_rules,
        records::update_agency_rules,
        records::settings_history,
        records::list_categories,
        records::save_category,
        import::pick_import_file,
        import::preview_import,
        import::run_import,
        import::save_import_report,
        export::export_work_orders,
        export::export_report,
        export::export_work_order_pdf,
        export::export_evidence_pack,
        export::cancel_export,
        attachments::pick_and_attach,
        attachments::list_attachments,
        attachments::attachment_data,
        attachments::open_attachment,
        attachments::open_map,
        attachments::choose_photos,
        attachments::attach_chosen,
        messages::list_messages,
        messages::post_message,
        messages::retract_message,
        messages::direct_threads,
        messages::direct_messages,
        messages::post_direct_message,
        // Backup and restore.
        backup::backup_status,
        backup::back_up_now,
        backup::schedule_backups,
        backup::set_backups_kept,
        backup::stop_scheduled_backups,
        backup::choose_restore,
        backup::opened_backup,
        backup::restore_opened_backup,
        backup::confirm_restore,
        backup::cancel_restore,
    ]
}

#[cfg(test)]
mod tests {
    use plumbline_domain::commands::ALL;
    use std::collections::BTreeSet;

    /// The function names `handler()` registers, read from this file's source.
    fn registered() -> Vec<&'static str> {
        let source = include_str!("mod.rs");
        let (_, after) = source.split_once("generate_handler![").expect("a generate_handler! list");
        let (list, _) = after.split_once(']').expect("the list's end");
        let names = list.split(',').map(str::trim).filter(|entry| !entry.is_empty());
        names.map(|path| path.rsplit("::").next().unwrap_or(path)).collect()
    }

    #[test]
    fn the_handler_registers_exactly_the_declared_commands() {
        let registered = registered();
        let unique: BTreeSet<_> = registered.iter().copied().collect();
        assert_eq!(unique.len(), registered.len(), "a command registered twice");
        let declared: BTreeSet<_> = ALL.iter().copied().collect();
        let missing: Vec<_> = declared.difference(&unique).collect();
        let undeclared: Vec<_> = unique.difference(&declared).collect();
        assert!(missing.is_empty(), "declared but not registered: {missing:?}");
        assert!(undeclared.is_empty(), "registered but not declared: {undeclared:?}");
    }
}
