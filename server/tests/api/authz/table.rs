//! The classification of every server function, and how to call each staff function in a
//! locality.

use crate::helpers::{Multipart, Req};

/// Anyone may call these (reads, and the citizen-facing writes that check their own input).
pub(super) const PUBLIC: &[&str] = &[
    "/api/site/context",
    "/api/map/features",
    "/api/map/reports",
    "/api/map/in-view",
    "/api/reports/get",
    "/api/reports/list",
    "/api/reports/nearby",
    "/api/reports/create",
    "/api/reports/subscribe",
    "/api/reports/subscription/confirm",
    // The mailed token is the key ("is it fixed?"; tests in fixed.rs).
    "/api/reports/fixed",
    "/api/reports/fixed/answer",
    "/api/alerts/create",
    "/api/announcements/list",
    "/api/alerts/confirm",
    "/api/auth/viewer",
    "/api/auth/signup",
    "/api/auth/confirm",
    "/api/auth/login",
    "/api/auth/logout",
    // Ends only the caller's own visit (tests in kiosk.rs).
    "/api/kiosk/reset",
    "/api/auth/forgot",
    "/api/auth/reset",
    "/api/auth/link",
    "/api/auth/link-signin",
    "/api/initiatives/list",
    "/api/initiatives/get",
    "/api/polls/list",
    "/api/polls/get",
    "/api/statistics/get",
    "/api/statistics/year",
    "/api/open-data/facts",
    "/api/budget/editions",
    "/api/budget/places",
    "/api/budget/edition",
    "/api/budget/results",
    "/api/budget/indicators",
    // Anonymous visitors get "nothing to say" (tests in inclusion.rs).
    "/api/budget/about-me",
    // "Not signed in" for anonymous visitors (tests in follows.rs).
    "/api/follows/state",
    "/api/events/list",
    "/api/events/get",
    // What the viewer may do on the calendar: nothing for visitors (tests in events.rs).
    "/api/events/desk",
    // The directory is read without an account; the desk is empty for visitors (tests in
    // services.rs).
    "/api/services/find",
    "/api/services/get",
    "/api/services/desk",
    "/api/resources/list",
    // Nothing for visitors (tests in resources.rs).
    "/api/resources/desk",
    // Published issues for everyone, drafts for the locality's staff only (tests in
    // newsletters.rs); subscribing by address confirms by the mailed token.
    "/api/newsletters/list",
    "/api/newsletters/get",
    "/api/newsletters/subscribe",
    "/api/newsletters/confirm",
    // Published surveys for everyone, drafts and private results for the locality's staff
    // only; answering checks the survey's own rules (tests in surveys.rs).
    "/api/surveys/list",
    "/api/surveys/get",
    "/api/surveys/results",
    "/api/surveys/answer",
];

/// A signed-in person acting on their own behalf.
pub(super) const SIGNED_IN: &[&str] = &[
    "/api/newsletters/unsubscribe",
    "/api/reports/support",
    "/api/reports/comment",
    "/api/auth/logout-everywhere",
    "/api/account/profile",
    "/api/account/update",
    "/api/account/delete",
    "/api/account/password",
    "/api/account/votes",
    "/api/initiatives/create",
    "/api/initiatives/support",
    "/api/initiatives/withdraw",
    "/api/polls/vote",
    "/api/budget/propose",
    "/api/budget/ballot/add",
    "/api/budget/ballot/remove",
    "/api/budget/ballot/confirm",
    "/api/budget/about-me/save",
    "/api/follows/follow",
    "/api/follows/unfollow",
];

/// Managing subscriptions: the owner, signed in or holding the token of a message sent to them.
pub(super) const OWNER_OR_TOKEN: &[&str] =
    &["/api/subscriptions/list", "/api/subscriptions/remove"];

/// A staff function: how to call it, and the account that holds the right role for it.
pub(super) struct Guarded {
    pub(super) path: &'static str,
    pub(super) allowed: &'static str,
    pub(super) request: fn(&Ids) -> Req,
}

/// What the calls of one locality act on.
pub(super) struct Ids {
    /// The locality's slug, as forms and queries name it.
    pub(super) locality: &'static str,
    /// A draft of the quarterly newsletter.
    pub(super) draft_newsletter: String,
    /// A report its staff member may handle.
    pub(super) green_report: String,
    pub(super) comment: String,
    /// A grant its administrator may revoke.
    pub(super) grant: String,
    pub(super) initiative: String,
    /// A point inside its boundary.
    pub(super) pin: (&'static str, &'static str),
    /// An API key its administrator may revoke.
    pub(super) api_key: String,
    /// The demo's 2027 civic-budget edition (voting), its first budget and a project on it.
    pub(super) budget_edition: String,
    pub(super) budget: String,
    pub(super) budget_project: String,
    /// A funded project being implemented.
    pub(super) work_project: String,
    /// An edition in its information phase, which may still get budgets.
    pub(super) open_edition: String,
    /// An organisation of its NGO network, the id of an account acting for it, and an event
    /// it proposed.
    pub(super) organisation: String,
    pub(super) organisation_member: String,
    pub(super) proposed_event: String,
    /// A service of its directory kept by staff, and a change an NGO proposed.
    pub(super) service: String,
    pub(super) service_change: String,
    /// A resource its NGO proposed.
    pub(super) proposed_resource: String,
    /// A draft survey.
    pub(super) survey: String,
}

pub(super) fn form(path: &str, fields: &[(&str, &str)]) -> Req {
    Req::form(path, fields)
}

/// A two-project, two-ballot Pabulib file.
const SMALL_PB: &str = "META\nkey;value\ndescription;Test\ncountry;Moldova\nunit;Test\n\
    instance;2024\nnum_projects;2\nnum_votes;2\nbudget;100\nvote_type;approval\nrule;greedy\n\
    date_begin;2024\ndate_end;2024\nPROJECTS\nproject_id;cost;name\n1;60;Bănci\n2;50;Felinare\n\
    VOTES\nvoter_id;vote\n1;1\n2;1,2\n";

/// The edition form: Romanian title and the six phases' start dates.
fn edition_fields(edition: &str) -> [(&str, &str); 12] {
    [
        ("edition_id", edition),
        ("title_ro", "Bugetul civic"),
        ("title_ru", ""),
        ("title_uk", ""),
        ("title_en", ""),
        ("information_from", "2026-01-01T00:00"),
        ("proposals_from", "2026-02-01T00:00"),
        ("review_from", "2026-03-01T00:00"),
        ("voting_from", "2026-04-01T00:00"),
        ("results_from", "2999-01-01T00:00"),
        ("implementation_from", "2999-02-01T00:00"),
        ("lang", "ro"),
    ]
}

/// The NGO network's secretariat in Bălți (the public relations department's staff); in
/// Sîngerei, which names no secretariat department, any staff member.
pub(super) const SECRETARIAT: &str = "relatii.publice@balti.demo";

pub(super) const GUARDED: &[Guarded] = &[
    Guarded {
        path: "/api/newsletters/save",
        allowed: SECRETARIAT,
        request: |ids| {
            form(
                "/api/newsletters/save",
                &[
                    ("id", ""),
                    ("year", "2027"),
                    ("quarter", "1"),
                    ("title_ro", "Rețeaua în iarnă"),
                    ("title_ru", ""),
                    ("title_uk", ""),
                    ("title_en", ""),
                    (
                        "body_ro",
                        "Ce au făcut organizațiile rețelei în primele trei luni ale anului.",
                    ),
                    ("body_ru", ""),
                    ("body_uk", ""),
                    ("body_en", ""),
                    ("locality", ids.locality),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/newsletters/publish",
        allowed: SECRETARIAT,
        request: |ids| {
            form(
                "/api/newsletters/publish",
                &[("id", &ids.draft_newsletter), ("locality", ids.locality), ("lang", "ro")],
            )
        },
    },
    Guarded {
        path: "/api/resources/propose",
        allowed: SECRETARIAT,
        request: |ids| {
            Req::multipart_fields(
                "/api/resources/propose",
                &[
                    ("organisation", &ids.organisation),
                    ("title_ro", "Ghid de drepturi"),
                    ("title_ru", ""),
                    ("title_uk", ""),
                    ("title_en", ""),
                    ("description_ro", "Un ghid despre drepturile locatarilor."),
                    ("description_ru", ""),
                    ("description_uk", ""),
                    ("description_en", ""),
                    ("url", "https://ghid.example.org"),
                    ("language", "ro"),
                    ("topic", "rights_legal"),
                    ("audience", "everyone"),
                    ("locality", ids.locality),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/resources/review",
        allowed: SECRETARIAT,
        request: |ids| {
            form(
                "/api/resources/review",
                &[
                    ("id", &ids.proposed_resource),
                    ("decision", "publish"),
                    ("note", ""),
                    ("locality", ids.locality),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/services/save",
        allowed: "spatii.verzi@balti.demo",
        request: |ids| {
            form(
                "/api/services/save",
                &[
                    ("id", ""),
                    ("organisation", ""),
                    ("provider", "Primăria"),
                    ("category", "health"),
                    ("name_ro", "Cabinet medical"),
                    ("name_ru", ""),
                    ("name_uk", ""),
                    ("name_en", ""),
                    ("description_ro", "Consultații gratuite pentru toți locuitorii."),
                    ("description_ru", ""),
                    ("description_uk", ""),
                    ("description_en", ""),
                    ("eligibility_ro", ""),
                    ("eligibility_ru", ""),
                    ("eligibility_uk", ""),
                    ("eligibility_en", ""),
                    ("address", "str. Independenței 1"),
                    ("lat", ids.pin.0),
                    ("lng", ids.pin.1),
                    ("hours", "mo-fr 08:00-17:00"),
                    ("speaks_ro", "on"),
                    ("free", "on"),
                    ("audience", "everyone"),
                    ("phone", ""),
                    ("email", ""),
                    ("website", ""),
                    ("locality", ids.locality),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/services/review",
        allowed: "spatii.verzi@balti.demo",
        request: |ids| {
            form(
                "/api/services/review",
                &[
                    ("id", &ids.service_change),
                    ("decision", "approve"),
                    ("note", ""),
                    ("locality", ids.locality),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/services/confirm",
        allowed: "spatii.verzi@balti.demo",
        request: |ids| {
            form(
                "/api/services/confirm",
                &[("id", &ids.service), ("locality", ids.locality), ("lang", "ro")],
            )
        },
    },
    Guarded {
        path: "/api/services/remove",
        allowed: "spatii.verzi@balti.demo",
        request: |ids| {
            form(
                "/api/services/remove",
                &[("id", &ids.service), ("locality", ids.locality), ("lang", "ro")],
            )
        },
    },
    Guarded {
        path: "/api/events/propose",
        allowed: SECRETARIAT,
        request: |ids| {
            form(
                "/api/events/propose",
                &[
                    ("organisation", &ids.organisation),
                    ("title_ro", "Atelier de desen"),
                    ("title_ru", ""),
                    ("title_uk", ""),
                    ("title_en", ""),
                    ("description_ro", "Un atelier de desen pentru copii și părinți."),
                    ("description_ru", ""),
                    ("description_uk", ""),
                    ("description_en", ""),
                    ("starts", "2999-06-01T10:00"),
                    ("ends", "2999-06-01T12:00"),
                    ("place", "Biblioteca municipală"),
                    ("lat", ids.pin.0),
                    ("lng", ids.pin.1),
                    ("online_url", ""),
                    ("language", "ro"),
                    ("audience", "families"),
                    ("category", "culture"),
                    ("locality", ids.locality),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/events/review",
        allowed: SECRETARIAT,
        request: |ids| {
            form(
                "/api/events/review",
                &[
                    ("id", &ids.proposed_event),
                    ("decision", "publish"),
                    ("note", ""),
                    ("locality", ids.locality),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/organisations/list",
        allowed: "admin@balti.demo",
        request: |ids| Req::get(&format!("/api/organisations/list?locality={}", ids.locality)),
    },
    Guarded {
        path: "/api/organisations/create",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/organisations/create",
                &[
                    ("name", "Clubul de șah"),
                    ("slug", "clubul-de-sah"),
                    ("website", ""),
                    ("email", ""),
                    ("locality", ids.locality),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/organisations/add-member",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/organisations/add-member",
                &[
                    ("organisation", &ids.organisation),
                    ("email", "cetatean@balti.demo"),
                    ("locality", ids.locality),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/organisations/remove-member",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/organisations/remove-member",
                &[
                    ("organisation", &ids.organisation),
                    ("user", &ids.organisation_member),
                    ("locality", ids.locality),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/budget/edition/save",
        allowed: "admin@balti.demo",
        request: |ids| form("/api/budget/edition/save", &edition_fields(&ids.open_edition)),
    },
    Guarded {
        path: "/api/budget/budget/add",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/budget/budget/add",
                &[
                    ("edition_id", &ids.open_edition),
                    ("name_ro", "Tot orașul"),
                    ("name_ru", ""),
                    ("name_uk", ""),
                    ("name_en", ""),
                    ("amount", "100000"),
                    ("ballot_rule", "knapsack"),
                    ("outcome_rule", "greedy"),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/budget/import",
        allowed: "admin@balti.demo",
        request: |ids| {
            Req::multipart(
                "/api/budget/import",
                Multipart::new().text("edition_id", &ids.budget_edition).text("lang", "ro").file(
                    "file",
                    "test.pb",
                    "text/plain",
                    SMALL_PB.as_bytes(),
                ),
            )
        },
    },
    Guarded {
        path: "/api/budget/review",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/budget/review",
                &[
                    ("proposal_id", &ids.budget_project),
                    ("feasible", "yes"),
                    ("reason", "Verificat de direcție."),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/budget/phase",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/budget/phase",
                &[("edition_id", &ids.budget_edition), ("phase", "voting"), ("lang", "ro")],
            )
        },
    },
    Guarded {
        path: "/api/budget/work",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/budget/work",
                &[
                    ("proposal_id", &ids.work_project),
                    ("status", "in_progress"),
                    ("progress", "30"),
                    ("department_id", ""),
                    ("actual_cost", ""),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/budget/milestone",
        allowed: "admin@balti.demo",
        request: |ids| {
            Req::multipart(
                "/api/budget/milestone",
                Multipart::new()
                    .text("proposal_id", &ids.work_project)
                    .text("on", "2026-05-01")
                    .text("body", "Contractul a fost semnat.")
                    .text("lang", "ro"),
            )
        },
    },
    Guarded {
        path: "/api/budget/paper",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/budget/paper",
                &[
                    ("budget_id", &ids.budget),
                    ("sheet", "P-1"),
                    ("document", "2000111122223"),
                    ("choices[0]", &ids.budget_project),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/reports/status",
        allowed: "spatii.verzi@balti.demo",
        request: |ids| {
            form(
                "/api/reports/status",
                &[
                    ("report_id", &ids.green_report),
                    ("status", ""),
                    ("department_id", ""),
                    ("duplicate_of", ""),
                    ("body", "Am preluat."),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/reports/bulk-status",
        allowed: "spatii.verzi@balti.demo",
        request: |ids| {
            form(
                "/api/reports/bulk-status",
                &[
                    ("ids[0]", &ids.green_report),
                    ("status", ""),
                    ("department_id", ""),
                    ("body", "Am preluat."),
                    ("lang", "ro"),
                    ("locality", ids.locality),
                ],
            )
        },
    },
    Guarded {
        path: "/api/reports/location",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/reports/location",
                &[
                    ("report_id", &ids.green_report),
                    ("lat", ids.pin.0),
                    ("lng", ids.pin.1),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/reports/moderate",
        allowed: "moderator@balti.demo",
        request: |ids| {
            form(
                "/api/reports/moderate",
                &[
                    ("kind", "comment"),
                    ("id", &ids.comment),
                    ("hide", "true"),
                    ("reason", "Spam evident"),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/staff/queue",
        allowed: "spatii.verzi@balti.demo",
        request: |ids| Req::get(&format!("/api/staff/queue?locality={}", ids.locality)),
    },
    Guarded {
        path: "/api/initiatives/awaiting",
        allowed: "spatii.verzi@balti.demo",
        request: |ids| Req::get(&format!("/api/initiatives/awaiting?locality={}", ids.locality)),
    },
    Guarded {
        path: "/api/initiatives/answer",
        allowed: "spatii.verzi@balti.demo",
        request: |ids| {
            form(
                "/api/initiatives/answer",
                &[
                    ("id", &ids.initiative),
                    ("answer", "Primăria analizează propunerea împreună cu proprietarul clădirii."),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/initiatives/moderate",
        allowed: "moderator@balti.demo",
        request: |ids| {
            form(
                "/api/initiatives/moderate",
                &[
                    ("id", &ids.initiative),
                    ("hide", "true"),
                    ("reason", "Conținut duplicat"),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/announcements/create",
        allowed: "spatii.verzi@balti.demo",
        request: |ids| {
            form(
                "/api/announcements/create",
                &[
                    ("title_ro", "Apa se oprește pe strada Independenței"),
                    ("title_ru", ""),
                    ("title_uk", ""),
                    ("title_en", ""),
                    ("body_ro", "Lucrări la rețeaua de apă între orele 9 și 17."),
                    ("body_ru", ""),
                    ("body_uk", ""),
                    ("body_en", ""),
                    ("scope", "locality"),
                    ("valid_from", "2030-01-01T09:00"),
                    ("valid_until", "2030-01-01T17:00"),
                    ("locality", ids.locality),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/surveys/save",
        allowed: "spatii.verzi@balti.demo",
        request: |ids| {
            Req::multipart_fields(
                "/api/surveys/save",
                &[
                    ("survey_id", ""),
                    ("title_ro", "Nevoile familiilor refugiate"),
                    ("opens", "2999-03-01T09:00"),
                    ("closes", "2999-04-01T18:00"),
                    ("respondents", "once_per_person"),
                    ("s0_kind", "single"),
                    ("s0_prompt_ro", "Aveți nevoie de cursuri de limbă?"),
                    ("s0_options_ro", "Da\nNu"),
                    ("locality", ids.locality),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/surveys/ngo-setting",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/surveys/ngo-setting",
                &[("allowed", "true"), ("locality", ids.locality), ("lang", "ro")],
            )
        },
    },
    Guarded {
        path: "/api/surveys/publish",
        allowed: "spatii.verzi@balti.demo",
        request: |ids| {
            form(
                "/api/surveys/publish",
                &[("id", &ids.survey), ("locality", ids.locality), ("lang", "ro")],
            )
        },
    },
    Guarded {
        path: "/api/surveys/results-public",
        allowed: "spatii.verzi@balti.demo",
        request: |ids| {
            form(
                "/api/surveys/results-public",
                &[
                    ("id", &ids.survey),
                    ("public", "true"),
                    ("locality", ids.locality),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/polls/create",
        allowed: "spatii.verzi@balti.demo",
        request: |ids| {
            form(
                "/api/polls/create",
                &[
                    ("question_ro", "Unde să plantăm copaci în primăvară?"),
                    ("question_ru", ""),
                    ("question_uk", ""),
                    ("question_en", ""),
                    ("description_ro", ""),
                    ("description_ru", ""),
                    ("description_uk", ""),
                    ("description_en", ""),
                    ("options_ro", "Strada Independenței\nParcul Central"),
                    ("options_ru", ""),
                    ("options_uk", ""),
                    ("options_en", ""),
                    ("links", ""),
                    ("max_choices", "1"),
                    ("opens_at", "2026-03-01T09:00"),
                    ("closes_at", "2026-04-01T18:00"),
                    ("lang", "ro"),
                    ("locality", ids.locality),
                ],
            )
        },
    },
    Guarded {
        path: "/api/admin/overview",

        allowed: "admin@balti.demo",
        request: |ids| Req::get(&format!("/api/admin/overview?locality={}", ids.locality)),
    },
    Guarded {
        path: "/api/admin/grant",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/admin/grant",
                &[
                    ("email", "cetatean@balti.demo"),
                    ("role", "moderator"),
                    ("department_id", ""),
                    ("locality", ids.locality),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/open-data/keys",
        allowed: "admin@balti.demo",
        request: |ids| Req::get(&format!("/api/open-data/keys?locality={}", ids.locality)),
    },
    Guarded {
        path: "/api/open-data/keys/issue",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/open-data/keys/issue",
                &[("name", "Client"), ("locality", ids.locality), ("lang", "ro")],
            )
        },
    },
    Guarded {
        path: "/api/open-data/keys/revoke",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/open-data/keys/revoke",
                &[("key_id", &ids.api_key), ("locality", ids.locality), ("lang", "ro")],
            )
        },
    },
    Guarded {
        path: "/api/admin/revoke",
        allowed: "admin@balti.demo",
        request: |ids| form("/api/admin/revoke", &[("grant_id", &ids.grant), ("lang", "ro")]),
    },
    Guarded {
        path: "/api/admin/department",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/admin/department",
                &[
                    ("id", ""),
                    ("name", "Direcția drumuri noi"),
                    ("locality", ids.locality),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/admin/category",
        allowed: "admin@balti.demo",
        request: |ids| {
            form(
                "/api/admin/category",
                &[
                    ("id", ""),
                    ("slug", "snow"),
                    ("name_ro", "Deszăpezire"),
                    ("name_ru", ""),
                    ("name_uk", ""),
                    ("name_en", "Snow"),
                    ("icon", "road"),
                    ("color", "#336699"),
                    ("active", "on"),
                    ("locality", ids.locality),
                    ("lang", "ro"),
                ],
            )
        },
    },
    Guarded {
        path: "/api/admin/audit",
        allowed: "admin@balti.demo",
        request: |ids| Req::get(&format!("/api/admin/audit?locality={}", ids.locality)),
    },
    Guarded {
        path: "/api/admin/outbox",
        allowed: "operator@agora.demo",
        request: |_| Req::get("/api/admin/outbox"),
    },
    Guarded {
        path: "/api/admin/localities",
        allowed: "operator@agora.demo",
        request: |_| Req::get("/api/admin/localities"),
    },
    Guarded {
        path: "/api/admin/locality",
        allowed: "operator@agora.demo",
        request: |_| form("/api/admin/locality", &[("json", SINGEREI_UPDATE), ("lang", "ro")]),
    },
    Guarded {
        path: "/api/kiosk/start",
        allowed: "spatii.verzi@balti.demo",
        request: |ids| {
            form("/api/kiosk/start", &[("idle", "90"), ("locality", ids.locality), ("lang", "ro")])
        },
    },
    Guarded {
        path: "/api/kiosk/stop",
        allowed: "spatii.verzi@balti.demo",
        request: |ids| form("/api/kiosk/stop", &[("locality", ids.locality), ("lang", "ro")]),
    },
];

/// Guarded functions that end the caller's session when they succeed (a screen switched to
/// kiosk mode is handed over signed out): the matrix signs that person in again after them.
pub(super) const SIGNS_OUT: &[&str] = &["/api/kiosk/start"];

pub(super) const SINGEREI_UPDATE: &str = r#"{"slug":"singerei","name":{"ro":"Sîngerei","ru":"Сынжерей","uk":"Синжерей","en":"Sîngerei"},"centre":[47.6395,28.1426],"zoom":14,"boundary":[[47.653,28.125],[47.652,28.16],[47.627,28.158]],"categories":[]}"#;
