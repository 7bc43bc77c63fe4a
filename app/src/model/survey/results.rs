//! Counting sheets: per question, with figures built from fewer than five people hidden
//! where they are shown.

use super::{Answer, Question, QuestionKind, Sheet, SMALLEST_SHOWN};
use serde::{Deserialize, Serialize};

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

/// A question's result as it may be shown: every figure built from fewer than five people is
/// `None` ("fewer than 5").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShownResult {
    pub question_id: i64,
    pub answered: Option<i64>,
    pub counts: Vec<Option<i64>>,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    /// The words written, for staff (never for the public).
    pub texts: Vec<String>,
}

/// `result` with its small figures hidden, and its words kept only `with_texts`.
pub fn for_showing(result: QuestionResult, with_texts: bool) -> ShownResult {
    let enough = result.answered >= SMALLEST_SHOWN;
    ShownResult {
        question_id: result.question_id,
        answered: shown(result.answered),
        counts: result.counts.into_iter().map(shown).collect(),
        mean: result.mean.filter(|_| enough),
        median: result.median.filter(|_| enough),
        texts: if with_texts { result.texts } else { Vec::new() },
    }
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
    use super::super::tests::question;
    use super::*;

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
