//! Sîngerei's part of the demo data: the second locality's own reports (its boundary,
//! categories and staff come from `docs/examples/singerei.json`).

/// Sîngerei, the second locality of the demo: its own site, staff and a few reports.
pub(super) const SINGEREI: &str = include_str!("../../../docs/examples/singerei.json");

/// A demo report of Sîngerei, filed `days_ago` before the data is loaded.
pub(super) struct SmallTownReport {
    pub(super) category: &'static str,
    pub(super) title: &'static str,
    pub(super) description: &'static str,
    pub(super) at: (f64, f64),
    pub(super) address: &'static str,
    pub(super) status: &'static str,
    pub(super) days_ago: i64,
}

/// Sîngerei's demo reports.
pub(super) const SINGEREI_REPORTS: &[SmallTownReport] = &[
    SmallTownReport {
        category: "roads",
        title: "Groapă adâncă pe strada Independenței",
        description:
            "O groapă mare în carosabil, lângă stația de autobuz; mașinile o ocolesc pe contrasens.",
        at: (47.6402, 28.1431),
        address: "str. Independenței, lângă stația de autobuz",
        status: "new",
        days_ago: 3,
    },
    SmallTownReport {
        category: "street-lighting",
        title: "Felinare stinse în parcul central",
        description: "Patru felinare din parcul central nu se mai aprind seara de o săptămână.",
        at: (47.6381, 28.1398),
        address: "Parcul central",
        status: "accepted",
        days_ago: 12,
    },
    SmallTownReport {
        category: "water-sewerage",
        title: "Capac de canalizare lipsă",
        description: "Lipsește capacul unei guri de canal pe trotuar, periculos pentru copii.",
        at: (47.6455, 28.1502),
        address: "str. Bălți 14",
        status: "accepted",
        days_ago: 20,
    },
    SmallTownReport {
        category: "other",
        title: "Bancă ruptă lângă primărie",
        description: "Una dintre băncile din fața primăriei are scândurile rupte.",
        at: (47.6368, 28.1447),
        address: "Piața centrală",
        status: "resolved",
        days_ago: 40,
    },
];
