//! What the UI's wasm weighs before any screen (#17): Yew, the UI's own transport
//! (`src-ui/src/ipc.rs`, borrowed as it is) and, for every command, the code that sends
//! its arguments and reads its answer. `scripts/bench.sh` prints its size beside the UI's,
//! so what the screens add can be told from what the API alone costs.

// src-ui's own transport, linked in as it is (`ipc.rs` and `ipc/` are symbolic links).
#[allow(dead_code)]
mod ipc;

use plumbline_domain::{Command, EachCommand, commands};
use yew::prelude::*;

/// Makes each command's call part of the wasm, as a screen's `ipc::call` would.
struct CallEach;

impl EachCommand for CallEach {
    fn command<C: Command>(&mut self) {
        let call = |command: C| {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = ipc::call(command).await;
            })
        };
        // Kept behind an opaque reference, so the optimiser cannot drop the calls.
        std::hint::black_box(&call as &dyn Fn(C));
    }
}

#[function_component]
fn Bare() -> Html {
    html! { <p>{ "No screen" }</p> }
}

fn main() {
    commands::for_each(&mut CallEach);
    yew::Renderer::<Bare>::new().render();
}
