//! Attachments: what a file is to its order (before / after photos, invoice…), what its
//! content is (sniffed from its first bytes, never taken from its name), and the name
//! it is shown under.

use serde::{Deserialize, Serialize};

/// What an attached file is to its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AttachmentKind {
    Before,
    After,
    Invoice,
    Quote,
    Other,
}

impl AttachmentKind {
    pub const ALL: [AttachmentKind; 5] = [
        AttachmentKind::Before,
        AttachmentKind::After,
        AttachmentKind::Invoice,
        AttachmentKind::Quote,
        AttachmentKind::Other,
    ];

    /// The stored name (the `attachments.kind` CHECK lists the same names).
    pub fn as_str(self) -> &'static str {
        match self {
            AttachmentKind::Before => "before",
            AttachmentKind::After => "after",
            AttachmentKind::Invoice => "invoice",
            AttachmentKind::Quote => "quote",
            AttachmentKind::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            AttachmentKind::Before => "Before",
            AttachmentKind::After => "After",
            AttachmentKind::Invoice => "Invoice",
            AttachmentKind::Quote => "Quote",
            AttachmentKind::Other => "Other",
        }
    }
}

/// The kinds of content Plumbline keeps: photos, short videos and PDFs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MediaType {
    Jpeg,
    Png,
    Gif,
    WebP,
    Heic,
    Mp4,
    QuickTime,
    Pdf,
}

impl MediaType {
    pub const ALL: [MediaType; 8] = [
        MediaType::Jpeg,
        MediaType::Png,
        MediaType::Gif,
        MediaType::WebP,
        MediaType::Heic,
        MediaType::Mp4,
        MediaType::QuickTime,
        MediaType::Pdf,
    ];

    /// The MIME type, as stored and as a data URL names it.
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
            MediaType::Gif => "image/gif",
            MediaType::WebP => "image/webp",
            MediaType::Heic => "image/heic",
            MediaType::Mp4 => "video/mp4",
            MediaType::QuickTime => "video/quicktime",
            MediaType::Pdf => "application/pdf",
        }
    }

    pub fn parse(mime: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|media| media.mime() == mime)
    }

    /// "a JPEG image", as messages name it.
    pub fn label(self) -> &'static str {
        match self {
            MediaType::Jpeg => "a JPEG image",
            MediaType::Png => "a PNG image",
            MediaType::Gif => "a GIF image",
            MediaType::WebP => "a WebP image",
            MediaType::Heic => "a HEIC photo",
            MediaType::Mp4 => "an MP4 video",
            MediaType::QuickTime => "a QuickTime video",
            MediaType::Pdf => "a PDF",
        }
    }

    /// Shown as a thumbnail in the app. HEIC is a photo, but the webview cannot draw
    /// it, so it opens in the OS's viewer like a PDF.
    pub fn is_previewable_image(self) -> bool {
        match self {
            MediaType::Jpeg | MediaType::Png | MediaType::Gif | MediaType::WebP => true,
            MediaType::Heic | MediaType::Mp4 | MediaType::QuickTime | MediaType::Pdf => false,
        }
    }

    /// A photo of any kind (for "Added 2 photos").
    pub fn is_photo(self) -> bool {
        match self {
            MediaType::Jpeg | MediaType::Png | MediaType::Gif | MediaType::WebP | MediaType::Heic => true,
            MediaType::Mp4 | MediaType::QuickTime | MediaType::Pdf => false,
        }
    }

    /// The extension a copy handed to the OS is given, so the OS's app is chosen by what
    /// the content is, never by the name it came with.
    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Jpeg => "jpg",
            MediaType::Png => "png",
            MediaType::Gif => "gif",
            MediaType::WebP => "webp",
            MediaType::Heic => "heic",
            MediaType::Mp4 => "mp4",
            MediaType::QuickTime => "mov",
            MediaType::Pdf => "pdf",
        }
    }

    /// What a file name's extension claims, only to word a refusal ("is not a JPEG
    /// image"); the content alone decides what a file is.
    pub fn claimed_by(file_name: &str) -> Option<Self> {
        let (_, extension) = file_name.rsplit_once('.')?;
        match extension.to_ascii_lowercase().as_str() {
            "jpg" | "jpeg" => Some(MediaType::Jpeg),
            "png" => Some(MediaType::Png),
            "gif" => Some(MediaType::Gif),
            "webp" => Some(MediaType::WebP),
            "heic" | "heif" => Some(MediaType::Heic),
            "mp4" | "m4v" => Some(MediaType::Mp4),
            "mov" => Some(MediaType::QuickTime),
            "pdf" => Some(MediaType::Pdf),
            _ => None,
        }
    }
}

/// How many leading bytes `sniff` needs at most.
pub const SNIFF_BYTES: usize = 16;

/// Largest `ftyp` box believed: a real one names a handful of brands in well under a
/// hundred bytes, so a "size" beyond this is text or noise that happens to hold "ftyp".
pub const MAX_FTYP_BYTES: u32 = 4096;

/// What a file's content is, from its first bytes (magic numbers) and its length in
/// bytes; `None`: nothing Plumbline accepts, whatever the file is called.
pub fn sniff(head: &[u8], file_len: u64) -> Option<MediaType> {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(MediaType::Jpeg);
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(MediaType::Png);
    }
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return Some(MediaType::Gif);
    }
    if head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        return Some(MediaType::WebP);
    }
    if head.starts_with(b"%PDF-") {
        return Some(MediaType::Pdf);
    }
    iso_media(head, file_len)
}

/// ISO base-media files (HEIC, MP4, QuickTime) start with a box: its size (big-endian,
/// header included) and its type; an `ftyp` box names the brand. The size is checked as
/// fully as the type, since a text file can hold "ftyp" at offset 4 by chance or by
/// design (an HTML page posing as a video). Only brands of the three kinds kept are
/// accepted (AVIF, 3GP and the rest share the container but are refused).
fn iso_media(head: &[u8], file_len: u64) -> Option<MediaType> {
    let size = u32::from_be_bytes(head.get(0..4)?.try_into().ok()?);
    let fits = u64::from(size) <= file_len;
    match head.get(4..8)? {
        // Major brand and minor version (16 bytes with the header), then whole 4-byte
        // compatible brands.
        b"ftyp" if (16..=MAX_FTYP_BYTES).contains(&size) && size % 4 == 0 && fits => ftyp_brand(head.get(8..12)?),
        b"ftyp" => None,
        // Older QuickTime movies start straight with their movie or data box (`wide` is
        // an empty 8-byte placeholder before `mdat`).
        b"wide" => (size == 8).then_some(MediaType::QuickTime),
        b"moov" | b"mdat" => (size >= 8 && fits).then_some(MediaType::QuickTime),
        _ => None,
    }
}

fn ftyp_brand(brand: &[u8]) -> Option<MediaType> {
    match brand {
        b"heic" | b"heix" | b"heim" | b"heis" | b"hevc" | b"hevx" | b"mif1" | b"msf1" => Some(MediaType::Heic),
        b"qt  " => Some(MediaType::QuickTime),
        b"isom" | b"iso2" | b"iso4" | b"iso5" | b"iso6" | b"mp41" | b"mp42" | b"avc1" | b"M4V " | b"mmp4" | b"dash" => {
            Some(MediaType::Mp4)
        }
        _ => None,
    }
}

/// A size as people read it: "640 bytes", "85 KB", "2.4 MB", "25 MB" (binary units,
/// as the limits are set).
pub fn size_label(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    match bytes {
        0..KB => format!("{bytes} bytes"),
        KB..MB => format!("{} KB", bytes.div_ceil(KB)),
        _ => {
            let tenths = (bytes * 10).div_ceil(MB);
            if tenths.is_multiple_of(10) {
                format!("{} MB", tenths / 10)
            } else {
                format!("{}.{} MB", tenths / 10, tenths % 10)
            }
        }
    }
}

/// Longest file name kept, in characters.
pub const MAX_FILE_NAME_CHARS: usize = 120;

/// The name a file is shown under: its base name only (no folder of the uploader's
/// machine is kept), without control characters or invisible ones, at most
/// `MAX_FILE_NAME_CHARS` long (the extension kept). Never used as a path: stored files
/// are named by content hash.
pub fn display_name(given: &str) -> String {
    let base = given.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|&c| !c.is_control() && !is_invisible(c)).collect();
    let clean = clean.trim();
    if clean.is_empty() || clean == "." || clean == ".." {
        return "file".to_owned();
    }
    if clean.chars().count() <= MAX_FILE_NAME_CHARS {
        return clean.to_owned();
    }
    let extension = clean.rsplit_once('.').map(|(_, ext)| ext).filter(|ext| ext.chars().count() <= 10);
    let keep = MAX_FILE_NAME_CHARS - extension.map_or(0, |ext| ext.chars().count() + 1);
    let stem: String = clean.chars().take(keep).collect();
    match extension {
        Some(ext) => format!("{stem}.{ext}"),
        None => stem,
    }
}

/// Characters that change how a name reads without showing themselves: bidi embeddings,
/// overrides, isolates and marks (which make "invoice\u{202E}fdp.exe" read as
/// "invoiceexe.pdf") and zero-width ones (which make two names look alike).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'
            | '\u{FEFF}'
    )
}

/// Device names Windows reserves whatever the extension ("CON.pdf" is the console).
const RESERVED_STEMS: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2",
    "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// The name a copy handed to the OS to open is written under: the shown name with what
/// no common file system takes replaced, ending in the extension of what the content is
/// (sniffed when attached), so the OS picks its app by the content, never by the name
/// it came with ("report.html" holding a PDF opens as "report.html.pdf").
pub fn name_to_open(shown: &str, media: MediaType) -> String {
    let clean: String = display_name(shown)
        .chars()
        .map(|c| if matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') { '_' } else { c })
        .collect();
    // Windows drops trailing dots and spaces, which would lose the extension.
    let clean = match clean.trim_end_matches(['.', ' ']) {
        "" => "file",
        trimmed => trimmed,
    };
    let stem = clean.split('.').next().unwrap_or_default().trim_end();
    let reserved = RESERVED_STEMS.iter().any(|reserved| reserved.eq_ignore_ascii_case(stem));
    let clean = if reserved { format!("_{clean}") } else { clean.to_owned() };
    let ends_right = clean.rsplit_once('.').is_some_and(|(before, _)| !before.is_empty())
        && MediaType::claimed_by(&clean) == Some(media);
    if ends_right { clean } else { format!("{clean}.{}", media.extension()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kept_format_is_recognised_from_its_first_bytes() {
        let cases: [(&[u8], MediaType); 9] = [
            (b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", MediaType::Jpeg),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", MediaType::Png),
            (b"GIF89a\x01\x00\x01\x00", MediaType::Gif),
            (b"RIFF\x24\x00\x00\x00WEBPVP8 ", MediaType::WebP),
            (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", MediaType::Heic),
            (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", MediaType::Mp4),
            (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00", MediaType::QuickTime),
            (b"\x00\x00\x00\x08moov", MediaType::QuickTime),
            (b"%PDF-1.4\n%\xE2\xE3\xCF\xD3", MediaType::Pdf),
        ];
        for (head, media) in cases {
            assert_eq!(sniff(head, 4096), Some(media), "{media:?}");
        }
    }

    #[test]
    fn anything_else_is_refused_whatever_it_is_called() {
        for head in [
            &b"Just some text, called photo.jpg"[..],
            b"",
            b"\xFF\xD8",
            b"PK\x03\x04zip archive",
            b"RIFF\x24\x00\x00\x00WAVEfmt ",
            b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00",
            b"MZ\x90\x00 an executable",
        ] {
            assert_eq!(sniff(head, 4096), None, "{head:?}");
        }
    }

    #[test]
    fn ftyp_at_offset_4_is_not_enough_the_box_size_must_be_a_real_ones() {
        for head in [
            // An HTML page that spells "ftyp" after its first four characters.
            &b"<p>\nftypisom<script>"[..],
            b"<!--ftypmp42-->\n<html>",
            // Too small to hold the major brand and minor version.
            b"\x00\x00\x00\x08ftypisom\x00\x00\x02\x00",
            b"\x00\x00\x00\x00ftypisom\x00\x00\x02\x00",
            // Not whole 4-byte brands.
            b"\x00\x00\x00\x1Aftypisom\x00\x00\x02\x00",
            // Larger than any real ftyp box.
            b"\x00\x01\x00\x00ftypisom\x00\x00\x02\x00",
            // An old-style movie box whose size is text.
            b"<htmoov and more",
            b"\x00\x00\x00\x10wide\x00\x00\x00\x00mdat",
        ] {
            assert_eq!(sniff(head, 1024 * 1024), None, "{head:?}");
        }
        // A box cannot be larger than the file holding it.
        assert_eq!(sniff(b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", 16), None);
        assert_eq!(sniff(b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", 32), Some(MediaType::Mp4));
    }

    #[test]
    fn bidi_and_zero_width_characters_are_taken_out_of_names() {
        assert_eq!(display_name("invoice\u{202E}fdp.exe"), "invoicefdp.exe");
        assert_eq!(display_name("\u{2067}photo\u{2069}.jpg"), "photo.jpg");
        assert_eq!(display_name("le\u{200B}ak\u{200C}\u{200D}\u{2060}.jpg\u{FEFF}"), "leak.jpg");
        assert_eq!(display_name("\u{200E}a\u{200F}b\u{061C}c\u{202A}d\u{202B}e\u{202C}f\u{202D}.pdf"), "abcdef.pdf");
        assert_eq!(display_name("\u{2066}\u{2068}\u{200B}"), "file");
        assert_eq!(display_name("Façade (1) 日本.jpg"), "Façade (1) 日本.jpg", "visible letters stay");
    }

    #[test]
    fn a_copy_to_open_ends_in_the_extension_of_what_its_content_is() {
        assert_eq!(name_to_open("leak.jpg", MediaType::Jpeg), "leak.jpg");
        assert_eq!(name_to_open("leak.JPEG", MediaType::Jpeg), "leak.JPEG");
        assert_eq!(name_to_open("report.html", MediaType::Pdf), "report.html.pdf");
        assert_eq!(name_to_open("invoice.jpg", MediaType::Pdf), "invoice.jpg.pdf");
        assert_eq!(name_to_open("clip", MediaType::QuickTime), "clip.mov");
        assert_eq!(name_to_open(".pdf", MediaType::Pdf), ".pdf.pdf");
        assert_eq!(name_to_open("a:b?.pdf", MediaType::Pdf), "a_b_.pdf");
        assert_eq!(name_to_open("notes.pdf. ", MediaType::Pdf), "notes.pdf");
        assert_eq!(name_to_open("con.pdf", MediaType::Pdf), "_con.pdf");
        assert_eq!(name_to_open("....", MediaType::Heic), "file.heic");
        for media in MediaType::ALL {
            assert_eq!(MediaType::claimed_by(&format!("x.{}", media.extension())), Some(media), "{media:?}");
        }
    }

    #[test]
    fn a_name_keeps_only_its_base_name() {
        assert_eq!(display_name("/home/ann/Photos/leak.jpg"), "leak.jpg");
        assert_eq!(display_name("C:\\Users\\ann\\leak.jpg"), "leak.jpg");
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("a/.."), "file");
        assert_eq!(display_name(" \u{7}bell.pdf "), "bell.pdf");
        assert_eq!(display_name(""), "file");
    }

    #[test]
    fn a_long_name_is_shortened_keeping_its_extension() {
        let name = display_name(&format!("{}.jpeg", "x".repeat(300)));
        assert_eq!(name.chars().count(), MAX_FILE_NAME_CHARS);
        assert!(name.ends_with("x.jpeg"));
    }

    #[test]
    fn sizes_read_in_the_units_the_limits_are_set_in() {
        assert_eq!(size_label(640), "640 bytes");
        assert_eq!(size_label(85 * 1024), "85 KB");
        assert_eq!(size_label(25 * 1024 * 1024), "25 MB");
        assert_eq!(size_label(25 * 1024 * 1024 + 1), "25.1 MB");
    }

    #[test]
    fn kinds_and_media_types_round_trip_through_their_stored_names() {
        for kind in AttachmentKind::ALL {
            assert_eq!(AttachmentKind::parse(kind.as_str()), Some(kind));
        }
        for media in MediaType::ALL {
            assert_eq!(MediaType::parse(media.mime()), Some(media));
        }
    }
}
