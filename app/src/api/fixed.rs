//! "Is it fixed?": the question a reporter opens from the mail sent some days after their
//! report was resolved, and their answer. The mailed token is the only key: no sign-in.

use crate::error::AppError;
use crate::model::fixed_check::FixedCheck;
#[cfg(feature = "ssr")]
use crate::{error::Problem, i18n::Locale, model::fixed_check::FixedAnswer, store::services};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The question that `token` opens.
#[server(prefix = "/api", endpoint = "reports/fixed", input = GetUrl)]
pub async fn get_fixed_check(token: String) -> Result<FixedCheck, AppError> {
    super::reply(async { Ok(services()?.store.fixed_check(&token).await?) }.await)
}

/// The reporter's answer: `answer` is `fixed` or `not_fixed`; `note` (up to 2,000 characters)
/// says what is still wrong. Back to the question's page, which thanks them.
#[server(prefix = "/api", endpoint = "reports/fixed/answer")]
pub async fn answer_fixed_check(
    token: String,
    answer: String,
    note: Option<String>,
    lang: String,
) -> Result<FixedCheck, AppError> {
    super::reply(
        async {
            let answer = FixedAnswer::parse(&answer)
                .ok_or_else(|| AppError::invalid("answer", Problem::Required))?;
            let note = note.unwrap_or_default();
            if note.trim().chars().count() > 2000 {
                return Err(AppError::invalid("note", Problem::TooLong));
            }
            let store = services()?.store;
            // Everything the answer needs is looked up before it is written.
            let check = store.fixed_check(&token).await?;
            let locality = store.locality(check.locality_id).await?;
            let locale = crate::locale::parse(&lang).unwrap_or(Locale::ro);
            let check = store.answer_fixed_check(&token, answer, &note).await?;
            let page = format!("/is-it-fixed?token={}&answered=1", token.trim());
            super::redirect(&crate::paths::locality_page(&locality, locale, &page));
            Ok(check)
        }
        .await,
    )
}
