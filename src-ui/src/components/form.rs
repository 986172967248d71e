//! The account screens' form parts: a labelled input with its error, and the errors of
//! one submission split into per-field messages and one general message.

use plumbline_domain::api::{CommandError, ErrorCode, Field};
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub on_input: Callback<String>,
    #[prop_or("text".into())]
    pub kind: AttrValue,
    #[prop_or_default]
    pub autocomplete: Option<AttrValue>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub error: Option<String>,
    #[prop_or_default]
    pub autofocus: bool,
}

#[function_component]
pub fn TextField(props: &TextFieldProps) -> Html {
    let oninput = props.on_input.reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
    let error_id = format!("{}-error", props.id);
    html! {
        <label class="field">{ &props.label }
            <input id={props.id.clone()} type={props.kind.clone()} value={props.value.clone()} {oninput}
                   autocomplete={props.autocomplete.clone()} autofocus={props.autofocus}
                   aria-invalid={props.error.is_some().then_some("true")}
                   aria-describedby={props.error.is_some().then(|| error_id.clone())} />
            if let Some(hint) = &props.hint {
                <span class="field-hint">{ hint }</span>
            }
            if let Some(message) = &props.error {
                <p class="field-error" id={error_id} role="alert">{ message }</p>
            }
        </label>
    }
}

/// Drops each error as soon as its field is put right, by the form's own checks
/// (`check` gives the fields still wrong in a draft; `checked` are those it can judge).
#[hook]
pub fn use_errors_cleared_when_fixed<D>(
    draft: &UseStateHandle<D>,
    errors: &UseStateHandle<FormErrors>,
    checked: &'static [Field],
    check: fn(&D) -> Vec<Field>,
) where
    D: Clone + PartialEq + 'static,
{
    let errors = errors.clone();
    use_effect_with((**draft).clone(), move |draft| {
        if let Some(fewer) = errors.without_fixed(checked, &check(draft)) {
            errors.set(fewer);
        }
    });
}

/// A callback that sets one field of a form's draft to what was typed.
pub fn setter<D: Clone + 'static>(draft: &UseStateHandle<D>, apply: fn(&mut D, String)) -> Callback<String> {
    let draft = draft.clone();
    Callback::from(move |value: String| {
        let mut next = (*draft).clone();
        apply(&mut next, value);
        draft.set(next);
    })
}

/// A refused submission: each message under its field (every one the form's own checks
/// found, at once), otherwise above the form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FormErrors {
    pub fields: Vec<(Field, String)>,
    pub general: Option<CommandError>,
}

impl FormErrors {
    pub fn from(error: CommandError) -> Self {
        match (error.code, error.field) {
            (ErrorCode::Validation, Some(field)) => Self { fields: vec![(field, error.message)], general: None },
            _ => Self { fields: Vec::new(), general: Some(error) },
        }
    }

    /// A check made in the form before sending, with the same look as the backend's.
    pub fn on(field: Field, message: impl Into<String>) -> Self {
        Self { fields: vec![(field, message.into())], general: None }
    }

    /// One more problem the form found, shown with the others.
    pub fn and(mut self, field: Field, message: impl Into<String>) -> Self {
        self.fields.push((field, message.into()));
        self
    }

    /// These errors less those put right since: a `checked` field the form's own checks
    /// no longer find a problem with (not in `still`). `None` when none was.
    pub fn without_fixed(&self, checked: &[Field], still: &[Field]) -> Option<Self> {
        let fixed = |field: &Field| checked.contains(field) && !still.contains(field);
        self.fields.iter().any(|(field, _)| fixed(field)).then(|| Self {
            fields: self.fields.iter().filter(|(field, _)| !fixed(field)).cloned().collect(),
            general: self.general.clone(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_none()
    }

    /// The field's problems, one after another ("Urgent respond target…; Urgent resolve
    /// target…"), or `None`.
    pub fn for_field(&self, wanted: Field) -> Option<String> {
        let found: Vec<&str> =
            self.fields.iter().filter(|(field, _)| *field == wanted).map(|(_, message)| message.as_str()).collect();
        (!found.is_empty()).then(|| found.join("; "))
    }
}
