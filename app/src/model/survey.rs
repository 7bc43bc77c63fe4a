//! Surveys with several questions (the inclusion plan's questionnaires: refugees' needs,
//! participants' satisfaction and trust). What a survey asks, how an answer sheet is read and
//! checked, and how answers are counted without showing a figure built from fewer than five
//! people.

use super::Localized;
use crate::error::{FieldError, Problem};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Figures built from fewer people than this are shown as "fewer than 5".
pub const SMALLEST_SHOWN: i64 = 5;
/// The most questions a survey has, and options a question has.
pub const MAX_QUESTIONS: usize = 60;
pub const MAX_OPTIONS: usize = 20;
/// The longest answers, in characters.
pub const SHORT_TEXT_MAX: usize = 200;
pub const LONG_TEXT_MAX: usize = 4000;

/// The kinds of question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// One of the options (radio buttons).
    Single,
    /// Any of the options (check boxes).
    Multiple,
    /// 1 (lowest) to 5 (highest).
    Scale,
    /// One line of text.
    ShortText,
    /// Paragraphs of text.
    LongText,
    Number,
    Date,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 7] = [
        QuestionKind::Single,
        QuestionKind::Multiple,
        QuestionKind::Scale,
        QuestionKind::ShortText,
        QuestionKind::LongText,
        QuestionKind::Number,
        QuestionKind::Date,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::Scale => "scale",
            QuestionKind::ShortText => "short_text",
            QuestionKind::LongText => "long_text",
            QuestionKind::Number => "number",
            QuestionKind::Date => "date",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether answers pick from the question's options.
    pub fn has_options(self) -> bool {
        matches!(self, QuestionKind::Single | QuestionKind::Multiple)
    }
}

/// Who may answer a survey.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Respondents {
    /// Anyone, as often as they like (a paper questionnaire typed in, a kiosk).
    Anyone,
    /// People signed in, as often as they like.
    SignedIn,
    /// People signed in, once each.
    OncePerPerson,
}

impl Respondents {
    pub const ALL: [Respondents; 3] =
        [Respondents::Anyone, Respondents::SignedIn, Respondents::OncePerPerson];

    pub fn as_str(self) -> &'static str {
        match self {
            Respondents::Anyone => "anyone",
            Respondents::SignedIn => "signed_in",
            Respondents::OncePerPerson => "once_per_person",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn needs_account(self) -> bool {
        self != Respondents::Anyone
    }
}

/// Show a question only when an earlier choice question's answer includes `option`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    pub question_id: i64,
    /// The option's index in that question.
    pub option: usize,
}

/// One question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub id: i64,
    /// A new section starts at this question when its title is set.
    pub section: Localized,
    pub prompt: Localized,
    /// A line under the prompt ("tick all that apply").
    pub help: Localized,
    pub kind: QuestionKind,
    pub options: Vec<Localized>,
    /// Choice questions: an "other, please say" option after the listed ones.
    pub other: bool,
    pub required: bool,
    pub show_if: Option<Condition>,
}

impl Question {
    /// The name of the question's field in the answer form.
    pub fn field(&self) -> String {
        format!("q{}", self.id)
    }

    /// The name of the "other, please say" text field.
    pub fn other_field(&self) -> String {
        format!("q{}_other", self.id)
    }
}

/// A survey and its questions, in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Survey {
    pub id: i64,
    pub locality_id: i64,
    pub title: Localized,
    pub intro: Localized,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub respondents: Respondents,
    /// No answer can be tied to a person: responses keep no account, and who answered a
    /// once-per-person survey is kept apart from what they answered.
    pub anonymous: bool,
    /// Staff chose to show the results to everyone.
    pub results_public: bool,
    /// Drafts are seen only by staff; a published survey takes answers between its dates.
    pub published: bool,
    /// The NGO network's organisation that wrote it, whose members run it (none: the city
    /// hall's).
    pub organisation_id: Option<i64>,
    pub questions: Vec<Question>,
    pub responses: i64,
    pub created_at: DateTime<Utc>,
}

impl Survey {
    /// Whether answers are taken at `at`.
    pub fn open_at(&self, at: DateTime<Utc>) -> bool {
        self.published && self.opens_at <= at && at < self.closes_at
    }
}

/// The survey's sections, as ranges of its questions: a new one starts at each question with a
/// section title (and the first at the first question).
pub fn sections(questions: &[Question]) -> Vec<std::ops::Range<usize>> {
    let mut starts: Vec<usize> = questions
        .iter()
        .enumerate()
        .filter(|(i, q)| *i == 0 || !q.section.ro.trim().is_empty())
        .map(|(i, _)| i)
        .collect();
    starts.push(questions.len());
    starts.windows(2).map(|w| w[0]..w[1]).collect()
}

/// Who may write and run surveys in a locality: its staff (every survey), and, where the
/// locality allows it, the members of its NGO network's organisations (their own surveys).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SurveyWriter {
    pub staff: bool,
    /// The organisations the viewer writes surveys for.
    pub organisations: Vec<crate::model::network::Organisation>,
}

impl SurveyWriter {
    pub fn may_write(&self) -> bool {
        self.staff || !self.organisations.is_empty()
    }

    /// Whether the viewer runs a survey of `organisation_id` (none: the city hall's): edits it,
    /// publishes it, reads every answer.
    pub fn runs(&self, organisation_id: Option<i64>) -> bool {
        self.staff || organisation_id.is_some_and(|o| self.organisations.iter().any(|x| x.id == o))
    }
}

/// Whether the results are there for someone who runs the survey (`runs`) or not.
pub fn results_visible(survey: &Survey, runs: bool) -> bool {
    runs || (survey.published && survey.results_public)
}

/// A survey in a list: what it is, when, and how many answered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveySummary {
    pub id: i64,
    pub title: Localized,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub published: bool,
    pub results_public: bool,
    pub organisation_id: Option<i64>,
    pub questions: i64,
    pub responses: i64,
}

/// A question as staff write it: a condition names an earlier question by its place in the
/// survey (0 first), as the question has no id before it is stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionDraft {
    pub section: Localized,
    pub prompt: Localized,
    pub help: Localized,
    pub kind: QuestionKind,
    pub options: Vec<Localized>,
    pub other: bool,
    pub required: bool,
    /// (the earlier question's place, the option's index)
    pub show_if: Option<(usize, usize)>,
}

/// A survey as staff write it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveyDraft {
    pub locality_id: i64,
    pub title: Localized,
    pub intro: Localized,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub respondents: Respondents,
    pub anonymous: bool,
    /// The organisation writing it (kept from its creation).
    pub organisation_id: Option<i64>,
    pub questions: Vec<QuestionDraft>,
}

impl SurveyDraft {
    /// What the texts were not checked for already: the dates, the number of questions, each
    /// choice question's options, and conditions that point at an earlier choice question.
    /// Problems are reported on `closes`, `questions` and `q{n}` (n from 0).
    pub fn check(&self) -> Vec<FieldError> {
        let mut problems = Vec::new();
        if self.closes_at <= self.opens_at {
            problems.push(FieldError::new("closes", Problem::Invalid));
        }
        if self.questions.is_empty() {
            problems.push(FieldError::new("questions", Problem::Required));
        } else if self.questions.len() > MAX_QUESTIONS {
            problems.push(FieldError::new("questions", Problem::TooLong));
        }
        for (n, q) in self.questions.iter().enumerate() {
            let field = format!("q{n}");
            let options_ok = if q.kind.has_options() {
                (2..=MAX_OPTIONS).contains(&q.options.len())
                    && q.options.iter().all(|o| !o.ro.trim().is_empty())
            } else {
                q.options.is_empty() && !q.other
            };
            if !options_ok {
                problems.push(FieldError::new(&format!("{field}_options"), Problem::Invalid));
            }
            if let Some((earlier, option)) = q.show_if {
                let valid = earlier < n
                    && self.questions[earlier].kind.has_options()
                    && option < self.questions[earlier].options.len();
                if !valid {
                    problems.push(FieldError::new(&format!("{field}_show_if"), Problem::Invalid));
                }
            }
        }
        problems
    }
}

/// One answer, as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    /// Indices of the options chosen, and the words of "other" when it was chosen.
    Choices {
        options: Vec<usize>,
        other: Option<String>,
    },
    Scale(u8),
    Text(String),
    Number(f64),
    Date(NaiveDate),
}

/// A filled-in sheet: question id → answer (questions skipped or hidden have none).
pub type Sheet = BTreeMap<i64, Answer>;

/// The raw form: field name → the values sent (several for check boxes).
pub type RawForm = HashMap<String, Vec<String>>;

mod results;
mod sheet;
pub use results::{filter_by, for_showing, shown, tally, QuestionResult, ShownResult};
pub use sheet::{answers_so_far, read_sheet, visible};

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn words(ro: &str) -> Localized {
        Localized { ro: ro.into(), ..Localized::default() }
    }

    pub(super) fn question(id: i64, kind: QuestionKind, options: usize) -> Question {
        Question {
            id,
            section: Localized::default(),
            prompt: words(&format!("Întrebarea {id}")),
            help: Localized::default(),
            kind,
            options: (0..options).map(|i| words(&format!("opțiunea {i}"))).collect(),
            other: false,
            required: false,
            show_if: None,
        }
    }

    #[test]
    fn a_draft_is_checked_for_options_conditions_and_dates() {
        let at = |h: u32| {
            chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 12, 1, h, 0, 0).single().expect("a time")
        };
        let choice = QuestionDraft {
            section: Localized::default(),
            prompt: words("Statutul"),
            help: Localized::default(),
            kind: QuestionKind::Single,
            options: vec![words("rezident"), words("refugiat")],
            other: false,
            required: true,
            show_if: None,
        };
        let date = QuestionDraft {
            kind: QuestionKind::Date,
            options: Vec::new(),
            show_if: Some((0, 1)),
            ..choice.clone()
        };
        let mut draft = SurveyDraft {
            locality_id: 1,
            title: words("Nevoile refugiaților"),
            intro: Localized::default(),
            opens_at: at(8),
            closes_at: at(9),
            respondents: Respondents::OncePerPerson,
            anonymous: true,
            organisation_id: None,
            questions: vec![choice.clone(), date.clone()],
        };
        assert!(draft.check().is_empty());
        let fields = |d: &SurveyDraft| d.check().into_iter().map(|e| e.field).collect::<Vec<_>>();

        draft.questions[1].show_if = Some((1, 0));
        draft.questions[0].options.truncate(1);
        draft.closes_at = at(7);
        assert_eq!(fields(&draft), vec!["closes", "q0_options", "q1_show_if"]);
        draft.questions = vec![date.clone()];
        assert_eq!(fields(&draft), vec!["closes", "q0_show_if"]);
        draft.questions = Vec::new();
        assert_eq!(fields(&draft), vec!["closes", "questions"]);
    }
}
