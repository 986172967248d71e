//! A native message box, for what must reach the person before the window exists: why
//! Plumbline could not start. A log line alone is read by nobody.

/// Shows `message` as an error and waits until it is dismissed. Call it on the main
/// thread. Without a display it does nothing: the caller also writes the message to
/// stderr.
pub fn show_error(title: &str, message: &str) {
    show(title, message);
}

/// GTK's own dialog on the main thread: tao has already started GTK there, and rfd's
/// dialogs run GTK on a thread of their own, which then waits for ever.
#[cfg(target_os = "linux")]
fn show(title: &str, message: &str) {
    use gtk::prelude::{DialogExt, GtkWindowExt};
    if gtk::init().is_err() {
        return;
    }
    let dialog = gtk::MessageDialog::new(
        None::<&gtk::Window>,
        gtk::DialogFlags::MODAL,
        gtk::MessageType::Error,
        gtk::ButtonsType::Ok,
        message,
    );
    dialog.set_title(title);
    dialog.run();
    dialog.close();
    while gtk::events_pending() {
        gtk::main_iteration();
    }
}

#[cfg(not(target_os = "linux"))]
fn show(title: &str, message: &str) {
    rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Error)
        .set_title(title)
        .set_description(message)
        .set_buttons(rfd::MessageButtons::Ok)
        .show();
}
