//! The orientation and referral directory: services for refugees, migrants and everyone else,
//! their opening hours, and the finder that matches them to what a visitor needs.

use super::network::string_enum;
use super::{LatLng, Localized};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

mod hours;

pub use hours::OpeningHours;

/// What a service helps with: the finder's first question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceCategory {
    LegalAid,
    LanguageCourses,
    Counselling,
    SocialServices,
    Health,
    Employment,
    EducationChildren,
    Housing,
    Other,
}

string_enum!(ServiceCategory {
    LegalAid = "legal_aid",
    LanguageCourses = "language_courses",
    Counselling = "counselling",
    SocialServices = "social_services",
    Health = "health",
    Employment = "employment",
    EducationChildren = "education_children",
    Housing = "housing",
    Other = "other",
});

/// Whom a service is meant for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceAudience {
    Everyone,
    RefugeesMigrants,
    ChildrenFamilies,
    Women,
    Elderly,
    Youth,
}

string_enum!(ServiceAudience {
    Everyone = "everyone",
    RefugeesMigrants = "refugees_migrants",
    ChildrenFamilies = "children_families",
    Women = "women",
    Elderly = "elderly",
    Youth = "youth",
});

/// The languages a service's staff may speak, in the order pages list them.
pub const SERVICE_LANGUAGES: [&str; 4] = ["ro", "ru", "uk", "en"];

/// An entry not checked for this many days is flagged as possibly out of date (six months).
pub const STALE_AFTER_DAYS: i64 = 183;

/// What a service is, as its keepers write it: the part that NGOs propose and staff approve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceDraft {
    /// The NGO that keeps the entry; `None` for one kept by the city hall's staff.
    pub organisation_id: Option<i64>,
    pub provider: String,
    pub category: ServiceCategory,
    pub name: Localized,
    pub description: Localized,
    pub eligibility: Localized,
    pub address: String,
    pub at: Option<LatLng>,
    pub hours: OpeningHours,
    /// Codes of [`SERVICE_LANGUAGES`], in that order.
    pub languages: Vec<String>,
    pub free: bool,
    pub audience: ServiceAudience,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
}

/// A service as the directory shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Service {
    pub id: i64,
    pub locality_id: i64,
    #[serde(flatten)]
    pub draft: ServiceDraft,
    /// The keeping organisation's name, when an NGO keeps it.
    pub organisation_name: Option<String>,
    /// When someone last confirmed that the entry is right.
    pub checked_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Service {
    /// Not checked for six months: the page warns that it may be out of date.
    pub fn is_stale(&self, now: DateTime<Utc>) -> bool {
        now - self.checked_at > chrono::TimeDelta::days(STALE_AFTER_DAYS)
    }

    /// Open at `now` by its opening hours, in the city's time.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.draft.hours.is_open_at(city_time(now))
    }
}

/// `t` on the city's clocks (Moldova: UTC+2, UTC+3 in summer).
pub fn city_time(t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&chrono_tz::Europe::Chisinau).naive_local()
}

/// Where a proposed change stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeStatus {
    Proposed,
    Approved,
    Rejected,
}

string_enum!(ChangeStatus { Proposed = "proposed", Approved = "approved", Rejected = "rejected" });

/// A new entry or a change to one, proposed by an organisation's member for staff to approve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceChange {
    pub id: i64,
    pub locality_id: i64,
    /// The entry it changes; `None` for a new one.
    pub service_id: Option<i64>,
    pub draft: ServiceDraft,
    pub organisation_name: Option<String>,
    pub status: ChangeStatus,
    /// Staff's reason for refusing it.
    pub review_note: String,
    pub created_at: DateTime<Utc>,
}

/// Who a visitor looks for help for: the finder's "who is it for?".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Seeker {
    Adult,
    Child,
    Woman,
    Elderly,
    Young,
}

string_enum!(Seeker {
    Adult = "adult",
    Child = "child",
    Woman = "woman",
    Elderly = "elderly",
    Young = "young",
});

/// The finder's answers; every question may be left unanswered.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FinderAnswers {
    pub need: Option<ServiceCategory>,
    /// A language the visitor speaks (one of [`SERVICE_LANGUAGES`]).
    pub speaks: Option<String>,
    pub seeker: Option<Seeker>,
    /// `Some(false)`: not a refugee or migrant, so services only for them are left out.
    pub refugee_or_migrant: Option<bool>,
    pub free_only: bool,
    /// Where the visitor is, to list the nearest first.
    pub near: Option<LatLng>,
}

/// A service that answers the finder's questions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceMatch {
    pub service: Service,
    /// From the visitor, when they said where they are.
    pub distance_m: Option<u32>,
    pub open_now: bool,
}

impl FinderAnswers {
    /// Whether `s` is for someone who answered so.
    pub fn matches(&self, s: &ServiceDraft) -> bool {
        let need = self.need.is_none_or(|n| n == s.category);
        let speaks = self.speaks.as_ref().is_none_or(|l| s.languages.contains(l));
        let free = !self.free_only || s.free;
        let for_them = match s.audience {
            ServiceAudience::Everyone => true,
            ServiceAudience::RefugeesMigrants => self.refugee_or_migrant != Some(false),
            ServiceAudience::ChildrenFamilies => {
                self.seeker.is_none_or(|p| matches!(p, Seeker::Child | Seeker::Woman))
            }
            ServiceAudience::Women => self.seeker.is_none_or(|p| p == Seeker::Woman),
            ServiceAudience::Elderly => self.seeker.is_none_or(|p| p == Seeker::Elderly),
            ServiceAudience::Youth => {
                self.seeker.is_none_or(|p| matches!(p, Seeker::Young | Seeker::Child))
            }
        };
        need && speaks && free && for_them
    }

    /// The services that match, nearest first when the visitor said where they are; else
    /// those open now first, then by name in `lang`.
    pub fn find(
        &self,
        services: Vec<Service>,
        now: DateTime<Utc>,
        lang: crate::locale::Locale,
    ) -> Vec<ServiceMatch> {
        let mut found: Vec<ServiceMatch> = services
            .into_iter()
            .filter(|s| self.matches(&s.draft))
            .map(|service| ServiceMatch {
                distance_m: self
                    .near
                    .zip(service.draft.at)
                    .map(|(from, to)| from.distance_m(to).round() as u32),
                open_now: service.is_open(now),
                service,
            })
            .collect();
        found.sort_by(|a, b| {
            let far = |m: &ServiceMatch| m.distance_m.unwrap_or(u32::MAX);
            far(a)
                .cmp(&far(b))
                .then(b.open_now.cmp(&a.open_now))
                .then_with(|| a.service.draft.name.get(lang).cmp(b.service.draft.name.get(lang)))
                .then(a.service.id.cmp(&b.service.id))
        });
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Locale;
    use chrono::TimeZone;

    fn service(id: i64, category: ServiceCategory, audience: ServiceAudience) -> Service {
        Service {
            id,
            locality_id: 1,
            draft: ServiceDraft {
                organisation_id: None,
                provider: "P".into(),
                category,
                name: Localized { ro: format!("S{id}"), ..Default::default() },
                description: Localized::default(),
                eligibility: Localized::default(),
                address: "str. Independenței 1".into(),
                at: Some(LatLng { lat: 47.76 + id as f64 * 0.001, lng: 27.93 }),
                hours: OpeningHours::parse("mo-fr 08:00-17:00").expect("hours"),
                languages: vec!["ro".into(), "uk".into()],
                free: id % 2 == 0,
                audience,
                phone: None,
                email: None,
                website: None,
            },
            organisation_name: None,
            checked_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().expect("time"),
            updated_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().expect("time"),
        }
    }

    #[test]
    fn the_finder_keeps_what_answers_every_question_nearest_first() {
        use ServiceAudience::*;
        use ServiceCategory::*;
        let all = vec![
            service(1, LegalAid, Everyone),
            service(2, LegalAid, RefugeesMigrants),
            service(3, Health, Everyone),
            service(4, LegalAid, Women),
            service(6, LegalAid, Elderly),
        ];
        let monday_noon = Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).single().expect("time");
        let mut answers = FinderAnswers {
            need: Some(LegalAid),
            near: Some(LatLng { lat: 47.766, lng: 27.93 }),
            ..Default::default()
        };
        let ids = |a: &FinderAnswers| -> Vec<i64> {
            a.find(all.clone(), monday_noon, Locale::ro).iter().map(|m| m.service.id).collect()
        };
        assert_eq!(ids(&answers), vec![6, 4, 2, 1]);
        answers.seeker = Some(Seeker::Woman);
        answers.refugee_or_migrant = Some(false);
        assert_eq!(ids(&answers), vec![4, 1]);
        answers.free_only = true;
        assert_eq!(ids(&answers), vec![4]);
        answers.speaks = Some("en".into());
        assert!(ids(&answers).is_empty());
        let found = FinderAnswers::default().find(all.clone(), monday_noon, Locale::ro);
        assert_eq!(found.len(), 5);
        assert!(found.iter().all(|m| m.open_now && m.distance_m.is_none()));
    }

    #[test]
    fn open_now_follows_the_city_clock_across_the_change_to_summer_time() {
        let s = service(1, ServiceCategory::Health, ServiceAudience::Everyone);
        // Moldova moves to summer time on 29 March 2026: 08:00 in the city is 06:00 UTC the
        // Friday before and 05:00 UTC the Monday after.
        let at = |d, h, m| Utc.with_ymd_and_hms(2026, 3, d, h, m, 0).single().expect("time");
        assert!(!s.is_open(at(27, 5, 59)));
        assert!(s.is_open(at(27, 6, 0)));
        assert!(s.is_open(at(27, 14, 59)));
        assert!(!s.is_open(at(27, 15, 0)));
        assert!(!s.is_open(at(28, 10, 0)), "closed on Saturday");
        assert!(s.is_open(at(30, 5, 0)));
        assert!(!s.is_open(at(30, 4, 59)));
        assert!(!s.is_open(at(30, 14, 0)));
        assert!(s.is_open(at(30, 13, 59)));
    }

    #[test]
    fn an_entry_goes_stale_six_months_after_its_last_check() {
        let s = service(1, ServiceCategory::Health, ServiceAudience::Everyone);
        let later = |days| s.checked_at + chrono::TimeDelta::days(days);
        assert!(!s.is_stale(later(STALE_AFTER_DAYS)));
        assert!(s.is_stale(later(STALE_AFTER_DAYS + 1)));
    }
}
