//! Sign-up, sign-in, e-mail confirmation and password reset pages.

mod confirm;
mod forgot;
mod link;
mod login;
mod reset;
mod signup;

pub use confirm::ConfirmPage;
pub use forgot::ForgotPage;
pub use link::SignInLinkPage;
pub use login::LoginPage;
pub use reset::ResetPage;
pub use signup::SignupPage;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// True when the address carries `?{key}=…` (confirmations after a redirect).
fn query_flag(key: &'static str) -> Signal<bool> {
    let query = use_query_map();
    Signal::derive(move || query.with(|q| q.get(key).is_some()))
}

/// The value of `?{key}=…`, or empty.
fn query_value(key: &'static str) -> Signal<String> {
    let query = use_query_map();
    Signal::derive(move || query.with(|q| q.get(key).unwrap_or_default()))
}
