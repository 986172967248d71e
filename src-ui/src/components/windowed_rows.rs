//! A long table's body with only the rows near the viewport in the DOM. A page of 100
//! orders is about 2,800 elements; building, laying out and painting them all took most
//! of a click's time (measured in `scripts/bench.sh`), while a screen shows about 15.
//! The rows out of sight are stood in for by two spacer rows of the same height, so the
//! scroll bar, the scroll position and the row numbers stay those of the whole page.

use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// Rows kept in the DOM beyond each edge of the viewport, so a scroll of a few rows
/// shows rows already laid out while the next ones are built.
const OVERSCAN: usize = 8;

/// A row's height before one has been measured (the list's two-line rows, in CSS px).
const ESTIMATED_ROW_PX: f64 = 54.0;

/// The rows of a page in the DOM: `first` up to (not including) `end`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    pub first: usize,
    pub end: usize,
}

/// Where the table body sits in its scrolling container, in CSS px.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    /// The container's scroll position.
    pub scroll_top: f64,
    /// How much of the container shows.
    pub height: f64,
    /// The body's top in the container's scrolled content.
    pub body_top: f64,
}

/// The rows of `count` that `viewport` shows, with `OVERSCAN` either side.
pub fn span_for(count: usize, row_px: f64, viewport: Viewport) -> Span {
    let row_px = row_px.max(1.0);
    let hidden_above = (viewport.scroll_top - viewport.body_top).max(0.0);
    let first_visible = (hidden_above / row_px).floor() as usize;
    let visible = (viewport.height / row_px).ceil() as usize + 1;
    let first = first_visible.saturating_sub(OVERSCAN).min(count);
    let end = (first_visible + visible + OVERSCAN).min(count);
    Span { first, end }
}

#[derive(Properties, PartialEq)]
pub struct WindowedRowsProps {
    /// Rows in the page.
    pub count: usize,
    /// Scrolled into view when it changes (and so built).
    pub selected: usize,
    /// Builds row `index`, with its `aria-rowindex` (the header is row 1).
    pub row: Callback<usize, Html>,
}

/// The `<tbody>`: spacer, the rows near the viewport, spacer.
#[function_component]
pub fn WindowedRows(props: &WindowedRowsProps) -> Html {
    let body = use_node_ref();
    let span = use_state_eq(|| span_for(props.count, ESTIMATED_ROW_PX, initial_viewport()));
    let row_px = use_mut_ref(|| None::<f64>);
    use_span_tracking(body.clone(), props.count, row_px.clone(), span.setter());
    {
        // Only a moved selection scrolls: measuring for it on the first render would
        // force a layout before the first paint.
        let (body, row_px, shown) = (body.clone(), row_px.clone(), use_mut_ref(|| props.selected));
        use_effect_with(props.selected, move |&selected| {
            if std::mem::replace(&mut *shown.borrow_mut(), selected) != selected {
                scroll_row_into_view(&body, selected, &row_px);
            }
        });
    }
    let row_px = row_px.borrow().unwrap_or(ESTIMATED_ROW_PX);
    let span = Span { first: span.first.min(props.count), end: span.end.min(props.count) };
    let spacer = |rows: usize, edge: &'static str| {
        (rows > 0).then(|| {
            let style = format!("height: {}px", rows as f64 * row_px);
            // One cell, no `colspan`: a spanned count would add columns wherever the
            // narrow-window CSS hides some.
            html! { <tr class="spacer" data-spacer={edge} aria-hidden="true"><td {style}></td></tr> }
        })
    };
    html! {
        <tbody ref={body}>
            { spacer(span.first, "above") }
            { for (span.first..span.end).map(|index| props.row.emit(index)) }
            { spacer(props.count - span.end, "below") }
        </tbody>
    }
}

/// Before the body is laid out: the window's height, the body at the top (which
/// builds a few rows more than the screen shows, never fewer).
fn initial_viewport() -> Viewport {
    let height = web_sys::window().and_then(|w| w.inner_height().ok()).and_then(|h| h.as_f64()).unwrap_or(900.0);
    Viewport { scroll_top: 0.0, height, body_top: 0.0 }
}

/// Follows the scrolling container of `body` (and the window's size) into `span`.
/// Nothing is measured while the list sits at the top as it first shows: measuring
/// forces a layout the first paint would otherwise do once.
#[hook]
fn use_span_tracking(body: NodeRef, count: usize, row_px: Rc<RefCell<Option<f64>>>, span: UseStateSetter<Span>) {
    use_effect_with(count, move |&count| {
        let container = body.cast::<Element>().and_then(|b| b.closest(".content").ok().flatten());
        let at_top = container.as_ref().is_none_or(|c| c.scroll_top() <= 0);
        if at_top {
            // A page whose row count changed (a live update) needs no layout at the top.
            span.set(span_for(count, row_px.borrow().unwrap_or(ESTIMATED_ROW_PX), initial_viewport()));
        }
        let measure = {
            let (body, container, span) = (body.clone(), container.clone(), span.clone());
            let row_px = row_px.clone();
            move || {
                let (Some(body), Some(container)) = (body.cast::<Element>(), &container) else { return };
                let measured = *row_px.borrow();
                let height = measured.or_else(|| first_row_height(&body));
                *row_px.borrow_mut() = height;
                span.set(span_for(count, height.unwrap_or(ESTIMATED_ROW_PX), viewport_of(&body, container)));
            }
        };
        if !at_top {
            measure();
        }
        let listener = Closure::<dyn Fn()>::new(measure);
        let window = web_sys::window();
        let callback = listener.as_ref().unchecked_ref::<js_sys::Function>().clone();
        if let Some(container) = &container {
            let _ = container.add_event_listener_with_callback("scroll", &callback);
        }
        if let Some(window) = &window {
            let _ = window.add_event_listener_with_callback("resize", &callback);
        }
        move || {
            if let Some(container) = &container {
                let _ = container.remove_event_listener_with_callback("scroll", &callback);
            }
            if let Some(window) = &window {
                let _ = window.remove_event_listener_with_callback("resize", &callback);
            }
            drop(listener);
        }
    });
}

fn viewport_of(body: &Element, container: &Element) -> Viewport {
    let offset = body.get_bounding_client_rect().top() - container.get_bounding_client_rect().top();
    let scroll_top = f64::from(container.scroll_top());
    Viewport { scroll_top, height: f64::from(container.client_height()), body_top: offset + scroll_top }
}

/// Rows are one height by design (the CSS keeps each line of a cell to one line); the
/// first built row says what that height is with this computer's fonts.
fn first_row_height(body: &Element) -> Option<f64> {
    let row = body.query_selector("tr:not(.spacer)").ok()??;
    let height = f64::from(row.dyn_into::<HtmlElement>().ok()?.offset_height());
    (height > 0.0).then_some(height)
}

/// Scrolls the container just enough to show row `index` below the table's sticky
/// header, whether or not the row is built yet (the scroll then builds it).
fn scroll_row_into_view(body: &NodeRef, index: usize, row_px: &RefCell<Option<f64>>) {
    let Some(body) = body.cast::<Element>() else { return };
    let Some(container) = body.closest(".content").ok().flatten() else { return };
    let row_px = row_px.borrow().or_else(|| first_row_height(&body)).unwrap_or(ESTIMATED_ROW_PX);
    let header_px = body
        .previous_element_sibling()
        .and_then(|head| head.dyn_into::<HtmlElement>().ok())
        .map_or(0.0, |head| f64::from(head.offset_height()));
    let viewport = viewport_of(&body, &container);
    let top = viewport.body_top + index as f64 * row_px;
    let target = if top - header_px < viewport.scroll_top {
        top - header_px
    } else if top + row_px > viewport.scroll_top + viewport.height {
        top + row_px - viewport.height
    } else {
        return;
    };
    container.set_scroll_top(target.max(0.0).round() as i32);
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCREEN: Viewport = Viewport { scroll_top: 0.0, height: 540.0, body_top: 200.0 };

    #[test]
    fn at_the_top_only_the_rows_on_screen_and_the_overscan_are_built() {
        let span = span_for(100, 54.0, SCREEN);
        assert_eq!(span, Span { first: 0, end: 11 + OVERSCAN });
    }

    #[test]
    fn scrolled_down_the_rows_above_make_way_for_the_ones_now_on_screen() {
        let scrolled = Viewport { scroll_top: 200.0 + 54.0 * 40.0, ..SCREEN };
        assert_eq!(span_for(100, 54.0, scrolled), Span { first: 40 - OVERSCAN, end: 40 + 11 + OVERSCAN });
        let to_the_end = Viewport { scroll_top: 200.0 + 54.0 * 100.0 - 540.0, ..SCREEN };
        assert_eq!(span_for(100, 54.0, to_the_end).end, 100);
    }

    #[test]
    fn a_short_page_is_built_whole_and_an_empty_one_not_at_all() {
        assert_eq!(span_for(5, 54.0, SCREEN), Span { first: 0, end: 5 });
        assert_eq!(span_for(0, 54.0, SCREEN), Span { first: 0, end: 0 });
    }
}
