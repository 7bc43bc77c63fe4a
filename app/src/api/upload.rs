//! Reading the multipart forms that carry photos (a report, an initiative, a proposal), and
//! storing their photos.

use crate::error::{AppError, Problem};
use leptos::server_fn::codec::MultipartData;
use std::collections::HashMap;

/// A multipart form read whole: its text fields and the files of one field.
#[derive(Default)]
pub struct UploadForm {
    text: HashMap<String, String>,
    /// The non-empty files of the file field, in the order sent.
    pub files: Vec<Vec<u8>>,
    /// Their names on the sender's device, to name them when the form must be sent again.
    pub file_names: Vec<String>,
    /// A file was over the size limit (and was not kept).
    pub too_large: bool,
}

impl UploadForm {
    /// A text field's value; empty when absent.
    pub fn get(&self, name: &str) -> &str {
        self.text.get(name).map(String::as_str).unwrap_or_default()
    }

    /// The text fields as sent.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &str)> {
        self.text.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The problem with the files, if any, for the file field's error.
    pub fn file_problem(&self) -> Option<Problem> {
        self.too_large.then_some(Problem::ImageTooLarge)
    }
}

/// Reads `data`, keeping the files of `file_field` up to `max_file_bytes` each. Files are read
/// in chunks, so an oversized one is refused without being held whole; the request body as a
/// whole is capped before the server function runs.
pub async fn read_upload(
    data: MultipartData,
    file_field: &str,
    max_file_bytes: usize,
) -> Result<UploadForm, AppError> {
    let malformed = |_| AppError::Validation(Vec::new());
    let Some(mut multipart) = data.into_inner() else { return Err(AppError::Internal) };
    let mut form = UploadForm::default();
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name != file_field {
            let value = field.text().await.map_err(malformed)?;
            form.text.insert(name, value);
            continue;
        }
        let file_name = field.file_name().unwrap_or_default().to_owned();
        if file_name.is_empty() {
            continue; // an empty file input
        }
        form.file_names.push(file_name);
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(malformed)? {
            if bytes.len() + chunk.len() > max_file_bytes {
                form.too_large = true;
                bytes.clear();
                break;
            }
            bytes.extend_from_slice(&chunk);
        }
        if !bytes.is_empty() {
            form.files.push(bytes);
        }
    }
    Ok(form)
}

/// Stores every photo of a form, or none: the first that fails removes those stored before it
/// and comes back as `field`'s problem.
pub async fn save_photos(
    media: &dyn crate::store::Media,
    files: Vec<Vec<u8>>,
    field: &str,
) -> Result<Vec<crate::store::SavedPhoto>, AppError> {
    let mut saved = Vec::with_capacity(files.len());
    for bytes in files {
        match media.save_photo(bytes).await {
            Ok(photo) => saved.push(photo),
            Err(problem) => {
                media.discard(&stems(&saved)).await;
                return Err(AppError::Validation(vec![crate::error::FieldError::new(
                    field, problem,
                )]));
            }
        }
    }
    Ok(saved)
}

/// The file stems of stored photos.
pub fn stems(photos: &[crate::store::SavedPhoto]) -> Vec<String> {
    photos.iter().map(|p| p.stem.clone()).collect()
}
