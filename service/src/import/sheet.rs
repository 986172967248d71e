//! A spreadsheet file as people really save them: UTF-8 with or without a BOM,
//! Windows-1252 or UTF-16 from Excel, `,` `;` or tab separators, quoted newlines, blank
//! lines. Read into a header and rows, each row knowing the line it starts on.

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};
use std::borrow::Cow;

/// The file's text and how it was written.
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// Works out the encoding: a BOM says so; text that is valid UTF-8 is UTF-8; anything
/// else is taken as Windows-1252, what Excel on Windows writes (every byte is a character
/// there, so it never fails; a wrong guess shows as odd accents, not a refusal).
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Decoded { text: String::from_utf8_lossy(rest).into_owned(), encoding: "UTF-8 with BOM" };
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return Decoded { text: UTF_16LE.decode(bytes).0.into_owned(), encoding: "UTF-16" };
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Decoded { text: UTF_16BE.decode(bytes).0.into_owned(), encoding: "UTF-16" };
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Decoded { text: text.to_owned(), encoding: "UTF-8" },
        Err(_) => Decoded { text: WINDOWS_1252.decode(bytes).0.into_owned(), encoding: "Windows-1252" },
    }
}

/// The separator of the header line: whichever of `,` `;` tab appears most outside quotes
/// (`;` is what Excel writes where the decimal mark is a comma).
pub fn separator(text: &str) -> u8 {
    let mut counts = [(b',', 0), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for byte in text.bytes() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(count) = counts.iter_mut().find(|(sep, _)| *sep == byte) {
                    count.1 += 1;
                }
            }
            _ => {}
        }
    }
    counts.iter().max_by_key(|(_, count)| *count).filter(|(_, count)| *count > 0).map_or(b',', |(sep, _)| *sep)
}

pub struct Row {
    /// The file's line this row starts on (the header is line 1).
    pub line: u64,
    pub cells: Vec<String>,
}

pub struct Sheet {
    /// Column names as keys: lower-case, words joined by `_` ("Landlord E-mail" → `landlord_e_mail`).
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

/// `Landlord E-mail ` → `landlord_e_mail`.
pub fn header_key(name: &str) -> String {
    let lower = name.trim().trim_start_matches('\u{feff}').to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    words.join("_")
}

/// Reads the CSV text; a row whose every cell is blank is left out.
pub fn read(text: &str, separator: u8) -> Result<Sheet, String> {
    let mut reader =
        csv::ReaderBuilder::new().delimiter(separator).flexible(true).has_headers(false).from_reader(text.as_bytes());
    let mut records = reader.records();
    let headers = match records.next() {
        Some(Ok(header)) => header.iter().map(header_key).collect(),
        Some(Err(err)) => return Err(format!("the first row could not be read: {err}")),
        None => return Err("the file is empty".into()),
    };
    let newlines: Vec<usize> = text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(at, _)| at).collect();
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(|err| match err.position() {
            Some(at) => format!("line {} could not be read: {err}", at.line()),
            None => format!("the file could not be read: {err}"),
        })?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let line = record.position().map_or(0, |at| line_at(text.as_bytes(), &newlines, at.byte() as usize));
        rows.push(Row { line, cells: record.iter().map(|cell| clean(cell).into_owned()).collect() });
    }
    Ok(Sheet { headers, rows })
}

/// The line a record starting at `byte` is on. (The reader's own line count can stop
/// short of a `\r\n` and any blank lines before the record.)
fn line_at(text: &[u8], newlines: &[usize], byte: usize) -> u64 {
    let start = byte + text[byte.min(text.len())..].iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
    1 + newlines.partition_point(|&newline| newline < start) as u64
}

/// A cell trimmed, with spreadsheet non-breaking spaces as plain ones.
fn clean(cell: &str) -> Cow<'_, str> {
    let trimmed = cell.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}');
    if trimmed.contains('\u{a0}') { Cow::Owned(trimmed.replace('\u{a0}', " ")) } else { Cow::Borrowed(trimmed) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_utf8_and_windows_1252_are_each_read_as_written() {
        assert_eq!(decode(b"\xEF\xBB\xBFname\nZo\xC3\xAB").text, "name\nZoë");
        assert_eq!(decode(b"\xEF\xBB\xBFname").encoding, "UTF-8 with BOM");
        let cp1252 = decode(b"name\nZo\xEB \x80");
        assert_eq!((cp1252.text.as_str(), cp1252.encoding), ("name\nZoë €", "Windows-1252"));
        assert_eq!(decode("a\nb".as_bytes()).encoding, "UTF-8");
    }

    #[test]
    fn the_separator_is_the_one_the_header_uses_most_outside_quotes() {
        assert_eq!(separator("a;b;c\n1,2;3"), b';');
        assert_eq!(separator("\"a,b\";c\n"), b';');
        assert_eq!(separator("a\tb\n"), b'\t');
        assert_eq!(separator("name\n"), b',');
    }

    #[test]
    fn quoted_newlines_and_blank_lines_keep_each_rows_starting_line() {
        let sheet = read("Street,Notes\r\n\r\n1 High St,\"two\nlines\"\r\n,\r\n2 Low St,x\r\n", b',').expect("reads");
        assert_eq!(sheet.headers, ["street", "notes"]);
        let lines: Vec<u64> = sheet.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 6]);
        assert_eq!(sheet.rows[0].cells, ["1 High St", "two\nlines"]);
    }

    #[test]
    fn headers_become_keys_whatever_their_case_and_punctuation() {
        assert_eq!(header_key("\u{feff} Landlord E-mail "), "landlord_e_mail");
        assert_eq!(header_key("Post code"), "post_code");
    }
}
