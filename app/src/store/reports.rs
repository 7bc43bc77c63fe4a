//! Reports: the map, reading, citizens' writes, the city hall's workflow, and photos.

use super::{MailTemplate, StoreResult};
use crate::model::account::Viewer;
use crate::model::{
    BBox, LatLng, MapFeatures, Page, ReportDetail, ReportFilter, ReportQuery, ReportSummary,
};
use async_trait::async_trait;

/// A report as the form sends it, once parsed and checked.
#[derive(Clone, Debug)]
pub struct NewReport {
    pub locality_id: i64,
    pub category_id: i64,
    pub title: String,
    pub description: String,
    pub at: crate::model::LatLng,
    /// False when the citizen gave no coordinates (the pin waits for staff).
    pub location_confirmed: bool,
    pub address: Option<String>,
    pub reporter_id: Option<i64>,
    pub reporter_name: Option<String>,
    pub reporter_email: Option<String>,
    pub show_name: bool,
    /// The reporter's language: the mail about their report is written in it.
    pub lang: String,
    /// Filed at the desk by this member of staff on behalf of a visitor.
    pub assisted_by: Option<i64>,
    /// The visitor's phone or address, when they left one at the desk.
    pub visitor_contact: Option<String>,
}

/// A processed photo, already written to disk under its random file stem.
#[derive(Clone, Debug)]
pub struct SavedPhoto {
    pub stem: String,
    pub width: u32,
    pub height: u32,
}

/// A status change as staff ask for it.
#[derive(Clone, Debug)]
pub struct StatusChange {
    pub report_id: i64,
    /// `None` for an official response that keeps the status.
    pub to: Option<crate::model::ReportStatus>,
    pub department_id: Option<i64>,
    pub duplicate_of: Option<i64>,
    /// The public comment or response.
    pub body: String,
}

/// What permission checks need to know about a report.
#[derive(Clone, Debug)]
pub struct ReportAccess {
    pub locality_id: i64,
    /// The departments that handle the report's category.
    pub departments: Vec<i64>,
}

/// The map: pins, or clusters where there are many.
#[async_trait]
pub trait ReportMap: Send + Sync {
    /// Pins, or clusters where `zoom` calls for them, inside `bbox`.
    async fn map_features(
        &self,
        bbox: BBox,
        zoom: Option<u8>,
        filter: &ReportFilter,
    ) -> StoreResult<MapFeatures>;
}

/// Reading reports: the lists, one report with its timeline, who may act on it.
#[async_trait]
pub trait ReportReads: Send + Sync {
    /// One page of a list.
    async fn list_reports(&self, query: &ReportQuery) -> StoreResult<Page<ReportSummary>>;
    /// A report with its photos, timeline and comments (hidden ones included; the caller
    /// decides what the viewer may see). `viewer` marks their own support and subscription.
    async fn report(&self, id: i64, viewer: Option<i64>) -> StoreResult<ReportDetail>;
    async fn report_access(&self, id: i64) -> StoreResult<ReportAccess>;
    /// Open reports of `category_id` within `radius_m` of `at`, nearest first.
    async fn nearby_open_reports(
        &self,
        at: LatLng,
        category_id: i64,
        radius_m: f64,
    ) -> StoreResult<Vec<ReportSummary>>;
    /// The file stem of a photo and whether it is hidden.
    async fn photo_file(&self, photo_id: i64) -> StoreResult<(String, bool)>;
}

/// What citizens do with reports: file one, support it, comment, follow it.
#[async_trait]
pub trait ReportWrites: Send + Sync {
    /// Stores a report and its photos in one transaction; `subscribe` (the reporter's e-mail)
    /// gets a confirmation mail.
    async fn create_report(
        &self,
        report: NewReport,
        photos: &[SavedPhoto],
        subscribe: Option<MailTemplate>,
    ) -> StoreResult<i64>;
    /// "I have this problem too"; idempotent. Returns the new count.
    async fn support_report(&self, report_id: i64, user_id: i64) -> StoreResult<i64>;
    async fn add_comment(
        &self,
        report_id: i64,
        author_id: i64,
        author_name: &str,
        body: &str,
    ) -> StoreResult<i64>;
    /// Follows a report as an account, or as an e-mail address that must confirm by `mail`.
    async fn subscribe(
        &self,
        report_id: i64,
        lang: &str,
        user_id: Option<i64>,
        email: Option<&str>,
        mail: Option<MailTemplate>,
    ) -> StoreResult<()>;
    async fn confirm_subscription(&self, token: &str) -> StoreResult<i64>;
}

/// The city hall's work on reports: status changes, pins, moderation.
#[async_trait]
pub trait ReportWorkflow: Send + Sync {
    /// Applies a status change (the workflow is checked again inside the transaction), writes
    /// the timeline and the audit log, and records first-response and resolution times.
    async fn change_status(&self, actor: &Viewer, change: &StatusChange) -> StoreResult<()>;
    /// Places the pin of a report (staff), e.g. one sent without coordinates.
    async fn set_location(&self, actor: &Viewer, report_id: i64, at: LatLng) -> StoreResult<()>;
    /// Hides (or shows again) a comment, photo or report, with a reason, in the audit log.
    async fn moderate(
        &self,
        actor: &Viewer,
        target: ModerationTarget,
        hide: bool,
        reason: &str,
    ) -> StoreResult<i64>;
    /// The locality that a comment or photo's report belongs to.
    async fn moderation_locality(&self, target: ModerationTarget) -> StoreResult<i64>;
    /// The "is it fixed?" question that a mailed `token` opens (`NotFound` for any other).
    async fn fixed_check(&self, token: &str) -> StoreResult<crate::model::fixed_check::FixedCheck>;
    /// Records the reporter's answer. "Not fixed" reopens a report that is still resolved: back
    /// in progress with its department, in the staff queue, with the reporter's note in its
    /// timeline. The first answer stands; a second one changes nothing.
    async fn answer_fixed_check(
        &self,
        token: &str,
        answer: crate::model::fixed_check::FixedAnswer,
        note: &str,
    ) -> StoreResult<crate::model::fixed_check::FixedCheck>;
}

/// Everything about reports.
pub trait ReportStore: ReportMap + ReportReads + ReportWrites + ReportWorkflow {}
impl<T: ReportMap + ReportReads + ReportWrites + ReportWorkflow> ReportStore for T {}

/// What a moderator can hide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum ModerationTarget {
    Comment(i64),
    Photo(i64),
    Report(i64),
}

/// Photo handling: decoding, stripping metadata, resizing and storing files.
#[async_trait]
pub trait Media: Send + Sync {
    /// Checks and stores one uploaded photo; refuses anything that is not a sound JPEG, PNG or
    /// WebP within the size limits.
    async fn save_photo(&self, bytes: Vec<u8>) -> Result<SavedPhoto, crate::error::Problem>;
    /// Removes the files of photos whose report was not stored after all.
    async fn discard(&self, stems: &[String]);
    /// The largest accepted upload, in bytes.
    fn max_photo_bytes(&self) -> usize;
}
