//! The page's commands, one for each declaration in `plumbline_domain::commands` (a test
//! holds `handler()` to `commands::ALL`).
//!
//! The service's commands (`api::HANDLED`) are not written out here: the page's JSON
//! goes to `AppState::run_for_page`, which runs it through the same dispatch as the agency
//! server, or sends it there. So the shell never says again which use case a command
//! runs, and carries no code per command to read its arguments and write its answer.
//! What is here is the shell's own: the session (`session.rs`), where the agency is
//! (`connection.rs`), this computer's dialogs, files and apps, backups, and the service
//! commands the shell runs its own way (`SHELL_RUN`).

mod attachments;
mod backup;
mod compliance;
mod connection;
mod export;
mod import;
mod mail;
mod session;

use crate::state::AppState;
use plumbline_domain::api::{CommandError, ErrorCode};
use plumbline_domain::{Command, commands, wire};
use plumbline_service::api;
use tauri::Manager;
use tauri::ipc::{Invoke, InvokeBody, InvokeError, InvokeResponseBody, IpcResponse};

/// A shell command's answer, which the page reads as bytes (`plumbline_domain::wire`)
/// as it reads the service's (`run_in_service`).
pub struct ForPage<T>(pub T);

/// What a shell command that can be refused answers.
pub type Answer<T> = Result<ForPage<T>, CommandError>;

impl<T: serde::Serialize> IpcResponse for ForPage<T> {
    fn body(self) -> tauri::Result<InvokeResponseBody> {
        let written = wire::encode(&self.0).map_err(|err| tauri::Error::Anyhow(err.into()))?;
        Ok(InvokeResponseBody::Raw(written))
    }
}

/// Service commands the shell runs itself: an import reports its progress to the window
/// as it goes (`import.rs`).
const SHELL_RUN: &[&str] = &[commands::RunImport::NAME];

/// Every command of the page: the service's through `run_in_service`, the rest by the
/// shell's own handlers.
pub fn handler() -> impl Fn(Invoke) -> bool + Send + Sync + 'static {
    let shells_own = shells_own();
    move |invoke| match runs_in_service(invoke.message.command()) {
        true => {
            run_in_service(invoke);
            true
        }
        false => shells_own(invoke),
    }
}

fn runs_in_service(name: &str) -> bool {
    api::HANDLED.contains(&name) && !SHELL_RUN.contains(&name)
}

/// Answers the page with the command's answer as bytes, or its refusal (a `CommandError`).
fn run_in_service(invoke: Invoke) {
    let Invoke { message, resolver, .. } = invoke;
    let (name, webview) = (message.command().to_owned(), message.webview());
    let InvokeBody::Json(args) = message.payload() else {
        let refusal = CommandError { code: ErrorCode::Ipc, message: format!("{name} takes JSON"), field: None };
        return resolver.reject(refusal);
    };
    let args = args.clone();
    resolver.respond_async(async move {
        let answer = webview.state::<AppState>().run_for_page(&name, args).await;
        answer.map(InvokeResponseBody::Raw).map_err(InvokeError::from)
    });
}

fn shells_own() -> impl Fn(Invoke) -> bool + Send + Sync + 'static {
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
        compliance::choose_certificate_file,
        compliance::attach_certificate_file,
        compliance::open_certificate_file,
        mail::set_smtp_password,
        mail::send_test_email,
        import::pick_import_file,
        import::run_import,
        import::save_import_report,
        export::export_work_orders,
        export::export_report,
        export::export_work_order_pdf,
        export::export_evidence_pack,
        export::cancel_export,
        attachments::pick_and_attach,
        attachments::open_attachment,
        attachments::open_map,
        attachments::choose_photos,
        attachments::attach_chosen,
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
    use super::runs_in_service;
    use plumbline_domain::commands::ALL;
    use std::collections::BTreeSet;

    /// The function names `shells_own()` registers, read from this file's source.
    fn shells_own() -> Vec<&'static str> {
        let source = include_str!("mod.rs");
        let (_, after) = source.split_once("generate_handler![").expect("a generate_handler! list");
        let (list, _) = after.split_once(']').expect("the list's end");
        let names = list.split(',').map(str::trim).filter(|entry| !entry.is_empty());
        names.map(|path| path.rsplit("::").next().unwrap_or(path)).collect()
    }

    #[test]
    fn every_declared_command_has_exactly_one_handler() {
        let shells_own = shells_own();
        let unique: BTreeSet<_> = shells_own.iter().copied().collect();
        assert_eq!(unique.len(), shells_own.len(), "a command registered twice");
        let in_service: BTreeSet<_> = ALL.iter().copied().filter(|name| runs_in_service(name)).collect();
        let both: Vec<_> = unique.intersection(&in_service).collect();
        assert!(both.is_empty(), "run by the service and by the shell: {both:?}");
        let handled: BTreeSet<_> = unique.union(&in_service).copied().collect();
        let declared: BTreeSet<_> = ALL.iter().copied().collect();
        let missing: Vec<_> = declared.difference(&handled).collect();
        let undeclared: Vec<_> = handled.difference(&declared).collect();
        assert!(missing.is_empty(), "declared but not handled: {missing:?}");
        assert!(undeclared.is_empty(), "handled but not declared: {undeclared:?}");
    }

    /// Each of the shell's command functions, as its source declares it: the text from
    /// `#[tauri::command` to the body's opening brace.
    fn shell_command_signatures() -> Vec<&'static str> {
        let sources = [
            include_str!("attachments.rs"),
            include_str!("backup.rs"),
            include_str!("compliance.rs"),
            include_str!("connection.rs"),
            include_str!("export.rs"),
            include_str!("import.rs"),
            include_str!("mail.rs"),
            include_str!("session.rs"),
        ];
        let commands = sources.into_iter().flat_map(|source| source.split("#[tauri::command").skip(1));
        commands.map(|command| command.split_once('{').map_or(command, |(signature, _)| signature)).collect()
    }

    /// The page reads every answer as bytes: a shell command answering anything else
    /// (Tauri's JSON) would fail in the page, however right its value.
    #[test]
    fn every_shell_command_answers_as_the_page_reads() {
        let signatures = shell_command_signatures();
        assert_eq!(signatures.len(), shells_own().len(), "a command function for each registered command");
        for signature in signatures {
            let answers_bytes = signature.contains("-> Answer<") || signature.contains("-> ForPage<");
            assert!(answers_bytes, "answers other than through ForPage: {signature}");
        }
    }
}
