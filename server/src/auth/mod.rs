//! Authentication plumbing: password hashing, random tokens, the session middleware.

pub mod password;
pub mod session;
pub mod token;
