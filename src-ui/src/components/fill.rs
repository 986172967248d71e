//! A bar's filled part, its width a share of the whole. Set through the CSSOM, not an
//! inline `style=` attribute: the agency server's Content-Security-Policy takes styles
//! only from the style sheet (`style-src 'self'`), and the CSSOM is not an attribute.

use web_sys::HtmlElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FillProps {
    pub class: Classes,
    /// How much of the bar it fills; none leaves the width to the style sheet.
    pub percent: Option<u64>,
    /// The element: `span` in a line of text, `div` in a block.
    #[prop_or(AttrValue::Static("span"))]
    pub tag: AttrValue,
}

#[function_component]
pub fn Fill(props: &FillProps) -> Html {
    let node = use_node_ref();
    use_effect_with((props.percent, node.clone()), |(percent, node)| {
        if let Some(element) = node.cast::<HtmlElement>() {
            let style = element.style();
            // Nothing to say if it fails: the bar keeps the width it had.
            let _ = match percent {
                Some(percent) => style.set_property("width", &format!("{percent}%")),
                None => style.remove_property("width").map(drop),
            };
        }
    });
    html! { <@{props.tag.to_string()} ref={node} class={props.class.clone()} /> }
}
