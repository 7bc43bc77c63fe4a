//! Forms that do not add to the browser's history. A plain form post answers with a redirect
//! to the page it came from, which the browser records as a new entry: after saving a report's
//! status, Back showed the same report again (with the form as it had been filled in). In the
//! browser this island sends the forms inside it itself and then *replaces* the page with the
//! answer's address, so Back leaves the page as the visitor arrived. Without WASM (or should
//! the request fail) the form posts as it always does.

use leptos::prelude::*;

#[island]
pub fn ReplaceOnSubmit(children: Children) -> impl IntoView {
    let root = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(el) = root.get() {
            browser::listen(&el);
        }
    });
    view! { <div class="replace-on-submit" node_ref=root>{children()}</div> }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{HtmlFormElement, SubmitEvent};

    pub fn listen(root: &web_sys::HtmlDivElement) {
        let on_submit = Closure::<dyn Fn(SubmitEvent)>::new(move |ev: SubmitEvent| {
            let Some(form) = ev.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else {
                return;
            };
            // Photo forms (multipart) and searches (GET) go as the browser sends them.
            if ev.default_prevented()
                || form.method() != "post"
                || form.enctype() == "multipart/form-data"
            {
                return;
            }
            ev.prevent_default();
            if let Some(button) = ev.submitter() {
                let _ = button.set_attribute("disabled", "");
            }
            leptos::task::spawn_local(send(form));
        });
        let _ = root.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
        on_submit.forget();
    }

    /// Posts the form as an API call (the server then answers with the next address in
    /// `Location` instead of redirecting), and replaces the page with that address.
    async fn send(form: HtmlFormElement) {
        match post(&form).await {
            Some(next) => go(&next),
            // Let the browser post it: the server's answer, errors included, is a page.
            None => {
                let _ = form.submit();
            }
        }
    }

    async fn post(form: &HtmlFormElement) -> Option<String> {
        let data = web_sys::FormData::new_with_form(form).ok()?;
        let body = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(&body);
        let answer = JsFuture::from(window().fetch_with_str_and_init(&form.action(), &init))
            .await
            .ok()?
            .dyn_into::<web_sys::Response>()
            .ok()?;
        if !answer.ok() {
            return None;
        }
        // A change that names no next page (a support) shows this page again.
        let here = window().location().href().ok()?;
        Some(answer.headers().get("location").ok().flatten().unwrap_or(here))
    }

    fn go(next: &str) {
        let location = window().location();
        let without_hash = |url: &str| url.split('#').next().unwrap_or_default().to_owned();
        let here = location.href().unwrap_or_default();
        let target = web_sys::Url::new_with_base(next, &here).map(|u| u.href()).unwrap_or_default();
        if without_hash(&target) == without_hash(&here) {
            // Only the fragment differs (a new comment's anchor): the page must still reload.
            if let Ok(history) = window().history() {
                let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&target));
            }
            let _ = location.reload();
        } else {
            let _ = location.replace(&target);
        }
    }
}
