//! Reading a filled-in survey from its form: each answer checked for its kind, conditions
//! judged on the checked answers, and what is hidden neither kept nor required.

use super::{Answer, Question, QuestionKind, RawForm, Sheet, LONG_TEXT_MAX, SHORT_TEXT_MAX};
use crate::error::{FieldError, Problem};
use crate::model::input;
use chrono::NaiveDate;

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
    let (sheet, problems) = read_all(questions, form);
    if problems.is_empty() {
        Ok(sheet)
    } else {
        Err(problems)
    }
}

/// The valid answers given so far, of the questions they show (a survey answered section by
/// section: what the next sections depend on).
pub fn answers_so_far(questions: &[Question], form: &RawForm) -> Sheet {
    read_all(questions, form).0
}

/// The answers that read, and the problems of the rest (hidden questions have neither).
fn read_all(questions: &[Question], form: &RawForm) -> (Sheet, Vec<FieldError>) {
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
    (sheet, problems)
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
                    let words =
                        input::line(&q.other_field(), words.map_or("", |w| w), 1, SHORT_TEXT_MAX)
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
                input::line(&q.field(), raw, 0, max)
            } else {
                input::text(&q.field(), raw, 0, max)
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

#[cfg(test)]
mod tests {
    use super::super::tests::question;
    use super::super::Condition;
    use super::*;

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
}
