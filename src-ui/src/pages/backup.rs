//! The admin's Backup & restore screen: back up now to a file chosen in the native
//! dialog, daily backups into a folder (keeping the newest N), and restoring a backup,
//! which shows what the backup holds and switches only once the admin confirms.

use crate::components::status::{error_banner, loading};
use crate::format::{local_date_time, thousands};
use crate::ipc;
use plumbline_domain::api::{
    BackupCounts, BackupStatus, BackupSummary, CommandError, Connection, DEFAULT_BACKUPS_KEPT, Field, RestorePreview,
    SessionStatus,
};
use plumbline_domain::attachment::size_label;
use plumbline_domain::commands;
use std::future::Future;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct BackupPageProps {
    /// After a restore: everyone signs in again, on the restored store.
    pub on_restored: Callback<()>,
}

#[function_component]
pub fn BackupPage(props: &BackupPageProps) -> Html {
    let status = use_state(|| None::<Result<BackupStatus, CommandError>>);
    {
        let status = status.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(
                async move { status.set(Some(ipc::call(commands::BackupStatus {}).await)) },
            );
        });
    }
    let on_status = {
        let status = status.clone();
        Callback::from(move |changed: BackupStatus| status.set(Some(Ok(changed))))
    };
    html! {
        <section class="page backup-page">
            <header class="page-head">
                <div>
                    <h1>{ "Backup & restore" }</h1>
                    <p class="subtitle">{ "One file holding everything this agency keeps on this computer: work orders, people, messages and every attached photo and document." }</p>
                </div>
            </header>
            { match &*status {
                None => loading(),
                Some(Err(error)) => error_banner(error),
                Some(Ok(status)) => html! {
                    <>
                        <div class="backup-grid">
                            <BackUpCard last={status.last_backup.clone()} on_done={on_status.clone()} />
                            <ScheduleCard status={status.clone()} on_changed={on_status.clone()} />
                        </div>
                        <RestoreCard class="card restore-card" intro={RESTORE_INTRO}
                                     on_restored={props.on_restored.reform(|_: SessionStatus| ())} />
                    </>
                },
            } }
        </section>
    }
}

/// Runs `call` with the button marked busy, then hands its answer to `done` or shows
/// its refusal. A cancelled dialog answers `None`, which changes nothing.
fn on_click<Call, Answer, T>(
    busy: &UseStateHandle<bool>,
    failure: &UseStateHandle<Option<CommandError>>,
    call: Call,
    done: Callback<T>,
) -> Callback<MouseEvent>
where
    Call: Fn() -> Answer + 'static,
    Answer: Future<Output = Result<Option<T>, CommandError>> + 'static,
    T: 'static,
{
    let (busy, failure) = (busy.clone(), failure.clone());
    Callback::from(move |_| {
        let (busy, failure, done, answer) = (busy.clone(), failure.clone(), done.clone(), call());
        busy.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            match answer.await {
                Ok(Some(value)) => {
                    failure.set(None);
                    done.emit(value);
                }
                Ok(None) => {}
                Err(error) => failure.set(Some(error)),
            }
            busy.set(false);
        });
    })
}

fn counts_line(counts: &BackupCounts) -> String {
    format!(
        "{} work orders, {} people, {} attachments",
        thousands(counts.work_orders),
        thousands(counts.users),
        thousands(counts.attachments)
    )
}

#[derive(Properties, PartialEq)]
struct BackUpCardProps {
    last: Option<BackupSummary>,
    on_done: Callback<BackupStatus>,
}

#[function_component]
fn BackUpCard(props: &BackUpCardProps) -> Html {
    let busy = use_state(|| false);
    let failure = use_state(|| None::<CommandError>);
    let saved = use_state(|| None::<BackupSummary>);
    let done = {
        let (saved, on_done) = (saved.clone(), props.on_done.clone());
        Callback::from(move |summary: BackupSummary| {
            saved.set(Some(summary));
            // The page's "last backup" is read again.
            let on_done = on_done.clone();
            ipc::call_then(commands::BackupStatus {}, move |answer| {
                if let Ok(status) = answer {
                    on_done.emit(status);
                }
            });
        })
    };
    let back_up = on_click(&busy, &failure, || ipc::call(commands::BackUpNow {}), done);
    html! {
        <div class="card">
            <h2>{ "Back up now" }</h2>
            <p class="hint">{ "Saves one backup file where you choose: a USB drive, another disk or a shared folder. Plumbline checks every file as it is written." }</p>
            if let Some(error) = &*failure {
                { error_banner(error) }
            }
            if let Some(summary) = &*saved {
                <p class="notice backup-done" role="status" data-testid="backup-done">
                    { format!("Backed up to {} — {}, {}.", summary.file_name, counts_line(&summary.counts), size_label(summary.size_bytes)) }
                </p>
            }
            <button id="back-up-now" class="primary-button" disabled={*busy} onclick={back_up}>
                { if *busy { "Backing up…" } else { "Back up now…" } }
            </button>
            <p class="muted backup-last" data-testid="last-backup">
                { match &props.last {
                    Some(last) => format!("Last backup {} · {} in {}", local_date_time(last.taken_at), last.file_name, last.folder),
                    None => "No backup taken on this computer yet.".to_owned(),
                } }
            </p>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ScheduleCardProps {
    status: BackupStatus,
    on_changed: Callback<BackupStatus>,
}

#[function_component]
fn ScheduleCard(props: &ScheduleCardProps) -> Html {
    let busy = use_state(|| false);
    let failure = use_state(|| None::<CommandError>);
    let kept = props.status.schedule.as_ref().map_or(DEFAULT_BACKUPS_KEPT, |schedule| schedule.keep);
    let keep = use_state(|| kept.to_string());
    let keep_value = keep.trim().parse::<u32>().unwrap_or(0);
    let on_keep = {
        let keep = keep.clone();
        Callback::from(move |e: InputEvent| keep.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let changed = props.on_changed.clone();
    let choose = on_click(
        &busy,
        &failure,
        move || async move { ipc::call(commands::ScheduleBackups { keep: keep_value }).await.map(Some) },
        changed.clone(),
    );
    let save_keep = on_click(
        &busy,
        &failure,
        move || async move { ipc::call(commands::SetBackupsKept { keep: keep_value }).await.map(Some) },
        changed.clone(),
    );
    let stop =
        on_click(&busy, &failure, || async { ipc::call(commands::StopScheduledBackups {}).await.map(Some) }, changed);
    let keep_error =
        failure.as_ref().filter(|error| error.field == Some(Field::Keep)).map(|error| error.message.clone());
    html! {
        <div class="card" data-testid="backup-schedule">
            <h2>{ "Daily backups" }</h2>
            if let Some(failed) = &props.status.last_failure {
                <div class="error-banner" role="alert">
                    { format!("The daily backup of {} failed: {} Plumbline tries again within the hour.", local_date_time(failed.at), failed.message) }
                </div>
            }
            if let Some(error) = failure.as_ref().filter(|error| error.field != Some(Field::Keep)) {
                { error_banner(error) }
            }
            { match &props.status.schedule {
                Some(schedule) => html! {
                    <dl class="facts backup-facts">
                        <dt>{ "Folder" }</dt><dd class="backup-folder" data-testid="backup-folder">{ &schedule.folder }</dd>
                        <dt>{ "Keeps" }</dt><dd>{ format!("The newest {}; older ones are removed", schedule.keep) }</dd>
                    </dl>
                },
                None => html! {
                    <p class="hint">{ "While Plumbline is open, it can back up once a day into a folder you choose, keeping the newest few and removing older ones it made." }</p>
                },
            } }
            <div class="backup-keep">
                <label class="field">{ "Backups to keep" }
                    <input id="backups-kept" type="number" min="1" max="366" value={(*keep).clone()} oninput={on_keep}
                           aria-invalid={keep_error.is_some().then_some("true")} />
                </label>
                if props.status.schedule.is_some() {
                    <button class="ghost" disabled={*busy} onclick={save_keep}>{ "Save" }</button>
                }
            </div>
            if let Some(message) = keep_error {
                <p class="field-error" id="backups-kept-error">{ message }</p>
            }
            <div class="form-buttons">
                <button id="choose-backup-folder" class="primary-button" disabled={*busy} onclick={choose}>
                    { if props.status.schedule.is_some() { "Change folder…" } else { "Choose folder…" } }
                </button>
                if props.status.schedule.is_some() {
                    <button id="stop-backups" class="small-button danger" disabled={*busy} onclick={stop}>{ "Stop daily backups" }</button>
                }
            </div>
        </div>
    }
}

const RESTORE_INTRO: &str = "Replaces the data on this computer with a backup. The backup is checked in full first; nothing changes until you confirm, and the data in use now is kept aside, not deleted.";

#[derive(Properties, PartialEq)]
pub struct RestoreCardProps {
    /// The session now that the restored store is in use (everyone signs in again).
    pub on_restored: Callback<SessionStatus>,
    pub intro: AttrValue,
    pub class: Classes,
}

/// Choose a backup, see what it holds, then restore it or not: on the Backup page, and
/// on a new computer's set-up screen.
#[function_component]
pub fn RestoreCard(props: &RestoreCardProps) -> Html {
    let busy = use_state(|| false);
    let failure = use_state(|| None::<CommandError>);
    let preview = use_state(|| None::<RestorePreview>);
    let shown = {
        let preview = preview.clone();
        Callback::from(move |found: RestorePreview| preview.set(Some(found)))
    };
    // A backup Plumbline was opened with (double-clicked in the file manager) is offered
    // first, by name; looking at it is one click, and nothing changes before "Restore".
    let opened = use_state(|| None::<String>);
    {
        let opened = opened.clone();
        use_effect_with((), move |_| {
            ipc::call_then(commands::OpenedBackup {}, move |answer| opened.set(answer.ok().flatten()));
        });
    }
    let look_at_opened = {
        let opened = opened.clone();
        let call = move || {
            opened.set(None);
            ipc::call(commands::RestoreOpenedBackup {})
        };
        on_click(&busy, &failure, call, shown.clone())
    };
    let choose = on_click(&busy, &failure, || ipc::call(commands::ChooseRestore {}), shown);
    let confirm = on_click(
        &busy,
        &failure,
        || async { ipc::call(commands::ConfirmRestore {}).await.map(Some) },
        props.on_restored.clone(),
    );
    let cancel = {
        let preview = preview.clone();
        on_click(
            &busy,
            &failure,
            || async { ipc::call(commands::CancelRestore {}).await.map(Some) },
            Callback::from(move |()| preview.set(None)),
        )
    };
    html! {
        <div class={props.class.clone()}>
            <h2>{ "Restore from a backup" }</h2>
            if let Some(error) = &*failure {
                { error_banner(error) }
            }
            { match &*preview {
                None => html! {
                    <>
                        <p class="hint">{ &props.intro }</p>
                        if let Some(name) = &*opened {
                            <div class="opened-backup" data-testid="opened-backup">
                                <p>{ "Plumbline was opened with the backup " }<strong>{ name }</strong>{ "." }</p>
                                <button id="look-at-opened-backup" class="primary-button" disabled={*busy} onclick={look_at_opened}>
                                    { if *busy { "Checking the backup…" } else { "See what it holds" } }
                                </button>
                            </div>
                        }
                        <button id="choose-restore" class="ghost" disabled={*busy} onclick={choose}>
                            { if *busy && opened.is_none() { "Checking the backup…" } else { "Choose a backup…" } }
                        </button>
                    </>
                },
                Some(found) => html! {
                    <>
                        { preview_facts(found) }
                        <p class="restore-warning">{ "Restoring replaces the work orders, people and files on this computer with the ones above; the data in use now is moved aside, not deleted. Everyone then signs in again, with the accounts in the backup." }</p>
                        <div class="form-buttons">
                            <button id="confirm-restore" class="primary-button danger-button" disabled={*busy} onclick={confirm}>
                                { "Restore this backup" }
                            </button>
                            <button id="cancel-restore" class="ghost" disabled={*busy} onclick={cancel}>{ "Cancel" }</button>
                        </div>
                    </>
                },
            } }
        </div>
    }
}

fn preview_facts(found: &RestorePreview) -> Html {
    html! {
        <dl class="facts restore-preview" data-testid="restore-preview">
            <dt>{ "Backup" }</dt><dd>{ &found.file_name }</dd>
            <dt>{ "Agency" }</dt><dd data-testid="restore-agency">{ &found.agency }</dd>
            <dt>{ "Taken" }</dt><dd data-testid="restore-taken">{ local_date_time(found.taken_at) }</dd>
            <dt>{ "Holds" }</dt><dd data-testid="restore-counts">{ counts_line(&found.counts) }</dd>
            <dt>{ "Size" }</dt><dd>{ size_label(found.size_bytes) }</dd>
            <dt>{ "Made by" }</dt><dd>{ format!("Plumbline {}", found.app_version) }</dd>
        </dl>
    }
}

#[derive(Properties, PartialEq)]
pub struct RestoreChoiceProps {
    pub on_restored: Callback<SessionStatus>,
}

/// On a new computer's set-up screen: restore the agency from a backup instead. Not
/// offered on an agency server, whose backups are taken on the server.
#[function_component]
pub fn RestoreChoice(props: &RestoreChoiceProps) -> Html {
    let connection = use_state(|| None::<Connection>);
    {
        let connection = connection.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(
                async move { connection.set(ipc::call(commands::Connection {}).await.ok()) },
            );
        });
    }
    match *connection {
        Some(Connection::ThisComputer) => html! {
            <RestoreCard class="welcome-card inline restore-choice" on_restored={props.on_restored.clone()}
                         intro="Moving to a new computer? Restore your agency from a Plumbline backup instead of setting up a new one." />
        },
        Some(Connection::Server { .. }) | None => html! {},
    }
}
