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

/// A survey in a list: what it is, when, and how many answered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveySummary {
    pub id: i64,
    pub title: Localized,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub published: bool,
    pub results_public: bool,
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

/// Which questions are shown, given the answers so far: a question whose condition's question
/// is hidden, unanswered or answered otherwise is hidden too.
pub fn visible(questions: &[Question], sheet: &Sheet) -> Vec<i64> {
    let mut shown: Vec<i64> = Vec::new();
    for q in questions {
        let ok = match q.show_if {
            None => true,
            Some(c) => {
                shown.contains(&c.question_id)
                    && matches!(sheet.get(&c.question_id), Some(Answer::Choices { options, .. }) if options.contains(&c.option))
            }
        };
        if ok {
            shown.push(q.id);
        }
    }
    shown
}

/// Reads and checks the answers to `questions` from a form. Every problem is reported at
/// once, on the question's field; answers to hidden questions are dropped.
pub fn read_sheet(questions: &[Question], form: &RawForm) -> Result<Sheet, Vec<FieldError>> {
    let mut sheet = Sheet::new();
    let mut problems = Vec::new();
    for q in questions {
        match read_answer(q, form) {
            Ok(Some(answer)) => {
                sheet.insert(q.id, answer);
            }
            Ok(None) => {}
            Err(problem) => problems.push(FieldError::new(&q.field(), problem)),
        }
    }
    // Conditions are judged on the checked answers; what is hidden is neither kept nor required.
    let shown = visible(questions, &sheet);
    sheet.retain(|id, _| shown.contains(id));
    problems.retain(|p| questions.iter().any(|q| p.field == q.field() && shown.contains(&q.id)));
    for q in questions.iter().filter(|q| q.required && shown.contains(&q.id)) {
        if !sheet.contains_key(&q.id) && !problems.iter().any(|p| p.field == q.field()) {
            problems.push(FieldError::new(&q.field(), Problem::Required));
        }
    }
    if problems.is_empty() {
        Ok(sheet)
    } else {
        Err(problems)
    }
}

/// One question's answer; `None` when it was left empty.
fn read_answer(q: &Question, form: &RawForm) -> Result<Option<Answer>, Problem> {
    let values: Vec<&str> = form
        .get(&q.field())
        .map(|v| v.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    let one = || values.first().copied();
    match q.kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            if q.kind == QuestionKind::Single && values.len() > 1 {
                return Err(Problem::TooManyChoices);
            }
            let mut options = Vec::new();
            let mut other = None;
            for v in &values {
                if *v == "other" && q.other {
                    let words = form.get(&q.other_field()).and_then(|w| w.first());
                    let words = super::input::line(
                        &q.other_field(),
                        words.map_or("", |w| w),
                        1,
                        SHORT_TEXT_MAX,
                    )
                    .map_err(|e| e.problem)?;
                    other = Some(words);
                    continue;
                }
                let index: usize = v.parse().map_err(|_| Problem::Invalid)?;
                if index >= q.options.len() {
                    return Err(Problem::Invalid);
                }
                if !options.contains(&index) {
                    options.push(index);
                }
            }
            options.sort_unstable();
            Ok((!options.is_empty() || other.is_some())
                .then_some(Answer::Choices { options, other }))
        }
        QuestionKind::Scale => match one() {
            None => Ok(None),
            Some(v) => match v.parse::<u8>() {
                Ok(n @ 1..=5) => Ok(Some(Answer::Scale(n))),
                _ => Err(Problem::Invalid),
            },
        },
        QuestionKind::ShortText | QuestionKind::LongText => {
            let max =
                if q.kind == QuestionKind::ShortText { SHORT_TEXT_MAX } else { LONG_TEXT_MAX };
            let raw = form.get(&q.field()).and_then(|v| v.first()).map_or("", String::as_str);
            let checked = if q.kind == QuestionKind::ShortText {
                super::input::line(&q.field(), raw, 0, max)
            } else {
                super::input::text(&q.field(), raw, 0, max)
            };
            let text = checked.map_err(|e| e.problem)?;
            Ok((!text.is_empty()).then_some(Answer::Text(text)))
        }
        QuestionKind::Number => match one() {
            None => Ok(None),
            // People write decimals with a comma in all four languages.
            Some(v) => match v.replace(',', ".").parse::<f64>() {
                Ok(n) if n.is_finite() && n.abs() < 1e12 => Ok(Some(Answer::Number(n))),
                _ => Err(Problem::Invalid),
            },
        },
        QuestionKind::Date => match one() {
            None => Ok(None),
            Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map(|d| Some(Answer::Date(d)))
                .map_err(|_| Problem::Invalid),
        },
    }
}

/// A count as it may be shown: `None` when it is built from fewer than five people (but not
/// none at all).
pub fn shown(count: i64) -> Option<i64> {
    (count == 0 || count >= SMALLEST_SHOWN).then_some(count)
}

/// What the answers to one question add up to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionResult {
    pub question_id: i64,
    /// People who answered it.
    pub answered: i64,
    /// Choice questions: people per option, then "other" (last) when the question has it;
    /// scales: people per point, 1 to 5.
    pub counts: Vec<i64>,
    /// Numbers: the mean and the median.
    pub mean: Option<f64>,
    pub median: Option<f64>,
    /// Texts, "other" words and dates, as written (for staff; never public).
    pub texts: Vec<String>,
}

/// Counts `sheets` for each question.
pub fn tally(questions: &[Question], sheets: &[Sheet]) -> Vec<QuestionResult> {
    questions
        .iter()
        .map(|q| {
            let answers: Vec<&Answer> = sheets.iter().filter_map(|s| s.get(&q.id)).collect();
            let mut counts = match q.kind {
                QuestionKind::Single | QuestionKind::Multiple => {
                    vec![0; q.options.len() + usize::from(q.other)]
                }
                QuestionKind::Scale => vec![0; 5],
                _ => Vec::new(),
            };
            let mut numbers = Vec::new();
            let mut texts = Vec::new();
            for a in &answers {
                match a {
                    Answer::Choices { options, other } => {
                        for &o in options {
                            if let Some(c) = counts.get_mut(o) {
                                *c += 1;
                            }
                        }
                        if let Some(words) = other {
                            if let Some(c) = counts.get_mut(q.options.len()) {
                                *c += 1;
                            }
                            texts.push(words.clone());
                        }
                    }
                    Answer::Scale(n) => {
                        if let Some(c) = counts.get_mut(usize::from(*n) - 1) {
                            *c += 1;
                        }
                    }
                    Answer::Text(t) => texts.push(t.clone()),
                    Answer::Number(n) => numbers.push(*n),
                    Answer::Date(d) => texts.push(d.to_string()),
                }
            }
            numbers.sort_by(f64::total_cmp);
            let mean =
                (!numbers.is_empty()).then(|| numbers.iter().sum::<f64>() / numbers.len() as f64);
            let median = (!numbers.is_empty()).then(|| {
                let mid = numbers.len() / 2;
                if numbers.len() % 2 == 0 {
                    (numbers[mid - 1] + numbers[mid]) / 2.0
                } else {
                    numbers[mid]
                }
            });
            QuestionResult {
                question_id: q.id,
                answered: answers.len() as i64,
                counts,
                mean,
                median,
                texts,
            }
        })
        .collect()
}

/// The sheets whose answer to `question` includes `option` (results filtered by another
/// answer, e.g. by language or status).
pub fn filter_by(sheets: &[Sheet], question: i64, option: usize) -> Vec<Sheet> {
    sheets
        .iter()
        .filter(|s| matches!(s.get(&question), Some(Answer::Choices { options, .. }) if options.contains(&option)))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(ro: &str) -> Localized {
        Localized { ro: ro.into(), ..Localized::default() }
    }

    fn question(id: i64, kind: QuestionKind, options: usize) -> Question {
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

    fn form(pairs: &[(&str, &str)]) -> RawForm {
        let mut f = RawForm::new();
        for (k, v) in pairs {
            f.entry((*k).to_owned()).or_default().push((*v).to_owned());
        }
        f
    }

    fn problem(result: Result<Sheet, Vec<FieldError>>, field: &str) -> Problem {
        result.expect_err("refused").into_iter().find(|e| e.field == field).expect(field).problem
    }

    #[test]
    fn every_kind_of_answer_is_read_and_checked() {
        let mut multiple = question(2, QuestionKind::Multiple, 3);
        multiple.other = true;
        let qs = vec![
            question(1, QuestionKind::Single, 3),
            multiple,
            question(3, QuestionKind::Scale, 0),
            question(4, QuestionKind::ShortText, 0),
            question(5, QuestionKind::LongText, 0),
            question(6, QuestionKind::Number, 0),
            question(7, QuestionKind::Date, 0),
        ];
        let sheet = read_sheet(
            &qs,
            &form(&[
                ("q1", "2"),
                ("q2", "0"),
                ("q2", "other"),
                ("q2", "0"),
                ("q2_other", " cursuri de limbă "),
                ("q3", "4"),
                ("q4", "Bălți"),
                ("q5", "Rândul unu\r\nRândul doi"),
                ("q6", "2,5"),
                ("q7", "2026-03-08"),
            ]),
        )
        .expect("a valid sheet");
        assert_eq!(sheet[&1], Answer::Choices { options: vec![2], other: None });
        assert_eq!(
            sheet[&2],
            Answer::Choices { options: vec![0], other: Some("cursuri de limbă".into()) }
        );
        assert_eq!(sheet[&3], Answer::Scale(4));
        assert_eq!(sheet[&5], Answer::Text("Rândul unu\nRândul doi".into()));
        assert_eq!(sheet[&6], Answer::Number(2.5));
        assert_eq!(sheet[&7], Answer::Date(NaiveDate::from_ymd_opt(2026, 3, 8).expect("date")));

        for (field, value, expected) in [
            ("q1", "3", Problem::Invalid),
            ("q3", "6", Problem::Invalid),
            ("q3", "0", Problem::Invalid),
            ("q6", "doi", Problem::Invalid),
            ("q7", "08.03.2026", Problem::Invalid),
            ("q4", "un\nrând", Problem::Invalid),
        ] {
            assert_eq!(
                problem(read_sheet(&qs, &form(&[(field, value)])), field),
                expected,
                "{field}={value}"
            );
        }
        assert_eq!(
            problem(read_sheet(&qs, &form(&[("q1", "0"), ("q1", "1")])), "q1"),
            Problem::TooManyChoices
        );
        // "Other" without its words, or on a question without "other", is refused.
        assert_eq!(problem(read_sheet(&qs, &form(&[("q2", "other")])), "q2"), Problem::Required);
        assert_eq!(problem(read_sheet(&qs, &form(&[("q1", "other")])), "q1"), Problem::Invalid);
        let long = "a".repeat(SHORT_TEXT_MAX + 1);
        assert_eq!(problem(read_sheet(&qs, &form(&[("q4", &long)])), "q4"), Problem::TooLong);
    }

    #[test]
    fn required_questions_and_conditions() {
        let mut status = question(1, QuestionKind::Single, 2);
        status.required = true;
        // Shown only to those who chose option 1 ("refugee").
        let mut since = question(2, QuestionKind::Date, 0);
        since.required = true;
        since.show_if = Some(Condition { question_id: 1, option: 1 });
        // Follows the hidden question: hidden as well.
        let mut follow = question(3, QuestionKind::Single, 2);
        follow.show_if = Some(Condition { question_id: 2, option: 0 });
        let qs = vec![status, since, follow];

        assert_eq!(problem(read_sheet(&qs, &form(&[])), "q1"), Problem::Required);
        // Option 0: the date is neither asked nor kept, even when sent.
        let sheet = read_sheet(&qs, &form(&[("q1", "0"), ("q2", "2022-03-01")])).expect("valid");
        assert_eq!(sheet.keys().copied().collect::<Vec<_>>(), vec![1]);
        // Nor is a bad value in a hidden question a problem.
        assert!(read_sheet(&qs, &form(&[("q1", "0"), ("q2", "nonsense")])).is_ok());
        // Option 1: the date is required.
        assert_eq!(problem(read_sheet(&qs, &form(&[("q1", "1")])), "q2"), Problem::Required);
        let sheet = read_sheet(&qs, &form(&[("q1", "1"), ("q2", "2022-03-01")])).expect("valid");
        assert_eq!(sheet.len(), 2);
        assert_eq!(visible(&qs, &sheet), vec![1, 2]);
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

    #[test]
    fn results_count_each_kind_and_hide_small_figures() {
        let mut choice = question(1, QuestionKind::Multiple, 2);
        choice.other = true;
        let qs =
            vec![choice, question(2, QuestionKind::Scale, 0), question(3, QuestionKind::Number, 0)];
        let sheet = |options: Vec<usize>, other: Option<&str>, scale: u8, n: f64| {
            Sheet::from([
                (1, Answer::Choices { options, other: other.map(str::to_owned) }),
                (2, Answer::Scale(scale)),
                (3, Answer::Number(n)),
            ])
        };
        let sheets = vec![
            sheet(vec![0], None, 5, 1.0),
            sheet(vec![0, 1], None, 4, 2.0),
            sheet(vec![1], Some("altceva"), 4, 3.0),
            sheet(vec![0], None, 1, 10.0),
        ];
        let results = tally(&qs, &sheets);
        assert_eq!(results[0].counts, vec![3, 2, 1]);
        assert_eq!(results[0].texts, vec!["altceva".to_owned()]);
        assert_eq!(results[1].counts, vec![1, 0, 0, 2, 1]);
        assert_eq!(results[2].mean, Some(4.0));
        assert_eq!(results[2].median, Some(2.5));
        assert_eq!(results[0].answered, 4);
        assert_eq!(filter_by(&sheets, 1, 1).len(), 2);

        assert_eq!(shown(0), Some(0));
        assert_eq!(shown(4), None);
        assert_eq!(shown(5), Some(5));
    }
}
