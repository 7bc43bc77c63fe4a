//! Surveys in the data layer, on both backends: every kind of question stored and read back,
//! conditions, once per person, the anonymous mode, and counting with small figures hidden.

use crate::helpers::{spawn_app, TestApp};
use app::model::survey::{
    read_sheet, shown, tally, Answer, QuestionDraft, QuestionKind, RawForm, Respondents,
    SurveyDraft,
};
use app::model::{Localized, Viewer};
use app::store::{StoreError, SurveyStore};
use chrono::{Duration, Utc};

fn words(ro: &str, uk: &str) -> Localized {
    Localized { ro: ro.into(), uk: uk.into(), ..Localized::default() }
}

fn question(kind: QuestionKind, prompt: &str) -> QuestionDraft {
    QuestionDraft {
        section: Localized::default(),
        prompt: words(prompt, ""),
        help: Localized::default(),
        kind,
        options: Vec::new(),
        other: false,
        required: false,
        show_if: None,
    }
}

/// A survey of every kind of question; the date is asked only of refugees (option 1 of the
/// first question).
fn draft(respondents: Respondents, anonymous: bool) -> SurveyDraft {
    let status = QuestionDraft {
        section: words("Despre dumneavoastră", "Про вас"),
        options: vec![words("rezident", "мешканець"), words("refugiat", "біженець")],
        required: true,
        ..question(QuestionKind::Single, "Statutul")
    };
    let since = QuestionDraft {
        required: true,
        show_if: Some((0, 1)),
        ..question(QuestionKind::Date, "Din ce dată sunteți în Bălți?")
    };
    let needs = QuestionDraft {
        options: vec![words("locuință", "житло"), words("lucru", "робота"), words("limbă", "мова")],
        other: true,
        ..question(QuestionKind::Multiple, "De ce aveți nevoie?")
    };
    SurveyDraft {
        locality_id: 1,
        title: words("Nevoile refugiaților", "Потреби біженців"),
        intro: words("Durează cinci minute.", "Триває п'ять хвилин."),
        opens_at: Utc::now() - Duration::hours(1),
        closes_at: Utc::now() + Duration::days(30),
        respondents,
        anonymous,
        organisation_id: None,
        questions: vec![
            status,
            since,
            needs,
            question(QuestionKind::Scale, "Cât de mulțumit sunteți?"),
            question(QuestionKind::ShortText, "Orașul"),
            question(QuestionKind::LongText, "Altceva?"),
            question(QuestionKind::Number, "Câți copii aveți?"),
        ],
    }
}

fn form(pairs: &[(String, &str)]) -> RawForm {
    let mut f = RawForm::new();
    for (k, v) in pairs {
        f.entry(k.clone()).or_default().push((*v).to_owned());
    }
    f
}

async fn published(
    app: &TestApp,
    respondents: Respondents,
    anonymous: bool,
) -> app::model::survey::Survey {
    let staff = Viewer::default();
    let id = app.db.save_survey(&staff, None, &draft(respondents, anonymous)).await.expect("saved");
    app.db.publish_survey(&staff, id).await.expect("published");
    app.db.survey(id).await.expect("read back")
}

#[tokio::test]
async fn every_kind_of_question_is_stored_and_read_back() {
    let app = spawn_app().await;
    let survey = published(&app, Respondents::Anyone, false).await;
    assert_eq!(survey.questions.len(), 7);
    assert_eq!(survey.title.uk, "Потреби біженців");
    assert_eq!(survey.questions[0].options[1].uk, "біженець");
    assert_eq!(survey.questions[0].section.ro, "Despre dumneavoastră");
    let condition = survey.questions[1].show_if.expect("a condition");
    assert_eq!((condition.question_id, condition.option), (survey.questions[0].id, 1));
    assert!(survey.questions[2].other && survey.open_at(Utc::now()));

    let q = |n: usize| survey.questions[n].field();
    let sheet = read_sheet(
        &survey.questions,
        &form(&[
            (q(0), "1"),
            (q(1), "2022-03-05"),
            (q(2), "0"),
            (q(2), "2"),
            (q(2), "other"),
            (survey.questions[2].other_field(), "grădiniță"),
            (q(3), "4"),
            (q(4), "Bălți"),
            (q(5), "Mulțumesc.\nAtât."),
            (q(6), "2"),
        ]),
    )
    .expect("a valid sheet");
    app.db.submit_sheet(&survey, None, "uk", &sheet, None).await.expect("stored");
    let sheets = app.db.sheets(survey.id).await.expect("sheets");
    assert_eq!(sheets, vec![("uk".to_owned(), sheet.clone())]);
    assert_eq!(
        sheets[0].1[&survey.questions[2].id],
        Answer::Choices { options: vec![0, 2], other: Some("grădiniță".into()) }
    );
    assert_eq!(app.db.surveys(1, false).await.expect("list")[0].responses, 1);

    // Answered: the questions stay as they are, the title may still be mended.
    let staff = Viewer::default();
    let mut changed = draft(Respondents::Anyone, false);
    changed.questions.pop();
    assert!(matches!(
        app.db.save_survey(&staff, Some(survey.id), &changed).await,
        Err(StoreError::Conflict("answered"))
    ));
    let mut mended = draft(Respondents::Anyone, false);
    mended.title.ro = "Nevoile refugiaților (2026)".into();
    app.db.save_survey(&staff, Some(survey.id), &mended).await.expect("title mended");
    let again = app.db.survey(survey.id).await.expect("survey");
    assert_eq!(again.title.ro, "Nevoile refugiaților (2026)");
    assert_eq!(
        again.questions.iter().map(|q| q.id).collect::<Vec<_>>(),
        survey.questions.iter().map(|q| q.id).collect::<Vec<_>>()
    );
    // Another locality's survey is not reachable through this one's.
    let mut elsewhere = mended.clone();
    elsewhere.locality_id = 2;
    assert!(matches!(
        app.db.save_survey(&staff, Some(survey.id), &elsewhere).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn once_per_person_and_the_anonymous_mode_keep_no_link_to_the_person() {
    let app = spawn_app().await;
    let survey = published(&app, Respondents::OncePerPerson, true).await;
    let user = app.scalar("SELECT id FROM users WHERE email = 'cetatean@balti.demo'").await;
    let field = survey.questions[0].field();
    let sheet = read_sheet(&survey.questions, &form(&[(field, "0")])).expect("valid");

    assert!(matches!(
        app.db.submit_sheet(&survey, None, "ro", &sheet, None).await,
        Err(StoreError::Unauthorized)
    ));
    assert!(!app.db.has_answered(survey.id, user).await.expect("asked"));
    let response =
        app.db.submit_sheet(&survey, Some(user), "ro", &sheet, None).await.expect("stored");
    assert!(app.db.has_answered(survey.id, user).await.expect("asked"));
    // A second sheet of the same person is refused and stores nothing.
    assert!(matches!(
        app.db.submit_sheet(&survey, Some(user), "ro", &sheet, None).await,
        Err(StoreError::Conflict("answered"))
    ));
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM survey_responses WHERE survey_id = {}",
            survey.id
        ))
        .await,
        1
    );

    // Nothing in the database ties the sheet to the person: no account on it, no time of day;
    // who took part is kept apart (the table has no sheet and no time).
    let row = format!("SELECT COUNT(*) FROM survey_responses WHERE id = {response}");
    assert_eq!(app.scalar(&format!("{row} AND user_id IS NULL")).await, 1);
    let stamp = app
        .text(&format!(
            "SELECT CAST(submitted_at AS TEXT) FROM survey_responses WHERE id = {response}"
        ))
        .await
        .expect("time");
    assert!(stamp.contains("00:00:00"), "{stamp}");
    let participants =
        format!("SELECT COUNT(*) FROM survey_participants WHERE survey_id = {}", survey.id);
    assert_eq!(app.scalar(&participants).await, 1);
}

#[tokio::test]
async fn a_closed_or_draft_survey_takes_no_sheet_and_small_figures_are_hidden() {
    let app = spawn_app().await;
    let staff = Viewer::default();
    let id =
        app.db.save_survey(&staff, None, &draft(Respondents::Anyone, false)).await.expect("saved");
    let survey = app.db.survey(id).await.expect("draft");
    assert!(!survey.published);
    let sheet =
        read_sheet(&survey.questions, &form(&[(survey.questions[0].field(), "0")])).expect("valid");
    assert!(matches!(
        app.db.submit_sheet(&survey, None, "ro", &sheet, None).await,
        Err(StoreError::Conflict("closed"))
    ));
    let public = app.db.surveys(1, false).await.expect("list");
    assert!(!public.iter().any(|s| s.id == id), "a draft is not listed for the public");
    let staff_list = app.db.surveys(1, true).await.expect("list");
    assert!(staff_list.iter().any(|s| s.id == id), "but is for staff");

    app.db.publish_survey(&staff, id).await.expect("published");
    let survey = app.db.survey(id).await.expect("published");
    for choice in ["0", "0", "0", "0", "0", "1", "1"] {
        let sheet = read_sheet(
            &survey.questions,
            &form(&[
                (survey.questions[0].field(), choice),
                (survey.questions[1].field(), "2024-01-01"),
            ]),
        )
        .expect("valid");
        app.db.submit_sheet(&survey, None, "ro", &sheet, None).await.expect("stored");
    }
    let sheets: Vec<_> =
        app.db.sheets(id).await.expect("sheets").into_iter().map(|(_, s)| s).collect();
    let results = tally(&survey.questions, &sheets);
    assert_eq!(results[0].counts, vec![5, 2]);
    assert_eq!(
        results[0].counts.iter().map(|&c| shown(c)).collect::<Vec<_>>(),
        vec![Some(5), None]
    );
    // The date was asked of the two refugees only.
    assert_eq!(results[1].answered, 2);

    // Past its closing time, no more sheets.
    app.execute(&format!("UPDATE surveys SET opens_at = '2020-01-01 00:00:00+00:00', closes_at = '2020-02-01 00:00:00+00:00' WHERE id = {id}")).await;
    let closed = app.db.survey(id).await.expect("survey");
    assert!(matches!(
        app.db.submit_sheet(&closed, None, "ro", &sheets[0], None).await,
        Err(StoreError::Conflict("closed"))
    ));
}

#[tokio::test]
async fn a_persons_own_sheets_are_in_their_export_and_go_with_their_account() {
    let app = spawn_app().await;
    let survey = published(&app, Respondents::OncePerPerson, false).await;
    let user = app.scalar("SELECT id FROM users WHERE email = 'cetatean@balti.demo'").await;
    let session = app.demo("cetatean@balti.demo").await;
    let sheet =
        read_sheet(&survey.questions, &form(&[(survey.questions[0].field(), "0")])).expect("valid");
    app.db.submit_sheet(&survey, Some(user), "ru", &sheet, None).await.expect("stored");

    let export =
        app.send(crate::helpers::Req::get("/account/export.json").session(&session)).await.json();
    let sheets = export["data"]["survey_sheets"].as_array().expect("sheets").clone();
    assert_eq!(sheets.len(), 1);
    assert_eq!(
        (sheets[0]["survey_id"].as_i64(), sheets[0]["lang"].as_str()),
        (Some(survey.id), Some("ru"))
    );

    let erased = app
        .send(
            crate::helpers::Req::form(
                "/api/account/delete",
                &[("password", "agora-demo-2026"), ("lang", "ro")],
            )
            .session(&session),
        )
        .await;
    assert_eq!(erased.status, axum::http::StatusCode::OK, "{}", erased.body);
    for table in ["survey_responses", "survey_participants"] {
        assert_eq!(
            app.scalar(&format!("SELECT COUNT(*) FROM {table} WHERE user_id = {user}")).await,
            0,
            "{table}"
        );
    }
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM survey_answers WHERE question_id IN \
             (SELECT id FROM survey_questions WHERE survey_id = {})",
            survey.id
        ))
        .await,
        0,
        "the answers went with the sheet"
    );
}
