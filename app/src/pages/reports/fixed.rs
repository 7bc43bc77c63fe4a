//! `/{lang}/is-it-fixed?token=…`: the reporter, from the mail sent some days after their report
//! was resolved, says whether the problem really is fixed. Works without JavaScript.

use crate::api::fixed::{get_fixed_check, AnswerFixedCheck};
use crate::components::error::ErrorNotice;
use crate::components::form::{
    error_from_address, FormError, FormNotice, LangField, SuccessNotice, TextArea,
};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::fixed_check::{FixedAnswer, FixedCheck};
use crate::pages::not_found::NotFoundPage;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

#[component]
pub fn FixedCheckPage() -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    let query = use_query_map();
    let token = query.with_untracked(|q| q.get("token").unwrap_or_default());
    let answered = query.with_untracked(|q| q.get("answered").is_some());
    let heading = move || {
        view! { <crate::components::page_title::PageHeading text=td_string!(locale, fixed.title) /> }
    };
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match get_fixed_check(token.clone()).await {
                        Ok(check) => view! {
                            <section class="page page--narrow">{heading()}<Question check token answered /></section>
                        }
                        .into_any(),
                        Err(AppError::NotFound) => view! { <NotFoundPage /> }.into_any(),
                        Err(error) => view! {
                            <section class="page page--narrow">{heading()}<ErrorNotice error /></section>
                        }
                        .into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Question(check: FixedCheck, token: String, answered: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let report = crate::paths::page(locale, &format!("/reports/{}", check.report_id));
    let title = view! { <p><a href=report.clone()>{format!("#{} {}", check.report_id, check.title)}</a></p> };
    let Some(answer) = check.answer else {
        let error: FormError = RwSignal::new(error_from_address(AnswerFixedCheck::PATH)).into();
        let resolved = crate::format::date(crate::format::local_date(check.resolved_at), locale);
        return view! {
            {title}
            <p>{td_string!(locale, fixed.intro, date = resolved)}</p>
            <FormNotice error />
            <form class="form" method="post" action=AnswerFixedCheck::PATH>
                <LangField />
                <input type="hidden" name="token" value=token />
                <TextArea name="note" rows=3 maxlength=2000 error
                    label=Signal::derive(move || td_string!(i18n.get_locale(), fixed.note).to_owned()) />
                <div class="form-actions">
                    <button type="submit" class="button" name="answer" value=FixedAnswer::Fixed.as_str()>{t!(i18n, fixed.yes)}</button>
                    <button type="submit" class="button button--secondary" name="answer" value=FixedAnswer::NotFixed.as_str()>{t!(i18n, fixed.no)}</button>
                </div>
            </form>
        }
        .into_any();
    };
    let thanks = match answer {
        FixedAnswer::Fixed => td_string!(locale, fixed.thanks_fixed),
        FixedAnswer::NotFixed => td_string!(locale, fixed.thanks_reopened),
    };
    view! {
        {title}
        {if answered {
            view! { <SuccessNotice>{thanks}</SuccessNotice> }.into_any()
        } else {
            view! { <p>{td_string!(locale, fixed.already)}" "{thanks}</p> }.into_any()
        }}
        <p><a class="button" href=report>{t!(i18n, fixed.see_report)}</a></p>
    }
    .into_any()
}
