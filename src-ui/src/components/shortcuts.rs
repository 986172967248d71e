//! The `?` sheet: every shortcut, from the same table the tooltips use.

use crate::keyboard::shortcut_groups;
use plumbline_domain::Role;
use yew::prelude::*;

pub fn shortcut_sheet(role: Option<Role>, on_close: &Callback<()>) -> Html {
    let close = on_close.reform(|_: MouseEvent| ());
    html! {
        <div class="overlay" onclick={close.clone()}>
            <div class="sheet" data-testid="shortcuts" role="dialog" aria-label="Keyboard shortcuts"
                 onclick={|e: MouseEvent| e.stop_propagation()}>
                <header class="sheet-head">
                    <h2>{ "Keyboard shortcuts" }</h2>
                    <button class="link" onclick={close}>{ "Close (Esc)" }</button>
                </header>
                <div class="sheet-groups">
                    { for shortcut_groups(role).into_iter().map(|group| html! {
                        <section>
                            <h3>{ group.title }</h3>
                            <dl>
                                { for group.keys.into_iter().map(|(keys, what)| html! {
                                    <><dt><kbd>{ keys }</kbd></dt><dd>{ what }</dd></>
                                }) }
                            </dl>
                        </section>
                    }) }
                </div>
            </div>
        </div>
    }
}
