//! The one error type that crosses the wire between the server and the browser.
//!
//! Each variant is a translation key (`errors.<variant>`), so the browser shows the visitor
//! a message in their language; internal causes are logged on the server and never sent.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Why a field of a form was refused; each is a translation key under `errors.field`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooShort,
    TooLong,
    Invalid,
    OutsideBoundary,
    UnknownCategory,
    UnsupportedImage,
    ImageTooLarge,
    TooManyImages,
    /// A link whose time ran out.
    Expired,
    /// The account's e-mail address is not confirmed yet.
    Unconfirmed,
    /// A status change the workflow does not allow.
    InvalidTransition,
    /// Voting is not open (not yet, or no longer).
    Closed,
    /// More answers ticked than the poll allows.
    TooManyChoices,
    /// Already used once where only once is allowed (an identity document, a ballot sheet).
    AlreadyUsed,
    /// Someone else has it already (an address, a name).
    Taken,
    /// An uploaded file (not a photo) over its size limit.
    FileTooLarge,
    /// An uploaded file that is not in the format asked for.
    UnreadableFile,
}

/// One refused field of a form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: &str, problem: Problem) -> Self {
        Self { field: field.to_owned(), problem }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", content = "fields", rename_all = "snake_case")]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("conflicts with the current state")]
    Conflict,
    #[error("too many requests")]
    RateLimited,
    #[error("the server could not be reached")]
    Network,
    #[error("internal error")]
    Internal,
}

impl AppError {
    /// A single-field validation error.
    pub fn invalid(field: &str, problem: Problem) -> Self {
        Self::Validation(vec![FieldError::new(field, problem)])
    }

    /// The HTTP status this error answers with.
    pub fn status(&self) -> u16 {
        match self {
            Self::NotFound => 404,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::Validation(_) => 422,
            Self::Conflict => 409,
            Self::RateLimited => 429,
            Self::Network => 503,
            Self::Internal => 500,
        }
    }

    /// The problems reported for `field`, if any.
    pub fn field_problems<'a>(&'a self, field: &'a str) -> impl Iterator<Item = Problem> + 'a {
        let fields: &[FieldError] = match self {
            Self::Validation(fields) => fields,
            _ => &[],
        };
        fields.iter().filter(move |f| f.field == field).map(|f| f.problem)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => Self::Network,
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                // Arguments that do not even parse are the caller's mistake: 400, not 500.
                #[cfg(feature = "ssr")]
                if let Some(options) =
                    leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
                {
                    options.set_status(axum::http::StatusCode::BAD_REQUEST);
                }
                Self::Validation(Vec::new())
            }
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failure");
                #[cfg(not(feature = "ssr"))]
                leptos::logging::error!("server function failure: {other}");
                Self::Internal
            }
        }
    }
}
