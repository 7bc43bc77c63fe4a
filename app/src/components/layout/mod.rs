//! The header, navigation, language switch and footer around every page.

mod footer;
mod header;
mod language_switch;
mod locality_switch;
mod user_menu;

pub use footer::SiteFooter;
pub use header::SiteHeader;
pub use language_switch::LanguageSwitch;
pub use locality_switch::LocalitySwitch;
pub use user_menu::{urlencoding_min, SignInPrompt, UserMenu};
