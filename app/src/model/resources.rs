//! The NGO network's database of online educational resources: links that members propose
//! and staff publish, searchable by words, topic, language and audience.

use super::network::{string_enum, Audience, EventStatus, Organisation};
use super::Localized;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a resource teaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    LanguageLearning,
    RightsLegal,
    Integration,
    HealthWellbeing,
    EducationSkills,
    Employment,
    DigitalSkills,
    CivicParticipation,
}

string_enum!(Topic {
    LanguageLearning = "language_learning",
    RightsLegal = "rights_legal",
    Integration = "integration",
    HealthWellbeing = "health_wellbeing",
    EducationSkills = "education_skills",
    Employment = "employment",
    DigitalSkills = "digital_skills",
    CivicParticipation = "civic_participation",
});

/// A resource as the list and the desk show it. Its review goes as an event's does
/// (proposed, published or refused).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    pub id: i64,
    pub locality_id: i64,
    pub organisation: Organisation,
    pub title: Localized,
    pub description: Localized,
    /// Its address; empty for a file.
    pub url: String,
    /// The file, for a resource that is one (`/resources/{id}/file` serves it).
    #[serde(default)]
    pub file: Option<ResourceFileInfo>,
    /// The resource's own language: one of the four, or `multi`.
    pub language: String,
    pub topic: Topic,
    pub audience: Audience,
    pub status: EventStatus,
    pub review_note: String,
    pub created_at: DateTime<Utc>,
}

impl Resource {
    /// Where its link leads: the address, or the file (`/media/resources/{id}`).
    pub fn href(&self) -> String {
        match self.file {
            Some(_) => format!("/media/resources/{}", self.id),
            None => self.url.clone(),
        }
    }
}

/// What a page says of a resource's file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceFileInfo {
    /// Its name as uploaded (made safe for a download's name).
    pub name: String,
    pub size_bytes: i64,
}

/// The largest file a resource may be (the request's limit allows it).
pub const MAX_RESOURCE_FILE_BYTES: usize = 8 * 1024 * 1024;

/// An uploaded file as a resource keeps it: a PDF (checked by its signature).
#[derive(Clone, Debug)]
pub struct ResourceFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl ResourceFile {
    /// The file when it is a PDF (`%PDF-` at its start); its name is kept to letters, digits,
    /// spaces, dots, dashes and underscores, at most 100 characters, ending in `.pdf`.
    pub fn pdf(name: &str, bytes: Vec<u8>) -> Option<Self> {
        if !bytes.starts_with(b"%PDF-") {
            return None;
        }
        let stem = name.rsplit(['/', '\\']).next().unwrap_or_default();
        let stem = stem.strip_suffix(".pdf").or_else(|| stem.strip_suffix(".PDF")).unwrap_or(stem);
        let safe: String = stem
            .chars()
            .map(|c| if c.is_alphanumeric() || " .-_".contains(c) { c } else { '_' })
            .take(96)
            .collect();
        let safe = safe.trim_matches(['.', ' ']);
        let name = if safe.is_empty() { "resource".to_owned() } else { safe.to_owned() };
        Some(ResourceFile { name: format!("{name}.pdf"), bytes })
    }
}

/// A resource as its organisation proposes it, once checked.
#[derive(Clone, Debug)]
pub struct NewResource {
    pub locality_id: i64,
    pub organisation_id: i64,
    pub title: Localized,
    pub description: Localized,
    /// Empty when `file` is given.
    pub url: String,
    pub file: Option<ResourceFile>,
    pub language: String,
    pub topic: Topic,
    pub audience: Audience,
}

/// The list's filters; each may be left out.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ResourceFilter {
    /// Words to find in a title or description, in any of the four languages.
    pub words: String,
    pub topic: Option<Topic>,
    pub language: Option<String>,
    pub audience: Option<Audience>,
}

/// Lower case without Romanian diacritics, so that `scoala` finds `Școala`.
fn folded(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'ă' | 'â' => 'a',
            'î' => 'i',
            'ș' | 'ş' => 's',
            'ț' | 'ţ' => 't',
            'ё' => 'е',
            other => other,
        })
        .collect()
}

impl ResourceFilter {
    /// Whether `r` passes: every word is in its title or description (any language), and it
    /// has the chosen topic, language (a resource in several languages passes any) and
    /// audience (one for everyone passes any).
    pub fn matches(&self, r: &Resource) -> bool {
        let text = [&r.title, &r.description]
            .iter()
            .flat_map(|t| [&t.ro, &t.ru, &t.uk, &t.en])
            .map(|t| folded(t))
            .collect::<Vec<_>>()
            .join("\n");
        let words = folded(&self.words);
        words.split_whitespace().all(|w| text.contains(w))
            && self.topic.is_none_or(|t| t == r.topic)
            && self.language.as_ref().is_none_or(|l| *l == r.language || r.language == "multi")
            && self.audience.is_none_or(|a| a == r.audience || r.audience == Audience::Everyone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pdf_files_are_kept_under_a_safe_name() {
        let pdf = b"%PDF-1.7 rest".to_vec();
        let file = ResourceFile::pdf("C:\\docs\\Ghid \"drepturi\" <2026>.PDF", pdf.clone());
        assert_eq!(file.map(|f| f.name), Some("Ghid _drepturi_ _2026_.pdf".to_owned()));
        assert_eq!(
            ResourceFile::pdf("../../etc/passwd", pdf.clone()).map(|f| f.name),
            Some("passwd.pdf".to_owned())
        );
        assert_eq!(ResourceFile::pdf("", pdf).map(|f| f.name), Some("resource.pdf".to_owned()));
        assert!(ResourceFile::pdf("fake.pdf", b"<html>".to_vec()).is_none());
    }

    fn resource(
        title: &str,
        uk: &str,
        topic: Topic,
        language: &str,
        audience: Audience,
    ) -> Resource {
        Resource {
            id: 1,
            locality_id: 1,
            organisation: Organisation {
                id: 1,
                locality_id: 1,
                slug: "o".into(),
                name: "O".into(),
                website: None,
                email: None,
            },
            title: Localized { ro: title.into(), uk: uk.into(), ..Default::default() },
            description: Localized::default(),
            file: None,
            url: "https://a.example.org".into(),
            language: language.into(),
            topic,
            audience,
            status: EventStatus::Published,
            review_note: String::new(),
            created_at: DateTime::<Utc>::MIN_UTC,
        }
    }

    #[test]
    fn words_are_found_in_any_language_without_case_or_diacritics() {
        let r = resource(
            "Școala de voluntari",
            "Школа волонтерів",
            Topic::EducationSkills,
            "multi",
            Audience::Ngos,
        );
        let find = |words: &str| ResourceFilter { words: words.into(), ..Default::default() };
        assert!(find("scoala VOLUNTARI").matches(&r));
        assert!(find("школа").matches(&r));
        assert!(!find("scoala primara").matches(&r));
        let only = ResourceFilter {
            topic: Some(Topic::EducationSkills),
            language: Some("uk".into()),
            audience: Some(Audience::Ngos),
            ..Default::default()
        };
        assert!(only.matches(&r), "a resource in several languages passes any language");
        assert!(!ResourceFilter { topic: Some(Topic::Employment), ..only.clone() }.matches(&r));
        let for_all = resource("Ghid", "", Topic::RightsLegal, "ro", Audience::Everyone);
        let youth = ResourceFilter { audience: Some(Audience::Youth), ..Default::default() };
        assert!(youth.matches(&for_all), "a resource for everyone is for the young too");
        let ro_only = ResourceFilter { language: Some("uk".into()), ..Default::default() };
        assert!(!ro_only.matches(&for_all));
    }
}
