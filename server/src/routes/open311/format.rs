//! Open311's two formats, written from the same serde types: JSON as it is, XML through
//! `quick-xml` (a list is its root element around one element per item), and the spec's error
//! list.

use app::error::AppError;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// `services.json` → (`services`, JSON); `None` for any other extension.
    pub fn split(file: &str) -> Option<(&str, Format)> {
        if let Some(name) = file.strip_suffix(".json") {
            Some((name, Format::Json))
        } else {
            file.strip_suffix(".xml").map(|name| (name, Format::Xml))
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Xml => "text/xml; charset=utf-8",
        }
    }
}

const XML_DECLARATION: &str = r#"<?xml version="1.0" encoding="utf-8"?>"#;

fn respond(format: Format, status: StatusCode, body: Result<String, String>) -> Response {
    match body {
        Ok(body) => (status, [(header::CONTENT_TYPE, format.content_type())], body).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "could not write an Open311 answer");
            (StatusCode::INTERNAL_SERVER_ERROR, [(header::CONTENT_TYPE, format.content_type())], "")
                .into_response()
        }
    }
}

fn xml_element<T: Serialize>(name: &str, value: &T) -> Result<String, String> {
    quick_xml::se::to_string_with_root(name, value).map_err(|e| e.to_string())
}

fn list_body<T: Serialize>(
    format: Format,
    root: &str,
    item: &str,
    items: &[T],
) -> Result<String, String> {
    match format {
        Format::Json => serde_json::to_string(items).map_err(|e| e.to_string()),
        Format::Xml => {
            let mut out = format!("{XML_DECLARATION}<{root}>");
            for value in items {
                out.push_str(&xml_element(item, value)?);
            }
            out.push_str(&format!("</{root}>"));
            Ok(out)
        }
    }
}

/// One object: as itself in JSON, as the element `root` in XML.
pub fn one<T: Serialize>(format: Format, root: &str, value: &T) -> Response {
    let body = match format {
        Format::Json => serde_json::to_string(value).map_err(|e| e.to_string()),
        Format::Xml => xml_element(root, value).map(|x| format!("{XML_DECLARATION}{x}")),
    };
    respond(format, StatusCode::OK, body)
}

/// A list: a JSON array, or in XML the element `root` holding an `item` element per value.
pub fn list<T: Serialize>(format: Format, root: &str, item: &str, items: &[T]) -> Response {
    respond(format, StatusCode::OK, list_body(format, root, item, items))
}

/// An error as the spec lists them: `[{"code": 400, "description": "…"}]`, with that status.
#[derive(Clone, Debug, Serialize)]
pub struct Open311Error {
    pub code: u16,
    pub description: String,
}

impl Open311Error {
    pub fn new(code: u16, description: impl Into<String>) -> Self {
        Self { code, description: description.into() }
    }

    /// A failure of ours: logged by the `AppError` conversion, never detailed to the client.
    pub fn internal(err: AppError) -> Self {
        let code = err.status();
        let description = match err {
            AppError::RateLimited => "too many requests with this api_key; try again later",
            AppError::NotFound => "not found",
            _ => "internal error",
        };
        Self::new(code, description)
    }

    pub fn respond(self, format: Format) -> Response {
        let status = StatusCode::from_u16(self.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        respond(format, status, list_body(format, "errors", "error", &[self]))
    }
}
