#[cfg(feature = "hydrate")]
use crate::api::reports::nearby_reports;
use crate::api::reports::{CreateReport, SupportReport, MAX_PHOTOS};
use crate::app::{SiteResource, ViewerResource};
use crate::components::error::ErrorNotice;
use crate::components::form::{
    error_from_address, problem_text, Field, FormError, FormNotice, LangField, TextArea,
};
use crate::components::map::LocationPicker;
use crate::components::status::StatusBadge;
use crate::error::AppError;
use crate::i18n::*;
use crate::model::{LatLng, SiteContext};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// `/{lang}/reports/new`: report a problem.
#[component]
pub fn NewReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let site = expect_context::<SiteResource>();
    view! {
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
    let position = RwSignal::new(None::<LatLng>);
    let category = RwSignal::new(String::new());
    let error = RwSignal::new(error_from_address(CreateReport::PATH));
    let sending = RwSignal::new(false);
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

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            let navigate = leptos_router::hooks::use_navigate();
            crate::components::form::submit_multipart(
                ev,
                sending,
                error,
                |data| crate::api::reports::create_report(data.into()),
                move |id| {
                    navigate(
                        &format!("/{}/reports/{id}?created=1", i18n.get_locale_untracked()),
                        Default::default(),
                    )
                },
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, sending);
    };

    let categories = site.locality.categories.clone();
    let category_inputs = categories
        .iter()
        .cloned()
        .map(|c| {
            let slug = c.slug.clone();
            let checked = {
                let slug = slug.clone();
                move || category.get() == slug
            };
            let on_change = {
                let slug = slug.clone();
                move |_| category.set(slug.clone())
            };
            view! {
                <label class="category-choice">
                    <input type="radio" name="category" value=slug required prop:checked=checked on:change=on_change />
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
            on:submit=on_submit
        >
            <LangField />
            <input type="hidden" name="locality" value=locality_slug />

            <fieldset class="form-section">
                <legend>{t!(i18n, newreport.where_title)}</legend>
                {move || problem("location")().map(|p| view! { <p class="field__error" role="alert">{problem_text(i18n.get_locale(), p)}</p> })}
                <LocationPicker site=site.clone() position />
                <Field name="address" autocomplete="street-address" maxlength=200
                    label=label(|l| td_string!(l, newreport.address))
                    hint=label(|l| td_string!(l, newreport.address_hint)) error=form_error />
            </fieldset>

            <fieldset class="form-section category-grid" aria-describedby="category-error">
                <legend>{t!(i18n, filter.category)}</legend>
                {move || problem("category")().map(|p| view! { <p id="category-error" class="field__error" role="alert">{problem_text(i18n.get_locale(), p)}</p> })}
                {category_inputs}
            </fieldset>

            <NearbyReports position category locality=site.locality.slug.clone() />

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

            <button type="submit" class="button button--large" disabled=move || sending.get()>
                {move || if sending.get() { t_string!(i18n, newreport.sending) } else { t_string!(i18n, newreport.submit) }}
            </button>
        </form>
    }
}

/// "Is this the same problem?": open reports of the chosen category near the pin, which the
/// citizen can support instead of reporting again. It follows the pin, so it exists only once
/// the page is hydrated; server and browser both start with an empty list.
#[component]
fn NearbyReports(
    position: RwSignal<Option<LatLng>>,
    category: RwSignal<String>,
    locality: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let viewer = expect_context::<ViewerResource>();
    let nearby = RwSignal::new(Vec::<crate::model::ReportSummary>::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let (p, c, locality) = (position.get(), category.get(), locality.clone());
        leptos::task::spawn_local(async move {
            let found = match p {
                Some(p) if !c.is_empty() => {
                    nearby_reports(p.lat, p.lng, c, Some(locality)).await.unwrap_or_default()
                }
                _ => Vec::new(),
            };
            nearby.set(found);
        });
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (position, category, locality);
    let signed_in =
        Signal::derive(move || viewer.get().and_then(Result::ok).is_some_and(|v| v.user.is_some()));
    move || {
        let reports = nearby.get();
        if reports.is_empty() {
            return ().into_any();
        }
        let items = reports
            .into_iter()
            .map(|r| {
                let support = ServerAction::<SupportReport>::new();
                let id = r.id;
                view! {
                    <li class="report-card">
                        <a class="report-card__title" href=move || format!("/{}/reports/{id}", i18n.get_locale()) target="_blank">
                            {r.title.clone()}
                        </a>
                        <div class="report-card__meta"><StatusBadge status=r.status /></div>
                        <Show when=move || signed_in.get()>
                            <Show when=move || support.value().get().is_none() fallback=move || view! {
                                <p class="notice notice--ok">{t!(i18n, report.supported)}</p>
                            }>
                                <button type="button" class="button button--small"
                                    on:click=move |_| { support.dispatch(SupportReport { report_id: id, lang: i18n.get_locale_untracked().to_string() }); }>
                                    {t!(i18n, report.support_button)}
                                </button>
                            </Show>
                        </Show>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="nearby" aria-live="polite">
                <h2>{t!(i18n, newreport.same_problem)}</h2>
                <p>{t!(i18n, newreport.same_problem_hint)}</p>
                <ul class="report-list">{items}</ul>
            </section>
        }
        .into_any()
    }
}
