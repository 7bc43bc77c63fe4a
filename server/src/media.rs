//! Citizens' photos: decoded with `image` under strict limits, turned upright, re-encoded as
//! JPEG (which drops every piece of metadata, GPS included), and stored as a resized copy and
//! a thumbnail under `$AGORA_DATA_DIR/photos`.

use app::error::Problem;
use app::store::{Media, SavedPhoto};
use async_trait::async_trait;
use image::codecs::jpeg::JpegEncoder;
use image::error::ImageError;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

/// The longest side of the stored copy and of the thumbnail, in pixels.
const FULL_SIDE: u32 = 1600;
const THUMB_SIDE: u32 = 400;
/// Larger images are refused from their header, before anything is decoded: a small file can
/// declare an enormous picture ("decompression bomb"). 40 megapixels is more than a phone's
/// usual photo (12 MP) and keeps one decoded picture under [`MAX_DECODE_BYTES`].
const MAX_SIDE: u32 = 12_000;
pub const MAX_PIXELS: u64 = 40_000_000;
/// What one decode may allocate: 40 MP at 4 bytes a pixel, and some room.
pub const MAX_DECODE_BYTES: u64 = 192 * 1024 * 1024;
/// Photos decoded at once; further ones wait their turn. With [`MAX_DECODE_BYTES`] this bounds
/// the memory that decoding can take, whatever is uploaded: 2 × 192 MiB, plus the resized
/// copies (a few MiB each). See "Memory" in docs/architecture.md.
pub const PARALLEL_DECODES: usize = 2;
// The allowance holds the largest accepted picture at 4 bytes a pixel.
const _: () = assert!(MAX_PIXELS * 4 <= MAX_DECODE_BYTES);
static DECODES: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(PARALLEL_DECODES);

pub struct PhotoStore {
    dir: PathBuf,
    max_bytes: usize,
}

impl PhotoStore {
    pub fn new(data_dir: &Path, max_bytes: usize) -> Self {
        Self { dir: data_dir.join("photos"), max_bytes }
    }

    /// The file of a stored photo (`thumb` for the small copy).
    pub fn path(&self, stem: &str, thumb: bool) -> PathBuf {
        let name = if thumb { format!("{stem}_thumb.jpg") } else { format!("{stem}.jpg") };
        self.dir.join(name)
    }
}

/// Decodes, checks and re-encodes; returns the stored copy and the thumbnail as JPEG bytes.
pub fn process(bytes: &[u8]) -> Result<(Vec<u8>, Vec<u8>, u32, u32), Problem> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| Problem::UnsupportedImage)?;
    match reader.format() {
        // A JPEG cut short still decodes (the rest comes out grey), so insist on its end marker.
        Some(ImageFormat::Jpeg) if !bytes.windows(2).any(|w| w == [0xFF, 0xD9]) => {
            return Err(Problem::UnsupportedImage)
        }
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) => {}
        _ => return Err(Problem::UnsupportedImage),
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let refused = |e: ImageError| match e {
        ImageError::Limits(_) => Problem::ImageTooLarge,
        _ => Problem::UnsupportedImage,
    };
    let mut decoder = reader.into_decoder().map_err(refused)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Problem::ImageTooLarge);
    }
    let orientation = decoder.orientation().map_err(refused)?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(refused)?;
    img.apply_orientation(orientation);

    let full = if img.width().max(img.height()) > FULL_SIDE {
        img.resize(FULL_SIDE, FULL_SIDE, image::imageops::FilterType::Triangle)
    } else {
        img
    };
    let thumb = full.thumbnail(THUMB_SIDE, THUMB_SIDE);
    let encode = |image: &DynamicImage, quality: u8| -> Result<Vec<u8>, Problem> {
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, quality)
            .encode_image(&image.to_rgb8())
            .map_err(|_| Problem::UnsupportedImage)?;
        Ok(out)
    };
    Ok((encode(&full, 82)?, encode(&thumb, 75)?, full.width(), full.height()))
}

fn write_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("part");
    let mut f = std::fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)?;
    // The new name is an entry of the directory: synced too, so that a committed row never
    // names a file that a power cut took back.
    match path.parent() {
        Some(dir) => std::fs::File::open(dir)?.sync_all(),
        None => Ok(()),
    }
}

fn random_stem() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[async_trait]
impl Media for PhotoStore {
    async fn save_photo(&self, bytes: Vec<u8>) -> Result<SavedPhoto, Problem> {
        if bytes.len() > self.max_bytes {
            return Err(Problem::ImageTooLarge);
        }
        let dir = self.dir.clone();
        // Waiting here, not in the blocking pool, keeps queued photos from holding its threads.
        let Ok(_permit) = DECODES.acquire().await else { return Err(Problem::UnsupportedImage) };
        tokio::task::spawn_blocking(move || {
            let (full, thumb, width, height) = process(&bytes)?;
            let stem = random_stem();
            let store = || -> std::io::Result<()> {
                std::fs::create_dir_all(&dir)?;
                write_durably(&dir.join(format!("{stem}.jpg")), &full)?;
                write_durably(&dir.join(format!("{stem}_thumb.jpg")), &thumb)
            };
            store().map_err(|err| {
                tracing::error!(%err, "could not store a photo");
                Problem::UnsupportedImage
            })?;
            Ok(SavedPhoto { stem, width, height })
        })
        .await
        .unwrap_or(Err(Problem::UnsupportedImage))
    }

    async fn discard(&self, stems: &[String]) {
        for stem in stems {
            for thumb in [false, true] {
                let _ = tokio::fs::remove_file(self.path(stem, thumb)).await;
            }
        }
    }

    fn max_photo_bytes(&self) -> usize {
        self.max_bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder, RgbImage};

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = RgbImage::from_pixel(width, height, image::Rgb([30, 120, 60]));
        let mut out = Vec::new();
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(img.as_raw(), width, height, image::ExtendedColorType::Rgb8)
            .expect("encode");
        out
    }

    #[test]
    fn resizes_and_reencodes_as_jpeg() {
        let (full, thumb, w, h) = process(&png(3200, 1600)).expect("processed");
        assert_eq!((w, h), (1600, 800));
        assert_eq!(&full[..2], &[0xFF, 0xD8], "JPEG");
        assert_eq!(&thumb[..2], &[0xFF, 0xD8]);
        let t = image::load_from_memory(&thumb).expect("thumb decodes");
        assert_eq!(t.width(), 400);
    }

    #[test]
    fn refuses_other_formats_corrupt_files_and_bombs() {
        assert_eq!(process(b"GIF89a...."), Err(Problem::UnsupportedImage));
        assert_eq!(process(b"plain text, not an image"), Err(Problem::UnsupportedImage));
        let mut truncated = png(50, 50);
        truncated.truncate(truncated.len() / 2);
        assert_eq!(process(&truncated), Err(Problem::UnsupportedImage));
        // A valid PNG header that declares 20000 × 20000 pixels.
        assert_eq!(process(&png(20_000, 1)), Err(Problem::ImageTooLarge));
    }

    /// A PNG that declares `width` × `height` pixels but holds almost nothing: a bomb's header.
    fn png_header_only(width: u32, height: u32) -> Vec<u8> {
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut out = (data.len() as u32).to_be_bytes().to_vec();
            let mut crc = crc32fast::Hasher::new();
            crc.update(kind);
            crc.update(data);
            out.extend_from_slice(kind);
            out.extend_from_slice(data);
            out.extend_from_slice(&crc.finalize().to_be_bytes());
            out
        };
        let mut ihdr = width.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        out.extend(chunk(b"IHDR", &ihdr));
        out.extend(chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]));
        out.extend(chunk(b"IEND", &[]));
        out
    }

    #[test]
    fn pixel_count_is_bounded_before_decoding() {
        // 10000 × 10000 fits the side limit but is 100 megapixels: refused from the header.
        assert_eq!(process(&png_header_only(10_000, 10_000)), Err(Problem::ImageTooLarge));
        assert_eq!(process(&png_header_only(8_000, 6_000)), Err(Problem::ImageTooLarge));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn decodes_run_at_most_two_at_a_time() {
        let dir = tempfile::tempdir().expect("dir");
        let store = std::sync::Arc::new(PhotoStore::new(dir.path(), 10 * 1024 * 1024));
        let busy = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let most = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let watcher = {
            let (busy, most) = (busy.clone(), most.clone());
            tokio::spawn(async move {
                loop {
                    let running = PARALLEL_DECODES - DECODES.available_permits();
                    most.fetch_max(running, std::sync::atomic::Ordering::SeqCst);
                    if busy.load(std::sync::atomic::Ordering::SeqCst) == usize::MAX {
                        return;
                    }
                    tokio::task::yield_now().await;
                }
            })
        };
        let uploads: Vec<_> = (0..6)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move { store.save_photo(png(2400, 1800)).await })
            })
            .collect();
        for upload in uploads {
            assert!(upload.await.expect("joined").is_ok());
        }
        busy.store(usize::MAX, std::sync::atomic::Ordering::SeqCst);
        watcher.await.expect("watcher");
        let most = most.load(std::sync::atomic::Ordering::SeqCst);
        assert!((1..=PARALLEL_DECODES).contains(&most), "{most} decodes ran at once");
    }
}
