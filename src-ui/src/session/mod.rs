//! What comes before the desk: set-up of a new store, sign-in, and a required password
//! change. The backend holds the session; this only mirrors what it says.

use crate::app::App;
use crate::components::filters::forget_menus;
use crate::components::status::loading;
use crate::first_paint;
use crate::ipc;
use crate::live::LiveProvider;
use crate::pages::account::ChangePasswordPage;
use crate::pages::connection::connection_choice;
use crate::pages::set_up::{SetUpPage, set_up_from_desktop};
use crate::pages::sign_in::SignInPage;
use guard::{SessionEnd, SessionGuard};
use plumbline_domain::api::{CommandError, SessionStatus, SignedIn};
use plumbline_domain::commands;
use yew::prelude::*;

mod guard;

#[function_component]
pub fn Root() -> Html {
    let status = use_state(|| None::<Result<SessionStatus, CommandError>>);
    let reload = {
        let status = status.clone();
        Callback::from(move |_: ()| {
            let status = status.clone();
            ipc::call_then(commands::Session {}, move |answer| status.set(Some(answer)));
        })
    };
    {
        // The first status is the one the page's loader asked for as it started.
        let status = status.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(
                async move { status.set(Some(ipc::call_early(commands::Session {}).await)) },
            )
        });
    }
    // Why the last session ended, for the sign-in screen.
    let ended = use_state(|| None::<String>);
    // Set by the first sign of an end: the refusals of the screens' calls that follow
    // it (or the idle sign-out's own) must not say it again, differently.
    let ending = use_mut_ref(|| false);
    let on_end = {
        let (reload, ended, ending) = (reload.clone(), ended.clone(), ending.clone());
        Callback::from(move |end: SessionEnd| {
            if std::mem::replace(&mut *ending.borrow_mut(), true) {
                return;
            }
            ended.set(Some(end.notice()));
            let reload = reload.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let SessionEnd::Idle { .. } = end {
                    // As a sign-out from the menu would; the backend ends the session.
                    let _ = ipc::call(commands::SignOut {}).await;
                }
                forget_menus();
                reload.emit(());
            });
        })
    };
    let on_signed_in = {
        let (status, ended, ending) = (status.clone(), ended.clone(), ending.clone());
        Callback::from(move |signed_in: SignedIn| {
            ended.set(None);
            *ending.borrow_mut() = false;
            forget_menus();
            status.set(Some(Ok(SessionStatus::SignedIn(signed_in))))
        })
    };
    let on_sign_out = {
        let reload = reload.clone();
        Callback::from(move |_: ()| {
            let reload = reload.clone();
            // Signing out cannot fail in a way the person could fix; the session
            // screen that follows shows what the backend now holds.
            ipc::call_then(commands::SignOut {}, move |_| {
                forget_menus();
                reload.emit(());
            });
        })
    };
    let on_connection_changed = {
        let (status, ending) = (status.clone(), ending.clone());
        Callback::from(move |changed: SessionStatus| {
            // Another agency: the menus cached from this one are not its.
            forget_menus();
            *ending.borrow_mut() = false;
            status.set(Some(Ok(changed)))
        })
    };
    let try_again = {
        let reload = reload.clone();
        Callback::from(move |_: MouseEvent| reload.emit(()))
    };
    use_effect_with(status.is_some(), |shown| {
        if *shown {
            first_paint::mark_first_screen();
        }
    });
    match &*status {
        None => html! { <div class="welcome">{ loading() }</div> },
        Some(Err(error)) => html! {
            <div class="welcome">
                <div class="welcome-card">
                    <h1>{ "Plumbline could not start" }</h1>
                    <p id="start-error">{ &error.message }</p>
                    <button id="try-again" class="primary-button wide" type="button" onclick={try_again}>{ "Try again" }</button>
                </div>
                { connection_choice(on_connection_changed) }
            </div>
        },
        Some(Ok(SessionStatus::SetupNeeded)) if ipc::in_browser() => set_up_from_desktop(),
        Some(Ok(SessionStatus::SetupNeeded)) => html! { <SetUpPage {on_signed_in} {on_connection_changed} /> },
        Some(Ok(SessionStatus::SignedOut { demo_accounts })) => {
            html! {
                <SignInPage demo_accounts={demo_accounts.clone()} notice={(*ended).clone()} {on_signed_in} {on_connection_changed} />
            }
        }
        Some(Ok(SessionStatus::SignedIn(signed_in))) if signed_in.must_change_password => html! {
            <ChangePasswordPage required=true on_changed={on_signed_in} {on_sign_out} />
        },
        Some(Ok(SessionStatus::SignedIn(signed_in))) => html! {
            <LiveProvider>
                <SessionGuard idle_minutes={signed_in.idle_sign_out_minutes} {on_end} />
                <App user={signed_in.user.clone()} notice={signed_in.keyring_problem.clone()} {on_sign_out} />
            </LiveProvider>
        },
    }
}
