//! A report's chart, drawn as SVG by hand: bars or lines over labelled groups, a value
//! axis with round steps, a legend, and a title and description a screen reader reads
//! (the table under the chart holds every figure too).
//!
//! Hand-drawn rather than a charting crate: the two shapes reports need are a few dozen
//! lines each, the colours follow the theme through CSS variables (a crate rendering to
//! a string fixes them), and the UI's wasm stays small (#17).

use plumbline_domain::api::{Chart, ChartShape, Measure};
use yew::prelude::*;

/// The drawing's width: a chart beside another, and a chart alone on its row (drawn
/// wider rather than scaled up, so its lettering stays the size of its neighbours').
const WIDTH: f64 = 640.0;
const WIDE: f64 = 1280.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 72.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
/// Room under the plot for the group labels: more when they are slanted.
const BOTTOM: f64 = 28.0;
const BOTTOM_SLANTED: f64 = 86.0;
const HOUR: i64 = 3_600;
const DAY: i64 = 24 * HOUR;
/// Value-axis steps drawn.
const STEPS: usize = 4;

#[derive(Properties, PartialEq)]
pub struct ChartViewProps {
    pub chart: Chart,
    pub currency: AttrValue,
    pub testid: AttrValue,
    /// Alone on its row: drawn across the whole width.
    #[prop_or_default]
    pub wide: bool,
}

#[function_component]
pub fn ChartView(props: &ChartViewProps) -> Html {
    let chart = &props.chart;
    let title_id = format!("{}-title", props.testid);
    let slanted = chart.labels.len() > 8 || chart.labels.iter().any(|label| label.chars().count() > 12);
    let plot = Plot::new(chart, if slanted { BOTTOM_SLANTED } else { BOTTOM }, if props.wide { WIDE } else { WIDTH });
    let empty = chart.series.iter().all(|series| series.values.iter().all(Option::is_none));
    html! {
        <figure class="chart" data-testid={props.testid.clone()}>
            <figcaption>
                <span class="chart-title">{ &chart.title }</span>
                if chart.series.len() > 1 {
                    <span class="legend">
                        { for chart.series.iter().enumerate().map(|(i, series)| html! {
                            <span class="key"><span class={classes!("swatch", format!("series-{i}"))}></span>{ &series.name }</span>
                        }) }
                    </span>
                }
            </figcaption>
            if empty {
                <p class="muted chart-empty">{ "Nothing to chart in this period." }</p>
            } else {
                <svg viewBox={format!("0 0 {} {}", plot.width, plot.height)} role="img" aria-labelledby={title_id.clone()}>
                    <title id={title_id}>{ describe(chart, &props.currency) }</title>
                    { value_axis(&plot, chart.measure, &props.currency) }
                    { group_axis(&plot, &chart.labels, slanted) }
                    { match chart.shape {
                        ChartShape::Bars => bars(&plot, chart, &props.currency),
                        ChartShape::Lines => lines(&plot, chart, &props.currency),
                    } }
                </svg>
            }
        </figure>
    }
}

/// Where things go: the plot's box and its value scale.
struct Plot {
    width: f64,
    height: f64,
    bottom: f64,
    /// The value at the top of the axis.
    top_value: i64,
    groups: usize,
}

impl Plot {
    fn new(chart: &Chart, room_below: f64, width: f64) -> Self {
        let largest = chart.series.iter().flat_map(|s| s.values.iter().flatten()).copied().max().unwrap_or(0);
        // Steps round in the unit the axis is labelled in: days or hours, pounds, counts.
        let unit = match chart.measure {
            Measure::Duration if largest >= 2 * DAY => DAY,
            Measure::Duration => HOUR,
            Measure::Money => 100,
            Measure::Count | Measure::Share | Measure::Rating => 1,
        };
        let top_value = match chart.measure {
            Measure::Share => 1000,
            Measure::Rating => 50,
            Measure::Count | Measure::Duration | Measure::Money => round_up((largest.max(1) + unit - 1) / unit) * unit,
        };
        Self {
            width,
            height: HEIGHT + room_below - BOTTOM,
            bottom: HEIGHT - BOTTOM,
            top_value,
            groups: chart.labels.len().max(1),
        }
    }

    fn y(&self, value: i64) -> f64 {
        self.bottom - (self.bottom - TOP) * value as f64 / self.top_value as f64
    }

    fn group_width(&self) -> f64 {
        (self.width - LEFT - RIGHT) / self.groups as f64
    }

    fn group_centre(&self, group: usize) -> f64 {
        LEFT + self.group_width() * (group as f64 + 0.5)
    }
}

/// The next round number at or above `value` that `STEPS` round steps reach: each
/// step 1, 2, 2.5 or 5 times a power of ten.
fn round_up(value: i64) -> i64 {
    let needed = (value + STEPS as i64 - 1) / STEPS as i64;
    let mut power = 1i64;
    for _ in 0..18 {
        if let Some(step) = [power, power * 2, power * 5 / 2, power * 5].into_iter().find(|step| *step >= needed) {
            return step * STEPS as i64;
        }
        power *= 10;
    }
    value
}

fn value_axis(plot: &Plot, measure: Measure, currency: &str) -> Html {
    html! {
        <g class="axis">
            { for (0..=STEPS).map(|step| {
                let value = plot.top_value * step as i64 / STEPS as i64;
                let y = plot.y(value);
                html! {
                    <>
                        <line class="grid" x1={LEFT.to_string()} x2={(plot.width - RIGHT).to_string()} y1={y.to_string()} y2={y.to_string()} />
                        <text x={(LEFT - 6.0).to_string()} y={(y + 4.0).to_string()} text-anchor="end">{ axis_label(measure, value, currency) }</text>
                    </>
                }
            }) }
        </g>
    }
}

fn group_axis(plot: &Plot, labels: &[String], slanted: bool) -> Html {
    let y = plot.bottom + 16.0;
    html! {
        <g class="axis groups">
            { for labels.iter().enumerate().map(|(i, label)| {
                let x = plot.group_centre(i);
                if slanted {
                    html! { <text transform={format!("translate({x} {}) rotate(-35)", y - 6.0)} text-anchor="end">{ short(label) }</text> }
                } else {
                    html! { <text x={x.to_string()} y={y.to_string()} text-anchor="middle">{ label }</text> }
                }
            }) }
        </g>
    }
}

fn bars(plot: &Plot, chart: &Chart, currency: &str) -> Html {
    let series_count = chart.series.len().max(1) as f64;
    let bar_width = plot.group_width() * 0.72 / series_count;
    html! {
        <g class="bars">
            { for chart.series.iter().enumerate().flat_map(|(s, series)| {
                series.values.iter().enumerate().filter_map(move |(g, value)| {
                    let value = (*value)?;
                    let x = plot.group_centre(g) - bar_width * series_count / 2.0 + bar_width * s as f64;
                    let (top, bottom) = (plot.y(value.max(0)), plot.bottom);
                    let label = chart.labels.get(g).cloned().unwrap_or_default();
                    Some(html! {
                        <rect class={format!("series-{s}")} x={x.to_string()} y={top.to_string()}
                              width={(bar_width - 2.0).max(1.0).to_string()} height={(bottom - top).max(1.0).to_string()}>
                            <title>{ format!("{label} · {}: {}", series.name, chart.measure.show(value, currency)) }</title>
                        </rect>
                    })
                })
            }) }
        </g>
    }
}

fn lines(plot: &Plot, chart: &Chart, currency: &str) -> Html {
    html! {
        <g class="lines">
            { for chart.series.iter().enumerate().map(|(s, series)| {
                let points: Vec<(usize, i64)> =
                    series.values.iter().enumerate().filter_map(|(g, v)| v.map(|v| (g, v))).collect();
                html! {
                    <g class={format!("series-{s}")}>
                        { for runs(&points).into_iter().map(|run| html! {
                            <polyline points={run.iter().map(|(g, v)| format!("{},{}", plot.group_centre(*g), plot.y(*v))).collect::<Vec<_>>().join(" ")} />
                        }) }
                        { for points.iter().map(|(g, v)| {
                            let label = chart.labels.get(*g).cloned().unwrap_or_default();
                            html! {
                                <circle cx={plot.group_centre(*g).to_string()} cy={plot.y(*v).to_string()} r="3.5">
                                    <title>{ format!("{label} · {}: {}", series.name, chart.measure.show(*v, currency)) }</title>
                                </circle>
                            }
                        }) }
                    </g>
                }
            }) }
        </g>
    }
}

/// The unbroken runs of neighbouring points: a month with nothing measured is a gap.
fn runs(points: &[(usize, i64)]) -> Vec<Vec<(usize, i64)>> {
    let mut runs: Vec<Vec<(usize, i64)>> = Vec::new();
    for point in points {
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|last| last.0 + 1 == point.0) => run.push(*point),
            _ => runs.push(vec![*point]),
        }
    }
    runs
}

/// An axis value, short: "40 h", "6 days", "£2.5k", "75%".
fn axis_label(measure: Measure, value: i64, currency: &str) -> String {
    let sign = plumbline_domain::money::currency_sign(currency);
    match measure {
        _ if value == 0 => "0".to_owned(),
        Measure::Duration if value >= 2 * DAY => format!("{} days", value / DAY),
        Measure::Duration => format!("{} h", value / HOUR),
        Measure::Share => format!("{}%", value / 10),
        Measure::Money if value >= 100_000 => {
            let hundreds = value / 10_000;
            if hundreds % 10 == 0 {
                format!("{sign}{}k", hundreds / 10)
            } else {
                format!("{sign}{}.{}k", hundreds / 10, hundreds % 10)
            }
        }
        Measure::Money => format!("{sign}{}", value / 100),
        Measure::Rating => format!("{}", value / 10),
        Measure::Count => measure.show(value, currency),
    }
}

/// A slanted label kept to a readable length.
fn short(label: &str) -> String {
    if label.chars().count() > 18 {
        format!("{}…", label.chars().take(17).collect::<String>())
    } else {
        label.to_owned()
    }
}

/// What the chart shows, in words, for a screen reader.
fn describe(chart: &Chart, currency: &str) -> String {
    let series: Vec<String> = chart
        .series
        .iter()
        .map(|series| {
            let values: Vec<String> = chart
                .labels
                .iter()
                .zip(&series.values)
                .filter_map(|(label, value)| value.map(|v| format!("{label} {}", chart.measure.show(v, currency))))
                .collect();
            format!("{}: {}", series.name, values.join(", "))
        })
        .collect();
    format!("{}. {}", chart.title, series.join(". "))
}
