//! A4 pages filled from the top down: lines of text, labelled fields, headings, rules
//! and pictures, a new page whenever the next piece does not fit (or, on a one-page
//! sheet, nothing more once the page is full), and a footer with "Page n of N".

use crate::font::{self, Face};
use crate::picture::{Picture, Samples};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// A4 in points.
const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
const MARGIN: f32 = 48.0;
const TOP: f32 = PAGE_HEIGHT - MARGIN;
/// Room kept clear for the footer.
const BOTTOM: f32 = MARGIN + 8.0;
const FOOTER_BASELINE: f32 = 30.0;
/// The width between the margins.
pub const WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// How far a field's value starts from its label.
const LABEL_WIDTH: f32 = 118.0;
/// Line height, as a multiple of the font size.
const LEADING: f32 = 1.32;

/// How dark text is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Ink,
    /// Labels, times and notes beside the main text.
    Muted,
}

impl Tone {
    fn grey(self) -> f32 {
        match self {
            Tone::Ink => 0.1,
            Tone::Muted => 0.42,
        }
    }
}

/// Text of one size, face and tone.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub face: Face,
    pub size: f32,
    pub tone: Tone,
}

impl Style {
    pub const BODY: Style = Style { face: Face::Regular, size: 9.5, tone: Tone::Ink };
    pub const STRONG: Style = Style { face: Face::Bold, size: 9.5, tone: Tone::Ink };
    pub const SMALL: Style = Style { face: Face::Regular, size: 8.5, tone: Tone::Muted };
    pub const LABEL: Style = Style { face: Face::Bold, size: 8.5, tone: Tone::Muted };
    pub const HEADING: Style = Style { face: Face::Bold, size: 12.5, tone: Tone::Ink };
    pub const TITLE: Style = Style { face: Face::Bold, size: 18.0, tone: Tone::Ink };

    fn line_height(self) -> f32 {
        self.size * LEADING
    }
}

struct Page {
    content: Content,
    /// Indexes into `Sheet::pictures` drawn on this page.
    pictures: Vec<usize>,
}

/// The document being laid out.
pub struct Sheet {
    pages: Vec<Page>,
    pictures: Vec<Picture>,
    /// The top of the free space on the current page.
    y: f32,
    /// Everything on one page: what does not fit is left off.
    one_page: bool,
}

impl Sheet {
    pub fn new(one_page: bool) -> Self {
        let mut sheet = Self { pages: Vec::new(), pictures: Vec::new(), y: TOP, one_page };
        sheet.new_page();
        sheet
    }

    fn new_page(&mut self) {
        self.pages.push(Page { content: Content::new(), pictures: Vec::new() });
        self.y = TOP;
    }

    fn content(&mut self) -> &mut Content {
        let page = self.pages.len() - 1;
        &mut self.pages[page].content
    }

    /// The height left on this page.
    pub fn room(&self) -> f32 {
        self.y - BOTTOM
    }

    /// Whether `height` fits, turning to a new page if it would not (never on a one-page
    /// sheet).
    pub fn make_room(&mut self, height: f32) -> bool {
        if height <= self.room() {
            return true;
        }
        if self.one_page {
            return false;
        }
        self.new_page();
        true
    }

    pub fn gap(&mut self, height: f32) {
        self.y = (self.y - height).max(BOTTOM);
    }

    /// One line of encoded text at `x` (from the left margin) on the next line; false
    /// if it did not fit.
    pub fn line(&mut self, x: f32, text: &[u8], style: Style) -> bool {
        if !self.make_room(style.line_height()) {
            return false;
        }
        let baseline = self.y - style.size;
        draw_text(self.content(), MARGIN + x, baseline, text, style);
        self.y -= style.line_height();
        true
    }

    /// `text` wrapped to `width` from `x`, at most `max_lines` lines (the last cut with
    /// "…" if there was more); false if it did not all fit.
    pub fn text(&mut self, x: f32, width: f32, text: &str, style: Style, max_lines: usize) -> bool {
        let mut lines = font::wrap(text, style.face, style.size, width);
        let cut = lines.len() > max_lines;
        lines.truncate(max_lines);
        if let (true, Some(last)) = (cut, lines.last_mut()) {
            *last =
                font::one_line(&format!("{}\u{2026}", String::from_utf8_lossy(last)), style.face, style.size, width);
        }
        for line in &lines {
            if !self.line(x, line, style) {
                return false;
            }
        }
        !cut
    }

    /// A paragraph across the full width.
    pub fn paragraph(&mut self, text: &str, style: Style) -> bool {
        self.text(0.0, WIDTH, text, style, usize::MAX)
    }

    /// A section heading with a rule under it, kept on the page with what follows.
    pub fn heading(&mut self, title: &str) -> bool {
        self.heading_with(title, 3.0 * Style::BODY.line_height())
    }

    /// A heading kept on the page with the `following` points of what comes under it,
    /// and never fewer than a line's: a heading is not left alone at a page's foot.
    pub fn heading_with(&mut self, title: &str, following: f32) -> bool {
        let style = Style::HEADING;
        if !self.make_room(style.line_height() + 14.0 + following.max(Style::BODY.line_height())) {
            return false;
        }
        self.gap(10.0);
        self.line(0.0, &font::encode(title), style);
        self.rule();
        self.gap(4.0);
        true
    }

    /// A thin line across the page.
    pub fn rule(&mut self) {
        let y = self.y - 2.0;
        let content = self.content();
        content.set_stroke_gray(0.8).set_line_width(0.6);
        content.move_to(MARGIN, y).line_to(MARGIN + WIDTH, y).stroke();
        self.y -= 5.0;
    }

    /// A label and its value beside it, the value wrapped; false if it did not fit.
    pub fn field(&mut self, label: &str, value: &str) -> bool {
        let lines = font::wrap(value, Style::BODY.face, Style::BODY.size, WIDTH - LABEL_WIDTH);
        let height = Style::BODY.line_height() * lines.len().max(1) as f32;
        if !self.make_room(height.min(4.0 * Style::BODY.line_height())) {
            return false;
        }
        let baseline = self.y - Style::BODY.size;
        draw_text(self.content(), MARGIN, baseline, &font::encode(label), Style::LABEL);
        for line in &lines {
            if !self.line(LABEL_WIDTH, line, Style::BODY) {
                return false;
            }
        }
        if lines.is_empty() {
            self.y -= Style::BODY.line_height();
        }
        self.y -= 1.5;
        true
    }

    /// `picture` as large as fits `max_width` × `max_height` at `x` (never above a point
    /// a pixel, so a small image is not blown up into blocks), its top at the current
    /// line (a new page first if it does not fit); returns its drawn height.
    pub fn picture(&mut self, x: f32, picture: Picture, max_width: f32, max_height: f32) -> Option<f32> {
        let (w, h) = fitted(&picture, max_width, max_height);
        if !self.make_room(h) {
            return None;
        }
        let index = self.pictures.len();
        let (left, bottom) = (MARGIN + x, self.y - h);
        let matrix = match picture.quarter_turns {
            1 => [0.0, -h, w, 0.0, left, bottom + h],
            2 => [-w, 0.0, 0.0, -h, left + w, bottom + h],
            3 => [0.0, h, -w, 0.0, left + w, bottom],
            _ => [w, 0.0, 0.0, h, left, bottom],
        };
        self.pictures.push(picture);
        let page = self.pages.len() - 1;
        self.pages[page].pictures.push(index);
        let name = picture_name(index);
        self.content().save_state().transform(matrix).x_object(Name(name.as_bytes())).restore_state();
        Some(h)
    }

    /// Moves down past something drawn beside the flow (a picture).
    pub fn skip(&mut self, height: f32) {
        self.y -= height;
    }

    /// The PDF: every page with `footer` on its left and "Page n of N" on its right,
    /// titled `title` in the document's properties.
    pub fn finish(self, title: &str, footer: &str) -> Vec<u8> {
        let mut ids = Ids(0);
        let (catalog, tree, info) = (ids.next(), ids.next(), ids.next());
        let fonts: Vec<(Face, Ref)> = Face::ALL.iter().map(|face| (*face, ids.next())).collect();
        let mut pdf = Pdf::new();
        pdf.catalog(catalog).pages(tree);
        pdf.document_info(info).title(TextStr(title)).creator(TextStr("Plumbline"));
        for (face, id) in &fonts {
            pdf.type1_font(*id).base_font(face.base_font()).encoding_predefined(Name(b"WinAnsiEncoding"));
        }
        let picture_ids: Vec<Ref> =
            self.pictures.iter().map(|picture| write_picture(&mut pdf, &mut ids, picture)).collect();
        let count = self.pages.len();
        let mut page_ids = Vec::with_capacity(count);
        for (number, page) in self.pages.into_iter().enumerate() {
            let (page_id, content_id) = (ids.next(), ids.next());
            page_ids.push(page_id);
            let mut content = page.content;
            draw_footer(&mut content, footer, number + 1, count);
            pdf.stream(content_id, &content.finish());
            let mut writer = pdf.page(page_id);
            writer.parent(tree).media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT)).contents(content_id);
            let mut resources = writer.resources();
            let mut font_dict = resources.fonts();
            for (face, id) in &fonts {
                font_dict.pair(face.resource(), *id);
            }
            font_dict.finish();
            let mut objects = resources.x_objects();
            for index in page.pictures {
                objects.pair(Name(picture_name(index).as_bytes()), picture_ids[index]);
            }
        }
        pdf.pages(tree).kids(page_ids).count(count as i32);
        pdf.finish()
    }
}

/// The size `picture` is drawn at within `max_width` × `max_height`.
pub fn fitted(picture: &Picture, max_width: f32, max_height: f32) -> (f32, f32) {
    let (width, height) = picture.upright_size();
    let scale = (max_width / width).min(max_height / height).min(1.0);
    (width * scale, height * scale)
}

/// Hands out object numbers in order.
struct Ids(i32);

impl Ids {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

fn picture_name(index: usize) -> String {
    format!("Im{index}")
}

fn draw_text(content: &mut Content, x: f32, baseline: f32, text: &[u8], style: Style) {
    content.set_fill_gray(style.tone.grey());
    content.begin_text().set_font(style.face.resource(), style.size).next_line(x, baseline).show(Str(text)).end_text();
}

fn draw_footer(content: &mut Content, footer: &str, number: usize, count: usize) {
    let style = Style::SMALL;
    let page = font::encode(&format!("Page {number} of {count}"));
    let page_width = style.face.width(&page, style.size);
    let left = font::one_line(footer, style.face, style.size, WIDTH - page_width - 24.0);
    draw_text(content, MARGIN, FOOTER_BASELINE, &left, style);
    draw_text(content, MARGIN + WIDTH - page_width, FOOTER_BASELINE, &page, style);
}

/// Writes the picture (and its soft mask) and returns the image's id.
fn write_picture(pdf: &mut Pdf, ids: &mut Ids, picture: &Picture) -> Ref {
    let id = ids.next();
    let (width, height) = (picture.width as i32, picture.height as i32);
    match &picture.samples {
        Samples::Jpeg { components, data } => {
            let mut image = pdf.image_xobject(id, data);
            image.filter(Filter::DctDecode);
            image.width(width).height(height).bits_per_component(8);
            image.color_space_name(Name(if *components == 1 { b"DeviceGray" } else { b"DeviceRGB" }));
        }
        Samples::Deflated { rgb, data, alpha } => {
            let mask = alpha.as_ref().map(|alpha| {
                let mask_id = ids.next();
                let mut mask = pdf.image_xobject(mask_id, alpha);
                mask.filter(Filter::FlateDecode);
                mask.width(width).height(height).bits_per_component(8);
                mask.color_space_name(Name(b"DeviceGray"));
                mask_id
            });
            let mut image = pdf.image_xobject(id, data);
            image.filter(Filter::FlateDecode);
            image.width(width).height(height).bits_per_component(8);
            image.color_space_name(Name(if *rgb { b"DeviceRGB" } else { b"DeviceGray" }));
            if let Some(mask_id) = mask {
                image.s_mask(mask_id);
            }
        }
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heading_with_no_room_for_a_line_under_it_starts_the_next_page() {
        let mut sheet = Sheet::new(false);
        let heading_alone = Style::HEADING.line_height() + 14.0;
        sheet.gap(sheet.room() - heading_alone - 1.0);
        assert!(sheet.heading_with("Photos and documents (0)", 0.0));
        assert_eq!(sheet.pages.len(), 2, "the heading went over with what follows it");
        assert!(sheet.line(0.0, b"Nothing is attached to this order.", Style::SMALL));
        assert_eq!(sheet.pages.len(), 2);
    }
}
