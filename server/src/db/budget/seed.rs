//! The civic budget's demo: Bălți's 2026 edition, counted (fifteen proposals in four
//! languages, three refused with their reasons, 420 ballots of which 60 on paper), and a 2027
//! edition whose voting is open, dated from the moment the demo is loaded.

use super::setup::{
    document_key, insert_budget, insert_counted_ballots, insert_edition, insert_reviewed_project,
    CountedBallot, ReviewedProject,
};
use crate::db::{now, store_err, with_pool, BeginWrite, Db};
use app::model::budget::{BallotRule, OutcomeRule};
use app::model::civic_budget::{Channel, PhaseDates, DIRECTIONS};
use app::model::{LatLng, Localized};
use app::store::StoreResult;
use chrono::{DateTime, TimeDelta, TimeZone, Utc};

/// The demo's texts in Romanian, Russian, Ukrainian and English.
fn localized(t: [&str; 4]) -> Localized {
    Localized { ro: t[0].into(), ru: t[1].into(), uk: t[2].into(), en: t[3].into() }
}

/// Budget index, language, title, description, cost, direction, pin, mixed team, cohesion,
/// and for a refused proposal the public reason.
type DemoProposal = (
    usize,
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static str,
    Option<(f64, f64)>,
    bool,
    bool,
    Option<&'static str>,
);

const PROPOSALS_2026: &[DemoProposal] = &[
    (0, "ro", "Parc de joacă incluziv în cartierul Dacia", "Un loc de joacă accesibil copiilor cu dizabilități, cu leagăne adaptate și suprafață moale.\n\nÎntreținut de asociația de părinți din cartier.", 480_000, "green", Some((47.7745, 27.9190)), true, true, None),
    (0, "ru", "Освещение аллеи в парке Победы", "Светодиодные фонари вдоль главной аллеи парка, чтобы вечером было безопасно гулять.", 350_000, "green", Some((47.7605, 27.9301)), false, false, None),
    (0, "ro", "Piste pentru biciclete spre Universitate", "Trei kilometri de pistă marcată și separată între centru și Universitatea „Alecu Russo”.", 900_000, "sports", Some((47.7640, 27.9260)), false, false, None),
    (0, "uk", "Спортивний майданчик для всіх у Молодові", "Вуличні тренажери та майданчик для міні-футболу, відкриті для мешканців і переселенців.", 420_000, "sports", Some((47.7480, 27.9400)), true, true, None),
    (0, "ro", "Bibliotecă de cartier cu sală de lectură", "Renovarea sălii de lectură a filialei de bibliotecă din Pământeni și program prelungit.", 260_000, "cultural", Some((47.7700, 27.9050)), false, false, None),
    (0, "en", "Community garden on Ștefan cel Mare street", "Raised beds, a tool shed and water for neighbours, newcomers included, to grow vegetables together.", 150_000, "community_cohesion", Some((47.7620, 27.9285)), true, true, None),
    (0, "ro", "Bănci și coșuri de gunoi în scuaruri", "Cincizeci de bănci noi și coșuri de gunoi în scuarurile din centru.", 200_000, "green", None, false, false, None),
    (0, "ru", "Крытый каток у ледового дворца", "Строительство крытого катка у спортивного комплекса.", 1_900_000, "sports", Some((47.7580, 27.9200)), false, false, Some("Costul depășește suma bugetului civic și terenul nu aparține municipiului.")),
    (0, "ro", "Parcare cu plată în centru", "Parcometre pe străzile centrale.", 300_000, "other", None, false, false, Some("Nu ține de bugetul civic: parcarea este reglementată prin decizia consiliului.")),
    (0, "ro", "Festival de muzică pe malul lacului", "Un festival de vară de trei zile cu artiști locali.", 380_000, "cultural", Some((47.7550, 27.9450)), false, true, None),
    (1, "ro", "Cursuri de limba română pentru adulți", "Cursuri gratuite de seară, două niveluri, cu manuale și îngrijirea copiilor în timpul orelor.", 120_000, "romanian_courses", None, true, true, None),
    (1, "uk", "Консультації щодо роботи для переселенців", "Щотижневі консультації: вакансії, документи, права працівника, українською та російською.", 90_000, "labour_market", None, true, false, None),
    (1, "ru", "Социальное такси для пожилых людей", "Микроавтобус с подъёмником для поездок в поликлинику и соцучреждения.", 260_000, "social_services", None, false, false, None),
    (1, "ro", "Club de teme pentru copii", "Ajutor la teme după ore pentru copii localnici și refugiați, cu voluntari.", 80_000, "education", Some((47.7660, 27.9230)), true, true, None),
    (1, "en", "Welcome app for newcomers", "A mobile app listing every public service in four languages.", 200_000, "labour_market", None, false, false, Some("Agora și portalul primăriei oferă deja aceste informații în patru limbi.")),
];

const PROPOSALS_2027: &[DemoProposal] = &[
    (
        0,
        "ro",
        "Fântâni de apă potabilă în parcuri",
        "Șase fântâni de apă potabilă în parcurile orașului.",
        240_000,
        "green",
        Some((47.7610, 27.9295)),
        false,
        false,
        None,
    ),
    (
        0,
        "ru",
        "Пандусы у входов в поликлиники",
        "Пандусы и поручни у входов в три городские поликлиники.",
        310_000,
        "social_services",
        None,
        false,
        true,
        None,
    ),
    (
        0,
        "uk",
        "Нічне освітлення стадіону",
        "Прожектори, щоб стадіоном можна було користуватися ввечері.",
        520_000,
        "sports",
        Some((47.7575, 27.9210)),
        true,
        false,
        None,
    ),
    (
        0,
        "ro",
        "Atelier de teatru pentru adolescenți",
        "Un an de ateliere de teatru, cu un spectacol în patru limbi la final.",
        150_000,
        "cultural",
        None,
        true,
        true,
        None,
    ),
    (
        0,
        "en",
        "Shade trees along Independenței street",
        "Eighty young trees with watering for their first three summers.",
        400_000,
        "green",
        Some((47.7630, 27.9270)),
        false,
        false,
        None,
    ),
];

/// The 2026 edition's budgets (id, amount) and feasible projects (index, budget, id).
type Counted = (Vec<(i64, i64)>, Vec<(usize, i64, i64)>);

/// What the 2026 voters liked: a weight per feasible proposal, by index above.
const WEIGHTS_2026: &[u32] = &[9, 7, 4, 6, 5, 6, 8, 0, 0, 3, 9, 7, 5, 8, 0];

fn day(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 6, 0, 0).single().unwrap_or_default()
}

impl Db {
    /// Loads the civic budget's demo for `locality_id` unless it is there already.
    pub async fn load_budget_demo(&self, locality_id: i64) -> StoreResult<()> {
        let at = now();
        let dates_2026 = [
            day(2026, 3, 1),
            day(2026, 4, 1),
            day(2026, 6, 1),
            day(2026, 9, 1),
            day(2026, 10, 1),
            day(2026, 11, 1),
        ];
        let d = |days: i64| at + TimeDelta::days(days);
        let dates_2027 = [d(-40), d(-30), d(-15), d(-2), d(20), d(60)];
        with_pool!(self, |pool| {
            async {
                let mut tx = pool.begin_write().await.map_err(store_err)?;
                let exists: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM budget_editions WHERE locality_id = $1 AND slug = '2026'",
                )
                .bind(locality_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(store_err)?;
                if exists.is_some() {
                    return Ok(());
                }
                let editions = [
                    (
                        "2026",
                        [
                            "Bugetul civic 2026",
                            "Гражданский бюджет 2026",
                            "Громадський бюджет 2026",
                            "Civic budget 2026",
                        ],
                        "implementation",
                        dates_2026,
                        PROPOSALS_2026,
                    ),
                    (
                        "2027",
                        [
                            "Bugetul civic 2027",
                            "Гражданский бюджет 2027",
                            "Громадський бюджет 2027",
                            "Civic budget 2027",
                        ],
                        "voting",
                        dates_2027,
                        PROPOSALS_2027,
                    ),
                ];
                let mut ballots_for: Option<Counted> = None;
                let mut key_2026 = String::new();
                for (slug, title, phase, dates, proposals) in editions {
                    let key = document_key();
                    if slug == "2026" {
                        key_2026 = key.clone();
                    }
                    let title = localized(title);
                    let edition = insert_edition!(
                        tx,
                        locality_id,
                        slug,
                        title,
                        phase,
                        PhaseDates(dates),
                        &key,
                        16u8
                    )
                    .await
                    .map_err(store_err)?;
                    let budgets = [
                        (
                            ["Tot orașul", "Весь город", "Усе місто", "The whole city"],
                            2_000_000i64,
                            BallotRule::Knapsack { min_share_percent: 0 },
                            OutcomeRule::EqualShares,
                        ),
                        (
                            [
                                "Incluziune și coeziune",
                                "Инклюзия и сплочённость",
                                "Інклюзія та згуртованість",
                                "Inclusion and cohesion",
                            ],
                            400_000,
                            BallotRule::Approval { min_projects: 1, max_projects: 3 },
                            OutcomeRule::Greedy,
                        ),
                    ];
                    let mut budget_ids = Vec::new();
                    for (name, amount, rule, outcome) in budgets {
                        let name = localized(name);
                        let id = insert_budget!(tx, edition, name, amount, rule, outcome)
                            .await
                            .map_err(store_err)?;
                        budget_ids.push((id, amount));
                    }
                    let mut inserted = Vec::new();
                    for (n, p) in proposals.iter().enumerate() {
                        let (
                            budget,
                            lang,
                            title,
                            description,
                            cost,
                            direction,
                            pin,
                            mixed,
                            cohesion,
                            refused,
                        ) = *p;
                        debug_assert!(DIRECTIONS.contains(&direction));
                        let project = ReviewedProject {
                            budget_id: budget_ids[budget].0,
                            lang,
                            title,
                            description,
                            cost: u64::try_from(cost).unwrap_or(0),
                            at: pin.and_then(|(lat, lng)| LatLng::new(lat, lng).ok()),
                            direction,
                            mixed_team: mixed,
                            cohesion_actions: cohesion,
                            refused,
                            reason: "Fezabil; costul a fost verificat de direcția de resort.",
                            reviewed_at: dates[3],
                            created_at: dates[1],
                        };
                        let id = insert_reviewed_project!(tx, project).await.map_err(store_err)?;
                        if refused.is_none() {
                            inserted.push((n, budget_ids[budget].0, id));
                        }
                    }
                    if slug == "2026" {
                        ballots_for = Some((budget_ids, inserted));
                    }
                }
                // The 2026 ballots: each voter picks by the weights, in a fixed pseudo-random
                // order, what fits their budget's rule.
                if let Some((budgets, projects)) = ballots_for {
                    let mut seed: u64 = 2026;
                    let mut next = move || {
                        seed = seed
                            .wrapping_mul(6_364_136_223_846_793_005)
                            .wrapping_add(1_442_695_040_888_963_407);
                        (seed >> 33) as u32
                    };
                    let mut counted = Vec::new();
                    for voter in 0..420u32 {
                        let paper = voter % 7 == 0;
                        for (b, &(budget_id, amount)) in budgets.iter().enumerate() {
                            // About two voters in three also fill in the inclusion budget.
                            if b == 1 && next() % 3 == 0 {
                                continue;
                            }
                            let mut chosen: Vec<(i64, i64)> = Vec::new();
                            let mut total = 0i64;
                            for &(n, budget, id) in projects.iter().filter(|p| p.1 == budget_id) {
                                let cost = PROPOSALS_2026[n].4;
                                let likes = next() % 10 < WEIGHTS_2026[n];
                                let fits =
                                    if b == 0 { total + cost <= amount } else { chosen.len() < 3 };
                                if likes && fits && budget == budget_id {
                                    chosen.push((id, cost));
                                    total += cost;
                                }
                            }
                            if chosen.is_empty() {
                                continue;
                            }
                            counted.push(CountedBallot {
                                budget_id,
                                channel: if paper { Channel::Paper } else { Channel::Internet },
                                sheet: paper.then(|| format!("B{:04}", voter)),
                                // One identity document per voter, the same in both budgets, so that
                                // participants are counted once (as real ballots are).
                                document_hash: Some(super::ballots::document_hash(
                                    &key_2026,
                                    &format!("DEMO{voter:07}"),
                                )),
                                code: format!("DEMO{b}{voter:05}"),
                                total: u64::try_from(total).unwrap_or(0),
                                confirmed_at: dates_2026[3]
                                    + TimeDelta::minutes(i64::from(voter) * 97),
                                entered_by: None,
                                choices: chosen.iter().map(|(id, _)| *id).collect(),
                            });
                        }
                    }
                    insert_counted_ballots!(tx, &counted).await.map_err(store_err)?;
                }
                tx.commit().await.map_err(store_err)
            }
            .await
        })
    }
}

/// How far the demo's funded projects got, in the order the count funds them: status,
/// progress, share of the approved cost spent (per cent, once known), and milestones (day of
/// November 2026, language, text).
type DemoWork = (&'static str, i64, Option<i64>, &'static [(u32, &'static str, &'static str)]);

const WORKS_2026: &[DemoWork] = &[
    (
        "done",
        100,
        Some(96),
        &[
            (4, "ro", "Proiectul tehnic a fost aprobat de direcția de resort."),
            (12, "ro", "Au început lucrările; antreprenorul a fost ales prin licitație publică."),
            (27, "ro", "Lucrările s-au încheiat și obiectivul a fost dat în folosință."),
        ],
    ),
    (
        "in_progress",
        60,
        None,
        &[
            (6, "ro", "Contractul a fost semnat; echipamentele au fost comandate."),
            (20, "ru", "Установлена половина оборудования; работы продолжаются."),
        ],
    ),
    ("in_progress", 25, None, &[(18, "ro", "Au început lucrările pregătitoare.")]),
];

impl Db {
    /// Gives the demo's 2026 edition (in its implementation phase) the implementation of its
    /// funded projects, unless it has it already.
    pub async fn load_works_demo(&self, locality_id: i64) -> StoreResult<()> {
        let edition: Option<i64> = with_pool!(self, |pool| {
            sqlx::query_scalar(
                "SELECT e.id FROM budget_editions e WHERE e.locality_id = $1 AND e.slug = '2026' \
                 AND NOT EXISTS (SELECT 1 FROM budget_works w JOIN budget_proposals p ON p.id = w.proposal_id \
                 JOIN budget_budgets g ON g.id = p.budget_id WHERE g.edition_id = e.id)",
            )
            .bind(locality_id)
            .fetch_optional(pool)
            .await
        })
        .map_err(store_err)?;
        let Some(edition) = edition else { return Ok(()) };
        let funded = self.funded_projects(edition).await?;
        with_pool!(self, |pool| {
            async {
            let mut tx = pool.begin_write().await.map_err(store_err)?;
            let department: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM departments WHERE locality_id = $1 ORDER BY name LIMIT 1",
            )
            .bind(locality_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(store_err)?;
            for (n, id) in funded.iter().enumerate() {
                let (status, progress, spent, milestones) =
                    WORKS_2026.get(n).copied().unwrap_or(("planned", 0, None, &[]));
                let cost: i64 = sqlx::query_scalar(
                    "SELECT COALESCE(revised_cost, cost) FROM budget_proposals WHERE id = $1",
                )
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .map_err(store_err)?;
                sqlx::query(
                    "INSERT INTO budget_works (proposal_id, status, progress, department_id, actual_cost, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(status)
                .bind(progress)
                .bind(if status == "planned" { None } else { department })
                .bind(spent.map(|s| cost * s / 100))
                .bind(day(2026, 11, 28))
                .execute(&mut *tx)
                .await
                .map_err(store_err)?;
                for (on, lang, body) in milestones {
                    sqlx::query(
                        "INSERT INTO budget_milestones (proposal_id, happened_on, lang, body, created_at) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(id)
                    .bind(format!("2026-11-{on:02}"))
                    .bind(lang)
                    .bind(body)
                    .bind(day(2026, 11, *on))
                    .execute(&mut *tx)
                    .await
                    .map_err(store_err)?;
                }
            }
            tx.commit().await.map_err(store_err)
        }
        .await
        })
    }
}
