//! The header, navigation, language switch and footer around every page.

mod footer;
mod header;
mod language_switch;

pub use footer::SiteFooter;
pub use header::SiteHeader;
pub use language_switch::LanguageSwitch;
