//! Draws a link-preview card: a 1200×630 PNG (the size Facebook, Telegram, Viber and
//! WhatsApp crop to) with a kicker, a title, a few facts and optional result bars, in DejaVu
//! Sans, which covers Romanian, Russian and Ukrainian letters.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use image::{ImageEncoder, Rgb, RgbImage};
use std::sync::OnceLock;

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

const MARGIN: i32 = 72;
const INK: [u8; 3] = [0x1b, 0x26, 0x33];
const MUTED: [u8; 3] = [0x4a, 0x55, 0x62];
const PAPER: [u8; 3] = [0xfb, 0xfa, 0xf6];
const TRACK: [u8; 3] = [0xe4, 0xe2, 0xdb];

/// What a card says. Every string is already translated and formatted for its language.
#[derive(Clone, Debug, Default)]
pub struct Card {
    /// The kind of page and where, e.g. "Initiative · Bălți".
    pub kicker: String,
    pub title: String,
    /// Short lines under the title: a level and votes, a date and a place.
    pub facts: Vec<String>,
    /// Results as (label, share 0–1, the share written out), at most four are drawn.
    pub bars: Vec<(String, f64, String)>,
    /// The site's name and address, at the foot.
    pub footer: String,
    pub accent: [u8; 3],
}

struct Fonts {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts {
        // The files are part of the binary; a parse failure is a build mistake caught by tests.
        regular: FontRef::try_from_slice(include_bytes!("../../assets/fonts/DejaVuSans.ttf"))
            .expect("bundled DejaVuSans.ttf"),
        bold: FontRef::try_from_slice(include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf"))
            .expect("bundled DejaVuSans-Bold.ttf"),
    })
}

/// The card as PNG bytes.
pub fn render(card: &Card) -> Vec<u8> {
    let mut canvas = RgbImage::from_pixel(WIDTH, HEIGHT, Rgb(PAPER));
    let fonts = fonts();
    fill(&mut canvas, 0, 0, 18, HEIGHT as i32, card.accent);
    let right = WIDTH as i32 - MARGIN;
    let width = right - MARGIN;

    let mut y = MARGIN + 30;
    let kicker = fit(&fonts.bold, 30.0, &card.kicker.to_uppercase(), width);
    text(&mut canvas, &fonts.bold, 30.0, MARGIN, y, &kicker, card.accent);
    y += 30;

    // The title gets up to three lines, smaller when long, ending in "…" when longer still.
    let (size, lines) = [64.0, 54.0, 46.0]
        .into_iter()
        .map(|size| (size, wrap(&fonts.bold, size, &card.title, width)))
        .find(|(_, lines)| lines.len() <= 3)
        .unwrap_or_else(|| (46.0, wrap(&fonts.bold, 46.0, &card.title, width)));
    let shown = lines.len().min(if card.bars.is_empty() { 3 } else { 2 });
    for (i, line) in lines.iter().take(shown).enumerate() {
        y += (size * 1.2) as i32;
        let line = if i + 1 == shown && lines.len() > shown {
            fit(&fonts.bold, size, &format!("{line}…"), width)
        } else {
            line.clone()
        };
        text(&mut canvas, &fonts.bold, size, MARGIN, y, &line, INK);
    }

    y += 24;
    for fact in card.facts.iter().take(2) {
        y += 46;
        text(
            &mut canvas,
            &fonts.regular,
            34.0,
            MARGIN,
            y,
            &fit(&fonts.regular, 34.0, fact, width),
            MUTED,
        );
    }

    let footer_top = HEIGHT as i32 - MARGIN - 10;
    let mut bar_y = y + 28;
    for (label, share, written) in card.bars.iter().take(4) {
        if bar_y + 54 > footer_top {
            break;
        }
        let label_width = width - 140;
        text(
            &mut canvas,
            &fonts.regular,
            26.0,
            MARGIN,
            bar_y + 24,
            &fit(&fonts.regular, 26.0, label, label_width),
            INK,
        );
        let share_width = advance(&fonts.bold, 26.0, written);
        text(&mut canvas, &fonts.bold, 26.0, right - share_width, bar_y + 24, written, INK);
        fill(&mut canvas, MARGIN, bar_y + 34, width, 14, TRACK);
        let filled = (f64::from(width) * share.clamp(0.0, 1.0)).round() as i32;
        fill(&mut canvas, MARGIN, bar_y + 34, filled, 14, card.accent);
        bar_y += 62;
    }

    fill(&mut canvas, MARGIN, footer_top, width, 2, TRACK);
    let footer = fit(&fonts.regular, 28.0, &card.footer, width);
    text(&mut canvas, &fonts.regular, 28.0, MARGIN, HEIGHT as i32 - 40, &footer, MUTED);
    png(&canvas)
}

fn png(canvas: &RgbImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    let encoder = image::codecs::png::PngEncoder::new(&mut bytes);
    // Encoding an in-memory RGB buffer of the right size cannot fail.
    if encoder.write_image(canvas.as_raw(), WIDTH, HEIGHT, image::ExtendedColorType::Rgb8).is_err()
    {
        bytes.clear();
    }
    bytes
}

fn fill(canvas: &mut RgbImage, x: i32, y: i32, w: i32, h: i32, colour: [u8; 3]) {
    for py in y.max(0)..(y + h).min(HEIGHT as i32) {
        for px in x.max(0)..(x + w).min(WIDTH as i32) {
            canvas.put_pixel(px as u32, py as u32, Rgb(colour));
        }
    }
}

/// Each glyph of a line with its pen position from the line's start (kerned), and the width.
fn layout(font: &FontRef<'static>, size: f32, line: &str) -> (Vec<(ab_glyph::GlyphId, f32)>, f32) {
    let scaled = font.as_scaled(PxScale::from(size));
    let mut pen = 0.0;
    let mut previous = None;
    let mut glyphs = Vec::with_capacity(line.len());
    for c in line.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            pen += scaled.kern(p, id);
        }
        glyphs.push((id, pen));
        pen += scaled.h_advance(id);
        previous = Some(id);
    }
    (glyphs, pen)
}

/// The width of a line of text in pixels.
fn advance(font: &FontRef<'static>, size: f32, line: &str) -> i32 {
    layout(font, size, line).1.ceil() as i32
}

/// Draws one line with its baseline at `baseline`, blending the glyphs' coverage.
fn text(
    canvas: &mut RgbImage,
    font: &FontRef<'static>,
    size: f32,
    x: i32,
    baseline: i32,
    line: &str,
    colour: [u8; 3],
) {
    let scale = PxScale::from(size);
    for (id, pen) in layout(font, size, line).0 {
        let position = ab_glyph::point(x as f32 + pen, baseline as f32);
        let Some(outline) = font.outline_glyph(id.with_scale_and_position(scale, position)) else {
            continue;
        };
        let bounds = outline.px_bounds();
        outline.draw(|gx, gy, coverage| {
            let px = bounds.min.x as i32 + gx as i32;
            let py = bounds.min.y as i32 + gy as i32;
            if px < 0 || py < 0 || px >= WIDTH as i32 || py >= HEIGHT as i32 {
                return;
            }
            let pixel = canvas.get_pixel_mut(px as u32, py as u32);
            let a = coverage.clamp(0.0, 1.0);
            for (channel, ink) in pixel.0.iter_mut().zip(colour) {
                *channel = (f32::from(*channel) * (1.0 - a) + f32::from(ink) * a).round() as u8;
            }
        });
    }
}

/// Breaks text into lines no wider than `width` at spaces (a word longer than a line is cut).
fn wrap(font: &FontRef<'static>, size: f32, words: &str, width: i32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in words.split_whitespace() {
        let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
        if advance(font, size, &candidate) <= width {
            line = candidate;
        } else {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line = fit(font, size, word, width);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The line itself when it fits, else as much of it as fits followed by "…".
fn fit(font: &FontRef<'static>, size: f32, line: &str, width: i32) -> String {
    if advance(font, size, line) <= width {
        return line.to_owned();
    }
    let mut cut: String = line.to_owned();
    while !cut.is_empty() && advance(font, size, &format!("{cut}…")) > width {
        cut.pop();
    }
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(card: &Card) -> RgbImage {
        let bytes = render(card);
        image::load_from_memory_with_format(&bytes, image::ImageFormat::Png)
            .expect("a PNG")
            .to_rgb8()
    }

    #[test]
    fn a_card_is_a_1200_by_630_png_with_ink_where_the_title_is() {
        let blank = decoded(&Card { accent: [0, 90, 160], ..Card::default() });
        let card = decoded(&Card {
            kicker: "Inițiativă · Bălți".into(),
            title: "Парк на улице Независимости — нужны новые скамейки".into(),
            facts: vec!["GOLD · 1 024 susțineri".into()],
            bars: vec![("Da".into(), 0.7, "70 %".into()), ("Nu".into(), 0.3, "30 %".into())],
            footer: "Agora Bălți · agora.balti.md".into(),
            accent: [0, 90, 160],
        });
        assert_eq!((card.width(), card.height()), (WIDTH, HEIGHT));
        let inked = |img: &RgbImage| img.pixels().filter(|p| p.0 == INK).count();
        assert_eq!(inked(&blank), 0);
        assert!(inked(&card) > 2_000, "the title is drawn");
    }

    #[test]
    fn long_words_and_titles_stay_inside_the_card() {
        let f = &fonts().bold;
        let lines = wrap(f, 64.0, &"Supercalifragilistic".repeat(8), 1000);
        assert!(lines.iter().all(|l| advance(f, 64.0, l) <= 1000));
        assert!(fit(f, 30.0, &"a".repeat(500), 200).ends_with('…'));
        assert_eq!(wrap(f, 30.0, "două cuvinte", 1000), vec!["două cuvinte".to_owned()]);
    }
}
