//! Helvetica, one of the fourteen fonts every PDF reader has, so nothing is embedded and
//! a page of text costs a few kilobytes. Text is written in WinAnsi (Windows-1252):
//! English and western European names, "£", "€", dashes and typographic quotes; any
//! other character shows as "?".

use pdf_writer::Name;

/// The two faces the documents use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
}

impl Face {
    pub const ALL: [Face; 2] = [Face::Regular, Face::Bold];

    /// Its name in a page's resources.
    pub fn resource(self) -> Name<'static> {
        match self {
            Face::Regular => Name(b"F1"),
            Face::Bold => Name(b"F2"),
        }
    }

    pub fn base_font(self) -> Name<'static> {
        match self {
            Face::Regular => Name(b"Helvetica"),
            Face::Bold => Name(b"Helvetica-Bold"),
        }
    }

    /// The width of encoded `text` at `size` points.
    pub fn width(self, text: &[u8], size: f32) -> f32 {
        let widths = match self {
            Face::Regular => &REGULAR,
            Face::Bold => &BOLD,
        };
        let units: u32 = text.iter().map(|byte| u32::from(widths[usize::from(byte.saturating_sub(32))])).sum();
        units as f32 * size / 1000.0
    }
}

/// `text` in WinAnsi, one byte a character; a tab is a space.
pub fn encode(text: &str) -> Vec<u8> {
    text.chars().map(win_ansi).collect()
}

fn win_ansi(c: char) -> u8 {
    match u32::from(c) {
        0x20..=0x7E | 0xA0..=0xFF => c as u8,
        0x09 => b' ',
        _ => HIGH.iter().position(|high| *high == c).map_or(b'?', |index| 0x80 + index as u8),
    }
}

/// What WinAnsi puts at 0x80–0x9F (U+FFFD where it has nothing).
const HIGH: [char; 32] = [
    '€', '\u{FFFD}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{FFFD}', 'Ž', '\u{FFFD}', '\u{FFFD}',
    '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{FFFD}', 'ž', 'Ÿ',
];

/// `text` broken into lines no wider than `width` points at `size`: at its own line
/// breaks, then between words, and within a word only when it is wider than a line.
pub fn wrap(text: &str, face: Face, size: f32, width: f32) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line: Vec<u8> = Vec::new();
        for word in paragraph.split(' ').filter(|word| !word.is_empty()) {
            let word = encode(word);
            let joined = if line.is_empty() { word.clone() } else { [line.as_slice(), b" ", &word].concat() };
            if face.width(&joined, size) <= width {
                line = joined;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line = break_long_word(word, face, size, width, &mut lines);
        }
        lines.push(line);
    }
    lines
}

/// Pushes full-width pieces of a word wider than a line; returns what is left of it.
fn break_long_word(mut word: Vec<u8>, face: Face, size: f32, width: f32, lines: &mut Vec<Vec<u8>>) -> Vec<u8> {
    while face.width(&word, size) > width && word.len() > 1 {
        let fits = (1..word.len()).rev().find(|end| face.width(&word[..*end], size) <= width).unwrap_or(1);
        let rest = word.split_off(fits);
        lines.push(std::mem::replace(&mut word, rest));
    }
    word
}

/// `text` on one line of `width` points, ending in "…" if it had to be cut.
pub fn one_line(text: &str, face: Face, size: f32, width: f32) -> Vec<u8> {
    let mut encoded = encode(&text.replace('\n', " "));
    if face.width(&encoded, size) <= width {
        return encoded;
    }
    while !encoded.is_empty() && face.width(&[encoded.as_slice(), b"\x85"].concat(), size) > width {
        encoded.pop();
    }
    encoded.push(0x85);
    encoded
}

/// Helvetica.
#[rustfmt::skip]
const REGULAR: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 350,
    556, 350, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350,
    350, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 350, 500, 667,
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];
/// Helvetica-Bold.
#[rustfmt::skip]
const BOLD: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 350,
    556, 350, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350,
    350, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 350, 500, 667,
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pounds_euros_dashes_and_quotes_are_winansi_and_the_rest_a_question_mark() {
        assert_eq!(encode("£12 – €5 “ok” é"), b"\xa312 \x96 \x805 \x93ok\x94 \xe9".to_vec());
        assert_eq!(encode("日本"), b"??".to_vec());
    }

    #[test]
    fn helvetica_widths_are_adobes() {
        // "Hello" in Helvetica: H 722, e 556, l 222, l 222, o 556.
        assert!((Face::Regular.width(b"Hello", 10.0) - 22.78).abs() < 0.001);
        assert!(Face::Bold.width(b"Hello", 10.0) > Face::Regular.width(b"Hello", 10.0));
    }

    #[test]
    fn wrapping_keeps_every_word_within_the_width_and_in_order() {
        let text = "The boiler pressure keeps dropping below one bar overnight\nand the radiators are cold";
        let lines = wrap(text, Face::Regular, 10.0, 120.0);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|line| Face::Regular.width(line, 10.0) <= 120.0));
        let rejoined: Vec<String> = lines.iter().map(|l| String::from_utf8_lossy(l).into_owned()).collect();
        assert_eq!(
            rejoined.join(" ").split_whitespace().collect::<Vec<_>>(),
            text.split_whitespace().collect::<Vec<_>>()
        );
        let long = wrap(&"x".repeat(200), Face::Regular, 10.0, 50.0);
        assert!(long.len() > 1 && long.iter().all(|line| Face::Regular.width(line, 10.0) <= 50.0));
    }

    #[test]
    fn a_line_too_long_is_cut_with_an_ellipsis() {
        let line = one_line(&"word ".repeat(50), Face::Regular, 10.0, 100.0);
        assert!(Face::Regular.width(&line, 10.0) <= 100.0);
        assert_eq!(line.last(), Some(&0x85));
    }
}
