//! "Add photos", the same button on both sides, each side's way. On the desktop it is a
//! button whose page asks the shell's native dialog. In a browser it is a real
//! `<input type="file">` (a phone offers its camera), hidden inside a label that looks
//! like the same button; the picked files are held by `ipc` behind the tokens the
//! desktop's dialog would give, so the page goes on with them as on the desktop.

use crate::ipc;
use plumbline_domain::api::ChosenFile;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FilePickerProps {
    pub label: AttrValue,
    /// The button's test id; in a browser, the label's.
    pub testid: AttrValue,
    /// In a browser, the file input's test id (what a test sends a file's path to).
    pub input_testid: AttrValue,
    /// The button's `id` (desktop) or the input's (browser).
    #[prop_or_default]
    pub id: Option<AttrValue>,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub disabled: bool,
    /// What a browser offers to pick (`image/*`, `application/pdf,image/*`).
    pub accept: AttrValue,
    /// Whether a phone opens its back camera to take the photo (`capture`).
    #[prop_or_default]
    pub camera: bool,
    /// Several files at once.
    #[prop_or(true)]
    pub multiple: bool,
    /// On the desktop: the button was pressed; the page opens the shell's dialog.
    pub on_desktop: Callback<()>,
    /// In a browser: the picked files, held by `ipc`.
    pub on_chosen: Callback<Vec<ChosenFile>>,
}

#[function_component]
pub fn FilePicker(props: &FilePickerProps) -> Html {
    if !ipc::in_browser() {
        return html! {
            <button type="button" id={props.id.clone()} class={props.class.clone()} disabled={props.disabled}
                    onclick={props.on_desktop.reform(|_: MouseEvent| ())} data-testid={props.testid.clone()}>
                { &props.label }
            </button>
        };
    }
    let onchange = {
        let on_chosen = props.on_chosen.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let files: Vec<_> =
                input.files().map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect()).unwrap_or_default();
            // Emptied, so picking the same file again is a change too.
            input.set_value("");
            if !files.is_empty() {
                on_chosen.emit(ipc::hold_files(files));
            }
        })
    };
    let class = classes!(props.class.clone(), "file-picker", props.disabled.then_some("disabled"));
    html! {
        <label {class} data-testid={props.testid.clone()}>
            <input type="file" class="visually-hidden" id={props.id.clone()} accept={props.accept.clone()}
                   capture={props.camera.then_some("environment")} multiple={props.multiple}
                   disabled={props.disabled} {onchange} data-testid={props.input_testid.clone()} />
            { &props.label }
        </label>
    }
}
