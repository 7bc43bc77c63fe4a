use crate::api::reports::{CreateReport, MAX_PHOTOS};
use crate::app::{SiteResource, ViewerResource};
use crate::components::error::ErrorNotice;
use crate::components::form::{
    error_from_address, problem_text, Field, FormError, FormNotice, LangField, TextArea,
};
use crate::components::map::PickLocation;
use crate::error::AppError;
use crate::i18n::*;
use crate::model::SiteContext;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// `/{lang}/reports/new`: report a problem.
#[component]
pub fn NewReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let site = expect_context::<SiteResource>();
    view! {
        <crate::app::MapScripts bundle=crate::assets::Bundle::Picker />
        // The category colours are the locality's own data, so they are not a built asset.
        <leptos_meta::Stylesheet href="/categories.css" />
        <section class="page page--narrow">
            <h1>{t!(i18n, nav.report_problem)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                {move || Suspend::new(async move {
                    match site.await {
                        Ok(ctx) => view! { <ReportForm site=ctx /> }.into_any(),
                        Err(err) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ReportForm(site: SiteContext) -> impl IntoView {
    let i18n = use_i18n();
    let viewer = expect_context::<ViewerResource>();
    let error = RwSignal::new(error_from_address(CreateReport::PATH));
    let form_error: FormError = error.into();
    let page_error =
        Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_))));
    let label = move |text: fn(Locale) -> &'static str| {
        Signal::derive(move || text(i18n.get_locale()).to_owned())
    };
    let problem = move |field: &'static str| {
        move || error.with(|e| e.as_ref().and_then(|e| e.field_problems(field).next()))
    };
    let locality_slug = site.locality.slug.clone();

    let categories = site.locality.categories.clone();
    let category_inputs = categories
        .iter()
        .cloned()
        .map(|c| {
            view! {
                <label class="category-choice">
                    <input type="radio" name="category" value=c.slug.clone() required />
                    <span class=format!("category-choice__icon cat-{}", c.id)>
                        <img src=format!("/icons/{}.svg", c.icon) alt="" width="22" height="22" />
                    </span>
                    <span>{move || c.name.get(i18n.get_locale()).to_owned()}</span>
                </label>
            }
        })
        .collect_view();

    view! {
        <p>{t!(i18n, newreport.intro)}</p>
        <FormNotice error=page_error />
        <form
            class="form report-form"
            method="post"
            action=CreateReport::PATH
            enctype="multipart/form-data"
        >
            <LangField />
            <input type="hidden" name="locality" value=locality_slug />

            <fieldset class="form-section">
                <legend>{t!(i18n, newreport.where_title)}</legend>
                {move || problem("location")().map(|p| view! { <p class="field__error" role="alert">{problem_text(i18n.get_locale(), p)}</p> })}
                <Transition fallback=|| ()>
                    {
                        let site = site.clone();
                        move || {
                            let site = site.clone();
                            Suspend::new(async move {
                                let signed_in = viewer.await.ok().is_some_and(|v| v.user.is_some());
                                view! { <PickLocation site nearby_for=signed_in /> }
                            })
                        }
                    }
                </Transition>
                <Field name="address" autocomplete="street-address" maxlength=200
                    label=label(|l| td_string!(l, newreport.address))
                    hint=label(|l| td_string!(l, newreport.address_hint)) error=form_error />
            </fieldset>

            <fieldset class="form-section category-grid" aria-describedby="category-error">
                <legend>{t!(i18n, filter.category)}</legend>
                {move || problem("category")().map(|p| view! { <p id="category-error" class="field__error" role="alert">{problem_text(i18n.get_locale(), p)}</p> })}
                {category_inputs}
            </fieldset>

            <fieldset class="form-section">
                <legend>{t!(i18n, newreport.what_title)}</legend>
                <Field name="title" required=true maxlength=120 label=label(|l| td_string!(l, newreport.title_label))
                    hint=label(|l| td_string!(l, newreport.title_hint)) error=form_error />
                <TextArea name="description" required=true maxlength=5000 rows=6
                    label=label(|l| td_string!(l, newreport.description)) error=form_error />
                <div class="field">
                    <label for="field-photos">{t!(i18n, newreport.photos)}</label>
                    <p class="field__hint" id="field-photos-hint">
                        {move || t_string!(i18n, newreport.photos_hint, max = MAX_PHOTOS)}
                    </p>
                    <input id="field-photos" type="file" name="photos" multiple
                        accept="image/jpeg,image/png,image/webp" aria-describedby="field-photos-hint" />
                    {move || problem("photos")().map(|p| view! { <p class="field__error" role="alert">{problem_text(i18n.get_locale(), p)}</p> })}
                </div>
            </fieldset>

            <fieldset class="form-section">
                <legend>{t!(i18n, newreport.who_title)}</legend>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let user = viewer.await.ok().and_then(|v| v.user);
                        match user {
                            Some(u) => view! {
                                <p>{t!(i18n, newreport.as_user)} " " <strong>{u.display_name.clone()}</strong></p>
                            }.into_any(),
                            None => view! {
                                <p class="field__hint">{t!(i18n, newreport.anonymous_hint)}</p>
                                <Field name="name" autocomplete="name" maxlength=80 label=label(|l| td_string!(l, newreport.your_name)) error=form_error />
                                <Field name="email" kind="email" autocomplete="email"
                                    label=label(|l| td_string!(l, newreport.your_email))
                                    hint=label(|l| td_string!(l, newreport.email_hint)) error=form_error />
                            }.into_any(),
                        }
                    })}
                </Transition>
                <label class="checkbox">
                    <input type="checkbox" name="show_name" value="on" />
                    {t!(i18n, newreport.show_name)}
                </label>
                <p class="field__hint">{t!(i18n, newreport.privacy)}</p>
            </fieldset>

            <button type="submit" class="button button--large">{t!(i18n, newreport.submit)}</button>
        </form>
    }
}
