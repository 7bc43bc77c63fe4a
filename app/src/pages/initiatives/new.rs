use crate::api::votes::CreateInitiative;
use crate::app::{SiteResource, ViewerResource};
use crate::components::error::ErrorNotice;
use crate::components::form::{
    error_from_address, problem_text, Field, FormError, FormNotice, LangField, TextArea,
};
use crate::components::layout::SignInPrompt;
use crate::components::map::PickLocation;
use crate::error::AppError;
use crate::i18n::*;
use crate::locale;
use crate::model::SiteContext;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// `/{lang}/initiatives/new`: launch an initiative (signed-in citizens).
#[component]
pub fn NewInitiativePage() -> impl IntoView {
    let i18n = use_i18n();
    let site = expect_context::<SiteResource>();
    let viewer = expect_context::<ViewerResource>();
    view! {
        <crate::app::MapScripts bundle=crate::assets::Bundle::Picker />
        <section class="page page--narrow">
            <crate::components::page_title::PageHeading text=td_string!(i18n.get_locale_untracked(), initiatives.launch) />
            <Suspense fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                {move || Suspend::new(async move {
                    let signed_in = viewer.await.map(|v| v.user.is_some()).unwrap_or(false);
                    match (signed_in, site.await) {
                        (false, _) => view! { <SignInPrompt /> }.into_any(),
                        (true, Ok(ctx)) => view! { <InitiativeForm site=ctx /> }.into_any(),
                        (true, Err(err)) => view! { <ErrorNotice error=err /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn InitiativeForm(site: SiteContext) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(error_from_address(CreateInitiative::PATH));
    let form_error: FormError = error.into();
    let page_error =
        Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_))));
    let label = move |text: fn(Locale) -> &'static str| {
        Signal::derive(move || text(i18n.get_locale()).to_owned())
    };
    let problem = move |field: &'static str| {
        move || error.with(|e| e.as_ref().and_then(|e| e.field_problems(field).next()))
    };
    let categories = site.locality.categories.clone();
    view! {
        <p>{t!(i18n, initiatives.launch_intro)}</p>
        <FormNotice error=page_error />
        <form class="form report-form" method="post" action=CreateInitiative::PATH enctype="multipart/form-data">
            <LangField />
            <crate::components::form::SiteField />
            <Field name="title" required=true maxlength=150 label=label(|l| td_string!(l, newreport.title_label)) error=form_error />
            <TextArea name="body" required=true maxlength=8000 rows=8 label=label(|l| td_string!(l, initiatives.body_label))
                hint=label(|l| td_string!(l, initiatives.body_hint)) error=form_error />
            <div class="field">
                <label for="ini-written-in">{t!(i18n, initiatives.written_in_label)}</label>
                <select id="ini-written-in" name="written_in">
                    {locale::ALL.into_iter().map(|l| {
                        let name = match l {
                            Locale::ro => td_string!(l, lang.ro),
                            Locale::ru => td_string!(l, lang.ru),
                            Locale::uk => td_string!(l, lang.uk),
                            Locale::en => td_string!(l, lang.en),
                        };
                        view! { <option value=l.to_string() selected=move || i18n.get_locale() == l>{name}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="ini-category">{t!(i18n, filter.category)}</label>
                <select id="ini-category" name="category">
                    <option value="">"—"</option>
                    {categories.into_iter().map(|c| view! { <option value=c.slug.clone()>{move || c.name.get(i18n.get_locale()).to_owned()}</option> }).collect_view()}
                </select>
                {move || problem("category")().map(|p| view! { <p class="field__error" role="alert">{problem_text(i18n.get_locale(), p)}</p> })}
            </div>
            <fieldset class="form-section">
                <legend>{t!(i18n, initiatives.place_optional)}</legend>
                {move || problem("location")().map(|p| view! { <p class="field__error" role="alert">{problem_text(i18n.get_locale(), p)}</p> })}
                <PickLocation site=site.clone() />
            </fieldset>
            <div class="field">
                <label for="ini-image">{t!(i18n, initiatives.image)}</label>
                <input id="ini-image" type="file" name="image" accept="image/jpeg,image/png,image/webp" />
                {move || problem("image")().map(|p| view! { <p class="field__error" role="alert">{problem_text(i18n.get_locale(), p)}</p> })}
            </div>
            <button type="submit" class="button button--large">{t!(i18n, initiatives.launch)}</button>
        </form>
    }
}
