//! Administration pages: the locality's staff, departments and categories; the audit log; and,
//! for operators, localities and the outbox.

mod api_keys;
mod audit;
mod operator;
mod organisations;
mod overview;

pub use api_keys::ApiKeysPage;
pub use audit::AuditPage;
pub use operator::{LocalitiesPage, OutboxPage};
pub use organisations::OrganisationsPage;
pub use overview::AdminPage;

use crate::components::error::ErrorNotice;
use crate::components::layout::SignInPrompt;
use crate::error::AppError;
use leptos::prelude::*;

/// An error of an administration page: sign in, or the plain message.
fn admin_error(err: AppError) -> AnyView {
    match err {
        AppError::Unauthorized => view! { <SignInPrompt /> }.into_any(),
        other => view! { <ErrorNotice error=other /> }.into_any(),
    }
}

/// The page's data, read again whenever its address changes (each save redirects here with a
/// fresh marker).
fn reload_key() -> Signal<String> {
    let location = leptos_router::hooks::use_location();
    Signal::derive(move || location.search.get())
}

/// Icons that ship in `public/icons`.
pub const ICONS: [&str; 10] =
    ["tree", "lamp", "road", "bin", "bus", "drop", "parking", "paw", "building", "dots"];
