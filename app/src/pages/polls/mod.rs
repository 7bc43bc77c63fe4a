//! The city hall's polls: the list, one poll with live results, and the form to create one.

mod detail;
mod list;
mod new;

pub use detail::PollPage;
pub use list::PollsPage;
pub use new::NewPollPage;
