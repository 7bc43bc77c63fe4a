use super::{admin_error, reload_key, ICONS};
use crate::api::admin::{
    get_admin_overview, AdminOverview, GrantRole, RevokeRole, SaveCategory, SaveDepartment,
};
use crate::components::form::{action_error, Field, FormNotice, LangField};
use crate::error::AppError;
use crate::format;
use crate::i18n::*;
use crate::model::{Category, Role};
use leptos::prelude::*;

fn role_label(l: Locale, r: Role) -> &'static str {
    match r {
        Role::Operator => td_string!(l, admin.role_operator),
        Role::Admin => td_string!(l, admin.role_admin),
        Role::Moderator => td_string!(l, admin.role_moderator),
        Role::Staff => td_string!(l, admin.role_staff),
    }
}

/// The locality the page administers, for the forms' hidden field.
#[derive(Clone)]
struct AdminLocality(String);

/// Sends the administered locality with a form, so the save lands where the page is.
#[component]
fn LocalityField() -> impl IntoView {
    let slug = use_context::<AdminLocality>().map(|l| l.0).unwrap_or_default();
    view! { <input type="hidden" name="locality" value=slug /> }
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let key = reload_key();
    let query = leptos_router::hooks::use_query_map();
    let overview = Resource::new(
        move || (key.get(), query.with(|q| q.get("locality"))),
        |(_, locality)| get_admin_overview(locality),
    );
    view! {
        <div class="page">
            <crate::components::page_title::PageHeading text=td_string!(i18n.get_locale_untracked(), admin.title) />
            <Transition fallback=move || view! { <p>{t!(i18n, map.loading)}</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(data) => view! { <Sections data /> }.into_any(),
                        Err(err) => admin_error(err),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn Sections(data: AdminOverview) -> impl IntoView {
    let i18n = use_i18n();
    provide_context(AdminLocality(data.locality_slug.clone()));
    let current = data.locality_slug.clone();
    let keys_href = {
        let current = current.clone();
        move || {
            crate::paths::page(i18n.get_locale(), &format!("/admin/api-keys?locality={current}"))
        }
    };
    let organisations_href = {
        let current = current.clone();
        move || {
            crate::paths::page(
                i18n.get_locale(),
                &format!("/admin/organisations?locality={current}"),
            )
        }
    };
    let audit_href =
        move || crate::paths::page(i18n.get_locale(), &format!("/admin/audit?locality={current}"));
    let switcher = (data.administered.len() > 1).then(|| {
        let links = data
            .administered
            .iter()
            .map(|(slug, name)| {
                let href = crate::paths::page(i18n.get_locale_untracked(), &format!("/admin?locality={slug}"));
                let here = (*slug == data.locality_slug).then_some("page");
                view! { <li><a href=href aria-current=here>{name.clone()}</a></li> }
            })
            .collect_view();
        view! {
            <nav class="locality-switch" aria-label=move || td_string!(i18n.get_locale(), admin.localities_you_administer)>
                <ul>{links}</ul>
            </nav>
        }
    });
    let grant = ServerAction::<GrantRole>::new();
    let grant_error = action_error(grant);
    let revoke = ServerAction::<RevokeRole>::new();
    let revoke_error = action_error(revoke);
    let email_label = Signal::derive(move || td_string!(i18n.get_locale(), auth.email).to_owned());
    let page_error =
        Signal::derive(move || grant_error.get().filter(|e| !matches!(e, AppError::Validation(_))));
    let roles: Vec<Role> = if data.is_operator {
        Role::ALL.to_vec()
    } else {
        vec![Role::Admin, Role::Moderator, Role::Staff]
    };
    let departments = data.departments.clone();
    let staff_rows = data
        .staff
        .iter()
        .cloned()
        .map(|g| {
            let granted = g.granted_at;
            view! {
                <tr>
                    <td>{g.display_name.clone()}<br /><span class="muted">{g.email.clone()}</span></td>
                    <td>{move || role_label(i18n.get_locale(), g.role)}</td>
                    <td>{g.department.clone().unwrap_or_default()}</td>
                    <td>{move || format::date(format::local_date(granted), i18n.get_locale())}</td>
                    <td>
                        <ActionForm action=revoke>
                            <LangField />
                            <LocalityField />
                            <input type="hidden" name="grant_id" value=g.grant_id />
                            <button type="submit" class="button button--small button--danger">{t!(i18n, admin.revoke)}</button>
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {switcher}
        <p><a href=audit_href>{t!(i18n, admin.audit_title)}</a></p>
        <p><a href=keys_href>{t!(i18n, open_data.keys_title)}</a></p>
        <p><a href=organisations_href>{t!(i18n, events.organisations_title)}</a></p>
        <section aria-labelledby="staff-heading">
            <h2 id="staff-heading">{t!(i18n, admin.staff_title)} " — " {data.locality_name.clone()}</h2>
            <FormNotice error=revoke_error />
            <crate::components::table::TableWrap label=td_string!(i18n.get_locale_untracked(), admin.staff_title)>
                <table class="queue">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, admin.person)}</th>
                            <th scope="col">{t!(i18n, admin.role)}</th>
                            <th scope="col">{t!(i18n, staff.department)}</th>
                            <th scope="col">{t!(i18n, admin.granted)}</th>
                            <th scope="col"><span class="visually-hidden">{t!(i18n, admin.revoke)}</span></th>
                        </tr>
                    </thead>
                    <tbody>{staff_rows}</tbody>
                </table>
            </crate::components::table::TableWrap>
            <h3>{t!(i18n, admin.grant_title)}</h3>
            <p class="field__hint">{t!(i18n, admin.grant_hint)}</p>
            <FormNotice error=page_error />
            <ActionForm action=grant attr:class="form form--inline">
                <LangField />
                <LocalityField />
                <Field name="email" kind="email" required=true label=email_label error=grant_error />
                <div class="field">
                    <label for="grant-role">{t!(i18n, admin.role)}</label>
                    <select id="grant-role" name="role">
                        {roles.into_iter().map(|r| view! { <option value=r.as_str()>{move || role_label(i18n.get_locale(), r)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="grant-department">{t!(i18n, staff.department)}</label>
                    <select id="grant-department" name="department_id">
                        <option value="">{t!(i18n, admin.all_departments)}</option>
                        {departments.iter().map(|d| view! { <option value=d.id>{d.name.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button">{t!(i18n, admin.grant)}</button>
            </ActionForm>
        </section>
        <Departments data=data.clone() />
        <Categories categories=data.categories.clone() />
    }
}

#[component]
fn Departments(data: AdminOverview) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveDepartment>::new();
    let error = action_error(save);
    let categories: Vec<Category> =
        data.categories.iter().filter(|(_, active)| *active).map(|(c, _)| c.clone()).collect();
    let form = move |id: Option<i64>, name: String, linked: Vec<i64>, secretariat: bool| {
        let boxes = categories
            .iter()
            .cloned()
            .enumerate()
            .map(|(n, c)| {
                let checked = linked.contains(&c.id);
                view! {
                    <label class="chip">
                        <input type="checkbox" name=format!("category_ids[{n}]") value=c.id checked=checked />
                        {move || c.name.get(i18n.get_locale()).to_owned()}
                    </label>
                }
            })
            .collect_view();
        let field_id = format!("department-{}", id.map_or("new".to_owned(), |i| i.to_string()));
        let secretariat_id = format!("{field_id}-secretariat");
        view! {
            <ActionForm action=save attr:class="form department-form">
                <LangField />
                <LocalityField />
                <input type="hidden" name="id" value=id.map(|i| i.to_string()).unwrap_or_default() />
                <div class="field">
                    <label for=field_id.clone()>{t!(i18n, admin.department_name)}</label>
                    <input id=field_id type="text" name="name" value=name required maxlength="120" />
                </div>
                <fieldset class="filters">
                    <legend>{t!(i18n, admin.department_categories)}</legend>
                    {boxes}
                </fieldset>
                <div class="choice__option">
                    <input type="checkbox" id=secretariat_id.clone() name="network_secretariat" value="on" checked=secretariat />
                    <label for=secretariat_id>{t!(i18n, admin.department_secretariat)}</label>
                </div>
                <button type="submit" class="button button--small">{t!(i18n, account.save)}</button>
            </ActionForm>
        }
    };
    let existing = data
        .departments
        .iter()
        .map(|d| form(Some(d.id), d.name.clone(), d.category_ids.clone(), d.network_secretariat))
        .collect_view();
    view! {
        <section aria-labelledby="departments-heading">
            <h2 id="departments-heading">{t!(i18n, admin.departments_title)}</h2>
            <FormNotice error />
            {existing}
            <h3>{t!(i18n, admin.new_department)}</h3>
            {form(None, String::new(), Vec::new(), false)}
        </section>
    }
}

#[component]
fn Categories(categories: Vec<(Category, bool)>) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveCategory>::new();
    let error = action_error(save);
    let form = move |c: Option<Category>, active: bool| {
        let id = c.as_ref().map(|c| c.id.to_string()).unwrap_or_default();
        let suffix = if id.is_empty() { "new".to_owned() } else { id.clone() };
        let name = c.as_ref().map(|c| c.name.clone()).unwrap_or_default();
        let icon = c.as_ref().map(|c| c.icon.clone()).unwrap_or_else(|| "dots".to_owned());
        let color = c.as_ref().map(|c| c.color.clone()).unwrap_or_else(|| "#546e7a".to_owned());
        let slug = c.as_ref().map(|c| c.slug.clone()).unwrap_or_default();
        let is_new = c.is_none();
        let text_suffix = suffix.clone();
        let text = move |field: &'static str, label: &'static str, value: String| {
            let suffix = text_suffix.clone();

            let fid = format!("cat-{field}-{suffix}");
            view! {
                <div class="field">
                    <label for=fid.clone()>{label}</label>
                    <input id=fid type="text" name=field value=value maxlength="80" />
                </div>
            }
        };
        view! {
            <ActionForm action=save attr:class="form category-form">
                <LangField />
                <LocalityField />
                <input type="hidden" name="id" value=id.clone() />
                {if is_new {
                    text("slug", "slug", slug.clone()).into_any()
                } else {
                    view! { <input type="hidden" name="slug" value=slug.clone() /> <p class="muted">{slug.clone()}</p> }.into_any()
                }}
                {text("name_ro", "Română", name.ro.clone())}
                {text("name_ru", "Русский", name.ru.clone())}
                {text("name_uk", "Українська", name.uk.clone())}
                {text("name_en", "English", name.en.clone())}
                <div class="field field--inline">
                    <label for=format!("cat-icon-{suffix}")>{t!(i18n, admin.icon)}</label>
                    <select id=format!("cat-icon-{suffix}") name="icon">
                        {ICONS.into_iter().map(|i| view! { <option value=i selected=i == icon>{i}</option> }).collect_view()}
                    </select>
                    <label for=format!("cat-color-{suffix}")>{t!(i18n, admin.color)}</label>
                    <input id=format!("cat-color-{suffix}") type="color" name="color" value=color />
                </div>
                <label class="checkbox">
                    <input type="checkbox" name="active" value="on" checked=active />
                    {t!(i18n, admin.active)}
                </label>
                <button type="submit" class="button button--small">{t!(i18n, account.save)}</button>
            </ActionForm>
        }
    };
    let existing = categories.into_iter().map(|(c, active)| form(Some(c), active)).collect_view();
    view! {
        <section aria-labelledby="categories-heading">
            <h2 id="categories-heading">{t!(i18n, admin.categories_title)}</h2>
            <FormNotice error />
            <div class="card-grid">{existing}</div>
            <h3>{t!(i18n, admin.new_category)}</h3>
            {form(None, true)}
        </section>
    }
}
