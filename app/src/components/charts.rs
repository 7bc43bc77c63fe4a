//! Charts drawn on the server as SVG: no script, nothing in any browser bundle. Each is an image
//! with a title and a description that say what it shows, and every figure in it is also in
//! the table the page puts beside it. Colours come from classes (the Content-Security-Policy
//! allows no inline styles), so that status colours match the rest of the site.

use leptos::prelude::*;

/// The drawing's width in SVG units; it scales to its container.
const WIDTH: f64 = 640.0;

/// One bar: what it is, how long it is, what it says, and its colour class.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// The value as written for people (formatted for the page's language).
    pub shown: String,
    /// A CSS class for its colour, e.g. `bar--resolved`.
    pub class: String,
}

/// Horizontal bars, each label above its bar: long category names need no room at the side,
/// which keeps the chart readable on a 360-pixel phone.
#[component]
pub fn BarChart(
    /// A unique id for the title and description.
    id: String,
    title: String,
    /// One sentence that states the chart's main point, for screen readers.
    summary: String,
    bars: Vec<Bar>,
) -> impl IntoView {
    let row = 46.0;
    let height = (bars.len() as f64 * row).max(row);
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max).max(1e-9);
    let (title_id, desc_id) = (format!("{id}-title"), format!("{id}-desc"));
    let labelled_by = format!("{title_id} {desc_id}");
    let bars = bars
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let y = i as f64 * row;
            let width = ((b.value / max) * (WIDTH - 90.0)).max(if b.value > 0.0 { 2.0 } else { 0.0 });
            let width = (width * 10.0).round() / 10.0;
            view! {
                <g class="chart__row">
                    <text class="chart__label" x="0" y=y + 15.0>{b.label.clone()}</text>
                    <rect class=format!("chart__bar {}", b.class) x="0" y=y + 21.0 width=width height="16" rx="2">
                        <title>{format!("{}: {}", b.label, b.shown)}</title>
                    </rect>
                    <text class="chart__value" x=width + 6.0 y=y + 34.0>{b.shown.clone()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img"
            aria-labelledby=labelled_by
            viewBox=format!("0 0 {WIDTH} {height}") preserveAspectRatio="xMinYMin meet">
            <title id=title_id>{title}</title>
            <desc id=desc_id>{summary}</desc>
            {bars}
        </svg>
    }
}

/// One column of a stacked column chart: its label and its parts, bottom first.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub label: String,
    /// `(value, class, what it is)`.
    pub parts: Vec<(f64, String, String)>,
}

/// Columns stacked by part (reports per month, by status), with the column total above each.
#[component]
pub fn StackedColumns(
    id: String,
    title: String,
    summary: String,
    columns: Vec<Column>,
) -> impl IntoView {
    let height = 220.0;
    let plot = height - 40.0;
    let n = columns.len().max(1) as f64;
    let step = WIDTH / n;
    let width = (step * 0.7).clamp(3.0, 48.0);
    let max = columns
        .iter()
        .map(|c| c.parts.iter().map(|p| p.0).sum::<f64>())
        .fold(0.0_f64, f64::max)
        .max(1e-9);
    // Label every column when they fit, else every few.
    let every = (n / 12.0).ceil().max(1.0) as usize;
    let (title_id, desc_id) = (format!("{id}-title"), format!("{id}-desc"));
    let labelled_by = format!("{title_id} {desc_id}");
    let columns = columns
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let x = i as f64 * step + (step - width) / 2.0;
            let total: f64 = c.parts.iter().map(|p| p.0).sum();
            let mut top = plot;
            let parts = c
                .parts
                .iter()
                .filter(|p| p.0 > 0.0)
                .map(|(value, class, what)| {
                    let h = ((value / max) * (plot - 16.0) * 10.0).round() / 10.0;
                    top -= h;
                    view! {
                        <rect class=format!("chart__bar {class}") x=x y=top width=width height=h>
                            <title>{format!("{} · {what}: {value}", c.label)}</title>
                        </rect>
                    }
                })
                .collect_view();
            let label = (i % every == 0).then(|| {
                view! {
                    <text class="chart__axis" x=x + width / 2.0 y=height - 18.0 text-anchor="middle">
                        {c.label.clone()}
                    </text>
                }
            });
            view! {
                <g class="chart__column">
                    {parts}
                    {(total > 0.0).then(|| view! {
                        <text class="chart__value" x=x + width / 2.0 y=top - 4.0 text-anchor="middle">{total}</text>
                    })}
                    {label}
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img"
            aria-labelledby=labelled_by
            viewBox=format!("0 0 {WIDTH} {height}") preserveAspectRatio="xMinYMin meet">
            <title id=title_id>{title}</title>
            <desc id=desc_id>{summary}</desc>
            <line class="chart__baseline" x1="0" x2=WIDTH y1=plot y2=plot />
            {columns}
        </svg>
    }
}

/// The colour key of a chart: a swatch (a class) and what it stands for.
#[component]
pub fn Legend(items: Vec<(String, String)>) -> impl IntoView {
    view! {
        <ul class="chart-legend">
            {items.into_iter().map(|(class, label)| view! {
                <li><span class=format!("chart-legend__swatch {class}") aria-hidden="true"></span>{label}</li>
            }).collect_view()}
        </ul>
    }
}
