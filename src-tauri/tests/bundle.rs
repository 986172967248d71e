//! What the installers are built from (`tauri.conf.json`'s bundle and the icons
//! `icons/make-icons.sh` derives from one drawing), checked without building one:
//! `scripts/package.sh` builds and checks the Linux packages themselves, and Windows and
//! macOS installers can only be built on those systems.

use std::path::PathBuf;

fn config() -> serde_json::Value {
    let text = std::fs::read_to_string(shell_dir().join("tauri.conf.json")).expect("tauri.conf.json is readable");
    serde_json::from_str(&text).expect("tauri.conf.json is JSON")
}

fn shell_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn icon(name: &str) -> Vec<u8> {
    let path = shell_dir().join("../icons").join(name);
    std::fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

#[test]
fn notifications_are_sent_under_the_identifier_the_installers_give_the_app() {
    assert_eq!(config()["identifier"], plumbline_desktop::APP_ID);
}

#[test]
fn every_icon_the_bundle_names_exists_and_each_platform_has_its_own_format() {
    let config = config();
    let icons: Vec<&str> =
        config["bundle"]["icon"].as_array().expect("bundle.icon is a list").iter().filter_map(|i| i.as_str()).collect();
    for icon in &icons {
        assert!(shell_dir().join(icon).is_file(), "{icon} is named in tauri.conf.json but missing");
    }
    for format in [".png", ".ico", ".icns"] {
        assert!(icons.iter().any(|icon| icon.ends_with(format)), "no {format} icon in {icons:?}");
    }
}

/// Windows picks the size it needs (16 in lists, 32 on the taskbar, 256 in Explorer's
/// large view) from the one .ico; a missing size is scaled, and blurred.
#[test]
fn the_windows_icon_holds_every_size_from_16_to_256() {
    let ico = icon("icon.ico");
    assert_eq!(&ico[..4], &[0, 0, 1, 0], "an .ico starts with its reserved word and type 1");
    let count = usize::from(u16::from_le_bytes([ico[4], ico[5]]));
    // Each entry is 16 bytes after the 6-byte header; a width byte of 0 means 256.
    let widths: Vec<u32> =
        (0..count).map(|i| ico[6 + 16 * i]).map(|w| if w == 0 { 256 } else { u32::from(w) }).collect();
    assert_eq!(widths, [16, 24, 32, 48, 64, 128, 256]);
}

/// macOS shows 16 px in lists and up to 1024 px (512 at 2x) in the Finder and the Dock.
#[test]
fn the_macos_icon_holds_the_sizes_from_16_to_1024() {
    let icns = icon("icon.icns");
    assert_eq!(&icns[..4], b"icns");
    assert_eq!(u32::from_be_bytes([icns[4], icns[5], icns[6], icns[7]]) as usize, icns.len(), "length in header");
    let mut types = Vec::new();
    let mut at = 8;
    while at + 8 <= icns.len() {
        types.push(String::from_utf8_lossy(&icns[at..at + 4]).into_owned());
        at += u32::from_be_bytes([icns[at + 4], icns[at + 5], icns[at + 6], icns[at + 7]]) as usize;
    }
    // 16, 32, 48 and 128 px (with their masks), then 256, 512 and 1024 px.
    for element in ["is32", "il32", "ih32", "it32", "ic08", "ic09", "ic10"] {
        assert!(types.iter().any(|t| t == element), "no {element} in {types:?}");
    }
}

/// A backup double-clicked in a file manager opens with Plumbline: the installers
/// register the extension the backups are written with.
#[test]
fn the_installers_associate_the_backup_archive_with_plumbline() {
    let config = config();
    let association = &config["bundle"]["fileAssociations"][0];
    assert_eq!(association["ext"][0], plumbline_service::backup::EXTENSION);
    let mime = association["mimeType"].as_str().expect("a MIME type for Linux");
    let mime_file = config["bundle"]["linux"]["deb"]["files"]["/usr/share/mime/packages/plumbline.xml"]
        .as_str()
        .expect("the .deb installs the MIME type");
    let declared = std::fs::read_to_string(shell_dir().join(mime_file)).expect("the MIME type's file");
    assert!(declared.contains(&format!("type=\"{mime}\"")), "{mime_file} declares {mime}");
    assert!(
        declared.contains(&format!("*.{}", plumbline_service::backup::EXTENSION)),
        "{mime_file} globs the extension"
    );
    let desktop = std::fs::read_to_string(shell_dir().join("bundle/linux/plumbline.desktop")).expect("desktop entry");
    assert!(desktop.contains("Exec={{exec}} %f"), "the menu entry passes the opened file on");
}
