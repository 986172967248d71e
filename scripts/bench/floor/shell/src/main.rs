//! One window of the same size as Plumbline's, showing the page in `../page/dist`, with
//! the webview set as Plumbline sets it (painted without compositing on Linux).

fn main() {
    let result = tauri::Builder::default()
        .setup(|app| {
            let window = tauri::WebviewWindowBuilder::new(app, "main", tauri::WebviewUrl::default())
                .title("Floor")
                .inner_size(1280.0, 800.0)
                .build()?;
            #[cfg(target_os = "linux")]
            window.with_webview(|webview| {
                use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
                if let Some(settings) = webview.inner().settings() {
                    settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
                }
            })?;
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("the floor app failed: {error}");
        std::process::exit(1);
    }
}
