//! The rows of the survey tables and how answers are laid out in them.

use app::model::survey::{
    Answer, Condition, Question, QuestionDraft, QuestionKind, Respondents, Survey,
};
use app::model::Localized;
use chrono::{DateTime, NaiveDate, Utc};

pub(super) const SURVEY_COLUMNS: &str = "id, locality_id, title_ro, title_ru, title_uk, title_en, \
     intro_ro, intro_ru, intro_uk, intro_en, opens_at, closes_at, respondents, anonymous, \
     results_public, published_at IS NOT NULL AS published, organisation_id, created_at, \
     (SELECT COUNT(*) FROM survey_responses r WHERE r.survey_id = surveys.id) AS responses";

pub(super) const QUESTION_COLUMNS: &str =
    "id, section_ro, section_ru, section_uk, section_en, prompt_ro, \
     prompt_ru, prompt_uk, prompt_en, help_ro, help_ru, help_uk, help_en, kind, options, other, \
     required, show_if_question, show_if_option";

#[derive(sqlx::FromRow)]
pub(super) struct SurveyRow {
    id: i64,
    locality_id: i64,
    title_ro: String,
    title_ru: String,
    title_uk: String,
    title_en: String,
    intro_ro: String,
    intro_ru: String,
    intro_uk: String,
    intro_en: String,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    respondents: String,
    anonymous: bool,
    results_public: bool,
    published: bool,
    organisation_id: Option<i64>,
    created_at: DateTime<Utc>,
    responses: i64,
}

#[derive(sqlx::FromRow)]
pub(super) struct QuestionRow {
    id: i64,
    section_ro: String,
    section_ru: String,
    section_uk: String,
    section_en: String,
    prompt_ro: String,
    prompt_ru: String,
    prompt_uk: String,
    prompt_en: String,
    help_ro: String,
    help_ru: String,
    help_uk: String,
    help_en: String,
    kind: String,
    options: String,
    other: bool,
    required: bool,
    show_if_question: Option<i64>,
    show_if_option: Option<i64>,
}

impl QuestionRow {
    /// `None` for a row the CHECK constraints would not let in.
    pub(super) fn into_question(self) -> Option<Question> {
        let show_if = match (self.show_if_question, self.show_if_option) {
            (Some(question_id), Some(option)) => {
                Some(Condition { question_id, option: usize::try_from(option).ok()? })
            }
            _ => None,
        };
        Some(Question {
            id: self.id,
            section: Localized {
                ro: self.section_ro,
                ru: self.section_ru,
                uk: self.section_uk,
                en: self.section_en,
            },
            prompt: Localized {
                ro: self.prompt_ro,
                ru: self.prompt_ru,
                uk: self.prompt_uk,
                en: self.prompt_en,
            },
            help: Localized {
                ro: self.help_ro,
                ru: self.help_ru,
                uk: self.help_uk,
                en: self.help_en,
            },
            kind: QuestionKind::parse(&self.kind)?,
            options: serde_json::from_str(&self.options).ok()?,
            other: self.other,
            required: self.required,
            show_if,
        })
    }
}

impl SurveyRow {
    pub(super) fn into_survey(self, questions: Vec<Question>) -> Option<Survey> {
        Some(Survey {
            id: self.id,
            locality_id: self.locality_id,
            title: Localized {
                ro: self.title_ro,
                ru: self.title_ru,
                uk: self.title_uk,
                en: self.title_en,
            },
            intro: Localized {
                ro: self.intro_ro,
                ru: self.intro_ru,
                uk: self.intro_uk,
                en: self.intro_en,
            },
            opens_at: self.opens_at,
            closes_at: self.closes_at,
            respondents: Respondents::parse(&self.respondents)?,
            anonymous: self.anonymous,
            results_public: self.results_public,
            published: self.published,
            organisation_id: self.organisation_id,
            questions,
            responses: self.responses,
            created_at: self.created_at,
        })
    }
}

/// The stored questions as staff wrote them (conditions by place), to tell a real change of
/// questions from a save of the same ones.
pub(super) fn as_drafts(questions: &[Question]) -> Vec<QuestionDraft> {
    questions
        .iter()
        .map(|q| QuestionDraft {
            section: q.section.clone(),
            prompt: q.prompt.clone(),
            help: q.help.clone(),
            kind: q.kind,
            options: q.options.clone(),
            other: q.other,
            required: q.required,
            show_if: q.show_if.and_then(|c| {
                questions.iter().position(|e| e.id == c.question_id).map(|p| (p, c.option))
            }),
        })
        .collect()
}

/// The rows of one answer: `(choice, value)`.
pub(super) fn answer_rows(answer: &Answer) -> Vec<(Option<i64>, Option<String>)> {
    match answer {
        Answer::Choices { options, other } => options
            .iter()
            .map(|&o| (i64::try_from(o).ok(), None))
            .chain(other.iter().map(|words| (Some(-1), Some(words.clone()))))
            .collect(),
        Answer::Scale(n) => vec![(Some(i64::from(*n)), None)],
        Answer::Text(t) => vec![(None, Some(t.clone()))],
        Answer::Number(n) => vec![(None, Some(n.to_string()))],
        Answer::Date(d) => vec![(None, Some(d.to_string()))],
    }
}

/// Adds one stored row to the answer being read back.
pub(super) fn read_row(
    kind: QuestionKind,
    answer: Option<Answer>,
    choice: Option<i64>,
    value: Option<String>,
) -> Option<Answer> {
    match kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            let (mut options, mut other) = match answer {
                Some(Answer::Choices { options, other }) => (options, other),
                _ => (Vec::new(), None),
            };
            match choice {
                Some(-1) => other = value,
                Some(c) => options.push(usize::try_from(c).ok()?),
                None => return None,
            }
            options.sort_unstable();
            Some(Answer::Choices { options, other })
        }
        QuestionKind::Scale => u8::try_from(choice?).ok().map(Answer::Scale),
        QuestionKind::ShortText | QuestionKind::LongText => value.map(Answer::Text),
        QuestionKind::Number => value?.parse().ok().map(Answer::Number),
        QuestionKind::Date => NaiveDate::parse_from_str(&value?, "%Y-%m-%d").ok().map(Answer::Date),
    }
}
