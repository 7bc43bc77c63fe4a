//! Citizens' initiatives: the list (with a map of those that have a place), one initiative,
//! and the form to launch one.

mod detail;
mod list;
mod new;

pub use detail::InitiativePage;
pub use list::{InitiativeCards, InitiativesPage};
pub use new::NewInitiativePage;
