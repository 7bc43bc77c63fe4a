//! Inclusion in the civic budget: what a participant may say about themselves (optional, only
//! ever counted) and an edition's indicators against the targets of the city's 2026–2027
//! inclusive budgeting plan (`shared/seeds/001_…`, chapter IV).

use super::Localized;
use serde::{Deserialize, Serialize};

/// Age bands, as the plan's indicators group participants.
pub const AGE_BANDS: [&str; 5] = ["16-17", "18-29", "30-44", "45-64", "65+"];
pub const GENDERS: [&str; 3] = ["female", "male", "other"];
/// Resident, refugee or under temporary protection, other migrant, or none of these.
pub const STATUSES: [&str; 4] = ["resident", "refugee", "migrant", "other"];
pub const LANGUAGES: [&str; 5] = ["ro", "ru", "uk", "en", "other"];

/// Fewer people than this and a figure is shown as "fewer than 5", never as a number.
pub const SMALLEST_GROUP: i64 = 5;

/// What one participant chose to say; every part optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantAnswers {
    pub age_band: Option<String>,
    pub gender: Option<String>,
    pub status: Option<String>,
    pub language: Option<String>,
    /// 1 (not at all satisfied) to 5 (very satisfied).
    pub satisfaction: Option<i64>,
    /// Whether they trust the process.
    pub trust: Option<bool>,
}

/// The counts an edition's indicators are built from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InclusionCounts {
    /// People with a confirmed ballot (online or on paper), each counted once over the
    /// edition's budgets.
    pub participants: i64,
    /// Participants of the locality's previous edition, if there was one.
    pub previous: Option<PreviousEdition>,
    /// Participants who said their status, and among them refugees and migrants.
    pub status_answers: i64,
    pub refugees_and_migrants: i64,
    /// Proposals sent for review, by a mixed group, with social-cohesion actions.
    pub proposals: i64,
    pub mixed_team: i64,
    pub cohesion_actions: i64,
    /// Satisfaction answers and their sum; trust answers and the yeses.
    pub satisfaction_answers: i64,
    pub satisfaction_sum: i64,
    pub trust_answers: i64,
    pub trust_yes: i64,
    /// Funded projects being implemented, and those done.
    pub funded_projects: i64,
    pub done_projects: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviousEdition {
    pub slug: String,
    pub title: Localized,
    pub participants: i64,
}

/// A measured value as the page shows it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Measured {
    /// Built from fewer than [`SMALLEST_GROUP`] people.
    TooFew,
    /// Nothing to measure yet (no previous edition, no implementation data).
    NotYet,
    /// A share (0–1), a mean, or a relative change.
    Value(f64),
}

/// One indicator of the plan: its measured value and whether the target is met.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub key: IndicatorKey,
    pub measured: Measured,
    pub target: f64,
}

impl Indicator {
    pub fn met(&self) -> Option<bool> {
        match self.measured {
            Measured::Value(v) => Some(v >= self.target),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKey {
    /// Change in participants against the previous edition (target +30 %).
    ParticipantsGrowth,
    /// Share of refugees and migrants among participants who said their status (≥ 10 %).
    RefugeesAndMigrants,
    /// Share of proposals by mixed groups of locals and refugees or migrants (≥ 40 %).
    MixedTeams,
    /// Share of funded projects fully implemented (≥ 90 %).
    Implemented,
    /// Share of proposals with social-cohesion actions (≥ 25 %).
    CohesionActions,
    /// Mean satisfaction, 1–5 (≥ 4).
    Satisfaction,
    /// Share who trust the process (≥ 70 %).
    Trust,
}

fn share(part: i64, whole: i64) -> Measured {
    if whole < SMALLEST_GROUP {
        Measured::TooFew
    } else {
        Measured::Value(part as f64 / whole as f64)
    }
}

impl InclusionCounts {
    /// The plan's indicators, in its order. Implementation reads "not measured yet" until the
    /// edition's funded projects are being implemented (projects, not people: no smallest group).
    pub fn indicators(&self) -> Vec<Indicator> {
        let growth = match &self.previous {
            None => Measured::NotYet,
            Some(p) if p.participants < SMALLEST_GROUP || self.participants < SMALLEST_GROUP => {
                Measured::TooFew
            }
            Some(p) => {
                Measured::Value((self.participants - p.participants) as f64 / p.participants as f64)
            }
        };
        let satisfaction = if self.satisfaction_answers < SMALLEST_GROUP {
            Measured::TooFew
        } else {
            Measured::Value(self.satisfaction_sum as f64 / self.satisfaction_answers as f64)
        };
        vec![
            Indicator { key: IndicatorKey::ParticipantsGrowth, measured: growth, target: 0.30 },
            Indicator {
                key: IndicatorKey::RefugeesAndMigrants,
                measured: share(self.refugees_and_migrants, self.status_answers),
                target: 0.10,
            },
            Indicator {
                key: IndicatorKey::MixedTeams,
                measured: share(self.mixed_team, self.proposals),
                target: 0.40,
            },
            Indicator {
                key: IndicatorKey::Implemented,
                measured: if self.funded_projects == 0 {
                    Measured::NotYet
                } else {
                    Measured::Value(self.done_projects as f64 / self.funded_projects as f64)
                },
                target: 0.90,
            },
            Indicator {
                key: IndicatorKey::CohesionActions,
                measured: share(self.cohesion_actions, self.proposals),
                target: 0.25,
            },
            Indicator { key: IndicatorKey::Satisfaction, measured: satisfaction, target: 4.0 },
            Indicator {
                key: IndicatorKey::Trust,
                measured: share(self.trust_yes, self.trust_answers),
                target: 0.70,
            },
        ]
    }
}

/// A form's answer that is not one of the offered choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotOffered;

/// Reads a form's choice: empty is "not said", a value outside `allowed` is refused.
pub fn choice(value: Option<&str>, allowed: &[&str]) -> Result<Option<String>, NotOffered> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) if allowed.contains(&v) => Ok(Some(v.to_owned())),
        Some(_) => Err(NotOffered),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_groups_are_never_shown_as_numbers() {
        let counts = InclusionCounts {
            participants: 40,
            previous: Some(PreviousEdition {
                slug: "2025".into(),
                title: Localized::default(),
                participants: 25,
            }),
            status_answers: 4,
            refugees_and_migrants: 2,
            proposals: 10,
            mixed_team: 5,
            cohesion_actions: 2,
            satisfaction_answers: 6,
            satisfaction_sum: 27,
            trust_answers: 5,
            trust_yes: 3,
            funded_projects: 0,
            done_projects: 0,
        };
        let by_key = |k: IndicatorKey| {
            counts.indicators().into_iter().find(|i| i.key == k).expect("indicator")
        };
        assert_eq!(by_key(IndicatorKey::ParticipantsGrowth).measured, Measured::Value(0.6));
        assert_eq!(by_key(IndicatorKey::ParticipantsGrowth).met(), Some(true));
        assert_eq!(by_key(IndicatorKey::RefugeesAndMigrants).measured, Measured::TooFew);
        assert_eq!(by_key(IndicatorKey::MixedTeams).measured, Measured::Value(0.5));
        assert_eq!(by_key(IndicatorKey::CohesionActions).met(), Some(false));
        assert_eq!(by_key(IndicatorKey::Satisfaction).measured, Measured::Value(4.5));
        assert_eq!(by_key(IndicatorKey::Trust).met(), Some(false));
        assert_eq!(by_key(IndicatorKey::Implemented).met(), None);
        let implemented = InclusionCounts { funded_projects: 10, done_projects: 9, ..counts };
        let measured =
            implemented.indicators().into_iter().find(|i| i.key == IndicatorKey::Implemented);
        assert_eq!(
            measured.map(|i| (i.measured, i.met())),
            Some((Measured::Value(0.9), Some(true)))
        );
    }

    #[test]
    fn choices_are_empty_allowed_or_refused() {
        assert_eq!(choice(Some(""), &GENDERS), Ok(None));
        assert_eq!(choice(None, &GENDERS), Ok(None));
        assert_eq!(choice(Some("female"), &GENDERS), Ok(Some("female".into())));
        assert_eq!(choice(Some("robot"), &GENDERS), Err(NotOffered));
    }
}
