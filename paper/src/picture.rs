//! Photos as a PDF takes them. A JPEG goes in as it is (PDF's DCTDecode is JPEG), so a
//! photo keeps its quality and costs its own size; a PNG is decoded and its pixels
//! deflated, its transparency kept as a soft mask. Other kinds (HEIC, WebP, GIF) are
//! listed in the documents rather than drawn.

use plumbline_domain::MediaType;

/// An image ready to be written as an XObject.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    pub width: u32,
    pub height: u32,
    pub samples: Samples,
    /// How the camera held it: the picture is drawn turned by this many quarter turns
    /// clockwise (a JPEG's EXIF orientation 6 is one, 3 two, 8 three).
    pub quarter_turns: u8,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Samples {
    /// The JPEG file itself, with its colour components (1 grey, 3 RGB).
    Jpeg { components: u8, data: Vec<u8> },
    /// Zlib-deflated 8-bit pixels, grey or RGB, and the alpha channel likewise, if any.
    Deflated { rgb: bool, data: Vec<u8>, alpha: Option<Vec<u8>> },
}

impl Picture {
    /// The picture in `bytes`, if it is a kind a PDF can show and reads cleanly.
    pub fn read(media_type: MediaType, bytes: &[u8]) -> Option<Picture> {
        match media_type {
            MediaType::Jpeg => jpeg(bytes),
            MediaType::Png => png(bytes),
            _ => None,
        }
    }

    /// Width and height as drawn, after turning.
    pub fn upright_size(&self) -> (f32, f32) {
        let (w, h) = (self.width as f32, self.height as f32);
        if self.quarter_turns % 2 == 1 { (h, w) } else { (w, h) }
    }
}

fn jpeg(bytes: &[u8]) -> Option<Picture> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut quarter_turns = 0;
    let mut at = 2;
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return None;
        }
        let marker = bytes[at + 1];
        if marker == 0xFF {
            at += 1; // fill byte
            continue;
        }
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let segment = bytes.get(at + 4..at + 2 + length)?;
        match marker {
            0xE1 => quarter_turns = exif_quarter_turns(segment).unwrap_or(0),
            // Start of frame (baseline, progressive…), but not DHT (C4), JPG (C8) or DAC (CC).
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let height = u32::from(u16::from_be_bytes([*segment.get(1)?, *segment.get(2)?]));
                let width = u32::from(u16::from_be_bytes([*segment.get(3)?, *segment.get(4)?]));
                let components = *segment.get(5)?;
                // CMYK JPEGs (4) are printers' files, not photos; they are listed, not drawn.
                if width == 0 || height == 0 || !matches!(components, 1 | 3) {
                    return None;
                }
                let data = bytes.to_vec();
                return Some(Picture { width, height, samples: Samples::Jpeg { components, data }, quarter_turns });
            }
            _ => {}
        }
        at += 2 + length;
    }
    None
}

/// The EXIF orientation in an APP1 segment, as quarter turns clockwise (1 upright, 6 a
/// quarter, 3 a half, 8 three quarters; mirrored ones are taken as upright).
fn exif_quarter_turns(segment: &[u8]) -> Option<u8> {
    let tiff = segment.strip_prefix(b"Exif\0\0")?;
    let big_endian = match tiff.get(..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let pair = [*tiff.get(at)?, *tiff.get(at + 1)?];
        Some(if big_endian { u16::from_be_bytes(pair) } else { u16::from_le_bytes(pair) })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let quad = [*tiff.get(at)?, *tiff.get(at + 1)?, *tiff.get(at + 2)?, *tiff.get(at + 3)?];
        Some(if big_endian { u32::from_be_bytes(quad) } else { u32::from_le_bytes(quad) })
    };
    let directory = usize::try_from(u32_at(4)?).ok()?;
    let entries = usize::from(u16_at(directory)?);
    let orientation = (0..entries).find_map(|index| {
        let entry = directory + 2 + index * 12;
        (u16_at(entry)? == 0x0112).then(|| u16_at(entry + 8))?
    })?;
    Some(match orientation {
        6 => 1,
        3 => 2,
        8 => 3,
        _ => 0,
    })
}

fn png(bytes: &[u8]) -> Option<Picture> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().ok()?;
    let mut buffer = vec![0; reader.output_buffer_size()?];
    let frame = reader.next_frame(&mut buffer).ok()?;
    buffer.truncate(frame.buffer_size());
    let (colours, has_alpha) = match frame.color_type {
        png::ColorType::Grayscale => (1, false),
        png::ColorType::GrayscaleAlpha => (1, true),
        png::ColorType::Rgb => (3, false),
        png::ColorType::Rgba => (3, true),
        png::ColorType::Indexed => return None, // EXPAND turns palettes into RGB
    };
    let (colour, alpha) = if has_alpha {
        let (mut colour, mut alpha) = (Vec::with_capacity(buffer.len()), Vec::with_capacity(buffer.len() / 2));
        for pixel in buffer.chunks_exact(colours + 1) {
            colour.extend_from_slice(&pixel[..colours]);
            alpha.push(pixel[colours]);
        }
        // A fully opaque picture needs no mask.
        let alpha = alpha.iter().any(|a| *a != 0xFF).then_some(alpha);
        (colour, alpha)
    } else {
        (buffer, None)
    };
    let deflate = |pixels: &[u8]| miniz_oxide::deflate::compress_to_vec_zlib(pixels, 6);
    Some(Picture {
        width: frame.width,
        height: frame.height,
        samples: Samples::Deflated { rgb: colours == 3, data: deflate(&colour), alpha: alpha.as_deref().map(deflate) },
        quarter_turns: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3×2 RGBA PNG, half transparent at one pixel.
    fn small_png(alpha: u8) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, 3, 2);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        let mut pixels: Vec<u8> = [200, 120, 40, 255].repeat(3 * 2);
        pixels[3] = alpha;
        writer.write_image_data(&pixels).unwrap();
        writer.finish().unwrap();
        bytes
    }

    #[test]
    fn a_png_keeps_its_size_and_a_mask_only_when_something_shows_through() {
        let picture = Picture::read(MediaType::Png, &small_png(128)).unwrap();
        assert_eq!((picture.width, picture.height), (3, 2));
        let Samples::Deflated { rgb, data, alpha } = picture.samples else { panic!("not deflated") };
        assert!(rgb);
        assert_eq!(miniz_oxide::inflate::decompress_to_vec_zlib(&data).unwrap().len(), 18);
        assert!(alpha.is_some());
        let opaque = Picture::read(MediaType::Png, &small_png(255)).unwrap();
        assert!(matches!(opaque.samples, Samples::Deflated { alpha: None, .. }));
    }

    #[test]
    fn a_jpeg_is_read_from_its_frame_header_with_its_exif_turn() {
        // SOI, APP1 (big-endian EXIF, one entry: orientation 6), SOF0 (40×30, 3 components), EOI.
        let mut jpeg = vec![0xFF, 0xD8];
        let exif: Vec<u8> = [
            b"Exif\0\0MM\0\x2a\0\0\0\x08".as_slice(),
            &[0, 1],
            &[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0],
            &[0, 0, 0, 0],
        ]
        .concat();
        jpeg.extend_from_slice(&[0xFF, 0xE1]);
        jpeg.extend_from_slice(&(exif.len() as u16 + 2).to_be_bytes());
        jpeg.extend_from_slice(&exif);
        jpeg.extend_from_slice(&[0xFF, 0xC0, 0, 17, 8, 0, 30, 0, 40, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        jpeg.extend_from_slice(&[0xFF, 0xD9]);
        let picture = Picture::read(MediaType::Jpeg, &jpeg).unwrap();
        assert_eq!((picture.width, picture.height, picture.quarter_turns), (40, 30, 1));
        assert_eq!(picture.upright_size(), (30.0, 40.0));
        assert!(matches!(picture.samples, Samples::Jpeg { components: 3, .. }));
    }

    #[test]
    fn what_is_not_a_picture_a_pdf_can_show_is_none() {
        assert_eq!(Picture::read(MediaType::Jpeg, b"not a jpeg"), None);
        assert_eq!(Picture::read(MediaType::Png, b"\x89PNG broken"), None);
        assert_eq!(Picture::read(MediaType::Heic, &small_png(255)), None);
    }
}
