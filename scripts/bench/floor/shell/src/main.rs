//! One window of the same size as Plumbline's, showing the page in `../page/dist`.

fn main() {
    let result = tauri::Builder::default()
        .setup(|app| {
            tauri::WebviewWindowBuilder::new(app, "main", tauri::WebviewUrl::default())
                .title("Floor")
                .inner_size(1280.0, 800.0)
                .build()?;
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("the floor app failed: {error}");
        std::process::exit(1);
    }
}
