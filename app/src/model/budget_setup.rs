//! Setting up a civic-budget edition: its titles and phase dates, its budgets, and budgets
//! brought in from a Pabulib file (paper counts, recounts, past editions).

use super::budget::{BallotRule, OutcomeRule};
use super::civic_budget::PhaseDates;
use super::Localized;
use serde::{Deserialize, Serialize};

/// An edition as staff set it up. The slug is its address and never changes once created.
#[derive(Clone, Debug, PartialEq)]
pub struct EditionSetup {
    pub slug: String,
    pub title: Localized,
    pub dates: PhaseDates,
    /// Who may vote: from this age (0: any age).
    pub min_voter_age: u8,
}

/// A budget staff add to an edition.
#[derive(Clone, Debug, PartialEq)]
pub struct NewBudget {
    pub edition_id: i64,
    pub name: Localized,
    /// In whole lei.
    pub amount: u64,
    pub ballot_rule: BallotRule,
    pub outcome_rule: OutcomeRule,
}

/// Why a Pabulib file was not imported: the line at fault (0 for the file as a whole) and the
/// reader's explanation, in English as the format itself is (staff pass it on to whoever made
/// the file).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRefusal {
    pub line: usize,
    pub detail: String,
}

/// The largest `.pb` file staff may import: 50,000 ballots of five projects each take about
/// 1.5 MB.
pub const MAX_PABULIB_BYTES: usize = 8 * 1024 * 1024;

/// Edition slugs the civic budget's own pages use.
pub const RESERVED_SLUGS: [&str; 1] = ["new"];
