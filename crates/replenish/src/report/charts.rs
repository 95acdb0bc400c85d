//! The report's charts as SVG text, drawn with `plotters` (no fonts or files
//! needed: the text is SVG `<text>` the browser sets). Titles are left to the page;
//! every chart has labelled axes with units, and a legend where it draws more than
//! one thing.

use super::data::{ForecastBand, SeriesChart};
use crate::error::{Error, Result};
use crate::kpi::{AccuracyPeriod, GroupKpi, MatrixCell, PeriodKpi};
use chrono::{Duration, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub const ACTUAL: RGBColor = RGBColor(34, 34, 34);
pub const FORECAST: RGBColor = RGBColor(31, 119, 180);
pub const BACKTEST: RGBColor = RGBColor(148, 103, 189);
pub const STOCKOUT: RGBColor = RGBColor(214, 39, 40);
pub const SAFETY: RGBColor = RGBColor(255, 127, 14);
pub const REORDER: RGBColor = RGBColor(214, 39, 40);
pub const ORDER_UP_TO: RGBColor = RGBColor(44, 160, 44);
pub const STOCK: RGBColor = RGBColor(52, 73, 94);
pub const GRID: RGBColor = RGBColor(232, 232, 232);
const FONT: &str = "sans-serif";
/// Font sizes as plotters takes them (it writes 1/1.24 of them into the SVG): 12 and 11 px.
const LABEL: f64 = 15.0;
const LEGEND: f64 = 14.0;

fn err<E: std::fmt::Display>(e: E) -> Error {
    Error::Internal(format!("drawing a chart: {e}"))
}

/// Renders into an SVG string; the drawing closure gets the whole area.
fn svg<F>(size: (u32, u32), draw: F) -> Result<String>
where
    F: FnOnce(&DrawingArea<SVGBackend, Shift>) -> std::result::Result<(), Box<dyn std::error::Error>>,
{
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, size).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        draw(&root).map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(buf)
}

/// How a legend entry is drawn.
#[derive(Clone, Copy)]
enum Mark {
    Line(RGBColor),
    Dashed(RGBColor),
    Band(RGBColor, f64),
    Cross(RGBColor),
    Triangle(RGBColor),
}

type Drawn = std::result::Result<Vec<(Mark, String)>, Box<dyn std::error::Error>>;

/// A chart with its legend in a panel on the right, where it never hides data.
fn with_legend<F>(size: (u32, u32), legend_width: u32, draw: F) -> Result<String>
where
    F: FnOnce(&DrawingArea<SVGBackend, Shift>) -> Drawn,
{
    svg(size, |root| {
        let (plot, side) = root.split_horizontally(size.0 - legend_width);
        let entries = draw(&plot)?;
        let font = (FONT, LEGEND).into_font().color(&ACTUAL).pos(Pos::new(HPos::Left, VPos::Center));
        for (k, (mark, text)) in entries.iter().enumerate() {
            let (x, y) = (4, 24 + 20 * k as i32);
            match *mark {
                Mark::Line(c) => side.draw(&PathElement::new(vec![(x, y), (x + 20, y)], line_style(c, 2)))?,
                Mark::Dashed(c) => side.draw(&plotters::element::DashedPathElement::new(
                    vec![(x, y), (x + 20, y)],
                    5,
                    3,
                    line_style(c, 2),
                ))?,
                Mark::Band(c, a) => side.draw(&Rectangle::new([(x, y - 6), (x + 20, y + 6)], c.mix(a).filled()))?,
                Mark::Cross(c) => side.draw(&Cross::new((x + 10, y), 4, line_style(c, 2)))?,
                Mark::Triangle(c) => side.draw(&TriangleMarker::new((x + 10, y), 6, c.filled()))?,
            }
            side.draw(&Text::new(text.clone(), (x + 28, y), font.clone()))?;
        }
        Ok(())
    })
}

/// A chart with nothing to draw says so.
pub fn empty(size: (u32, u32), message: &str) -> Result<String> {
    svg(size, |root| {
        let style = (FONT, 17).into_font().color(&RGBColor(120, 120, 120)).pos(Pos::new(HPos::Center, VPos::Center));
        root.draw(&Text::new(message.to_string(), (size.0 as i32 / 2, size.1 as i32 / 2), style))?;
        Ok(())
    })
}

fn line_style(c: RGBColor, width: u32) -> ShapeStyle {
    ShapeStyle { color: c.to_rgba(), filled: false, stroke_width: width }
}

/// Upper bound of a value axis: a little headroom over the largest value.
fn top(values: impl Iterator<Item = f64>) -> f64 {
    let m = values.filter(|v| v.is_finite()).fold(0.0_f64, f64::max);
    if m <= 0.0 {
        1.0
    } else {
        m * 1.08
    }
}

fn bottom(values: impl Iterator<Item = f64>) -> f64 {
    let m = values.filter(|v| v.is_finite()).fold(0.0_f64, f64::min);
    if m < 0.0 {
        m * 1.08
    } else {
        0.0
    }
}

/// Axis numbers: thousands separated, decimals only where the axis is short.
fn axis_number(span: f64) -> impl Fn(&f64) -> String {
    let decimals = if span >= 10.0 {
        0
    } else if span >= 1.0 {
        1
    } else {
        2
    };
    move |v: &f64| super::html::num(*v, decimals)
}

fn date_label(d: &NaiveDate) -> String {
    d.format("%-d %b").to_string()
}

fn band_points(b: &ForecastBand, level: usize) -> Vec<(NaiveDate, f64)> {
    let day = |t: usize| b.start + Duration::days(t as i64);
    let mut pts: Vec<(NaiveDate, f64)> = (0..b.mean.len()).map(|t| (day(t), b.hi[level][t])).collect();
    pts.extend((0..b.mean.len()).rev().map(|t| (day(t), b.lo[level][t])));
    pts.retain(|p| p.1.is_finite());
    pts
}

fn mean_points(b: &ForecastBand) -> Vec<(NaiveDate, f64)> {
    (0..b.mean.len()).map(|t| (b.start + Duration::days(t as i64), b.mean[t])).filter(|p| p.1.is_finite()).collect()
}

/// Actual demand, the back-test forecast over the last days of history and the
/// forecast ahead, each with its prediction intervals (widest lightest).
pub fn forecast_chart(s: &SeriesChart, levels: &[f64]) -> Result<String> {
    let size = (820, 300);
    let (Some(first), Some(last_actual)) = (s.history.first(), s.history.last()) else {
        return empty(size, "no history");
    };
    let end = s.forecast.start + Duration::days(s.forecast.mean.len().max(1) as i64 - 1);
    let ymax = top(s
        .history
        .iter()
        .map(|d| d.value)
        .chain(s.backtest.hi.iter().chain(&s.forecast.hi).flatten().copied())
        .chain(s.backtest.mean.iter().chain(&s.forecast.mean).copied()));
    let today = last_actual.date;
    with_legend(size, 190, |root| {
        let mut legend = Vec::new();
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(56)
            .build_cartesian_2d(first.date..end, 0.0..ymax)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .x_labels(8)
            .x_label_formatter(&date_label)
            .y_label_formatter(&axis_number(ymax))
            .y_desc("units per day")
            .label_style((FONT, LABEL))
            .axis_desc_style((FONT, LABEL))
            .draw()?;
        // Bands: widest first, so the narrower sits on top.
        let mut order: Vec<usize> = (0..levels.len()).collect();
        order.sort_by(|&a, &b| levels[b].total_cmp(&levels[a]));
        for (k, &j) in order.iter().enumerate() {
            let alpha = 0.14 + 0.12 * k as f64;
            for (b, c) in [(&s.backtest, BACKTEST), (&s.forecast, FORECAST)] {
                let pts = band_points(b, j);
                if pts.len() > 2 {
                    chart.draw_series(std::iter::once(Polygon::new(pts, c.mix(alpha).filled())))?;
                }
            }
            legend.push((Mark::Band(FORECAST, alpha), format!("{:.0}% interval", levels[j])));
        }
        chart.draw_series(DashedLineSeries::new(
            vec![(today, 0.0), (today, ymax)],
            4,
            4,
            line_style(RGBColor(150, 150, 150), 1),
        ))?;
        chart.draw_series(LineSeries::new(s.history.iter().map(|d| (d.date, d.value)), line_style(ACTUAL, 2)))?;
        legend.insert(0, (Mark::Line(ACTUAL), "actual".to_string()));
        let outs: Vec<(NaiveDate, f64)> = s.history.iter().filter(|d| d.stockout).map(|d| (d.date, d.value)).collect();
        if !outs.is_empty() {
            chart.draw_series(outs.into_iter().map(|p| Cross::new(p, 4, line_style(STOCKOUT, 2))))?;
            legend.insert(1, (Mark::Cross(STOCKOUT), "stock-out day".to_string()));
        }
        chart.draw_series(DashedLineSeries::new(mean_points(&s.backtest), 6, 3, line_style(BACKTEST, 2)))?;
        chart.draw_series(LineSeries::new(mean_points(&s.forecast), line_style(FORECAST, 2)))?;
        let at = legend.iter().position(|e| matches!(e.0, Mark::Band(..))).unwrap_or(legend.len());
        legend.insert(at, (Mark::Line(FORECAST), "forecast".to_string()));
        legend.insert(at, (Mark::Dashed(BACKTEST), "back-test forecast".to_string()));
        legend.push((Mark::Dashed(RGBColor(150, 150, 150)), "last day of history".to_string()));
        Ok(legend)
    })
}

/// Projected available stock day by day, with the safety stock, reorder point and
/// order-up-to level, and the deliveries expected in.
pub fn projection_chart(s: &SeriesChart) -> Result<String> {
    let size = (820, 300);
    let (Some(first), Some(last)) = (s.projection.first(), s.projection.last()) else {
        return empty(size, "no projection");
    };
    let values = s.projection.iter().map(|d| d.value);
    let ymax = top(values.clone().chain([s.safety_stock, s.reorder_point, s.order_up_to]));
    let ymin = bottom(values);
    let (d0, d1) = (first.date, last.date);
    let mid = d0 + Duration::days((d1 - d0).num_days() / 2);
    with_legend(size, 190, |root| {
        let mut legend = Vec::new();
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(56)
            .build_cartesian_2d(d0..d1, ymin..ymax)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .x_labels(8)
            .x_label_formatter(&date_label)
            .y_label_formatter(&axis_number(ymax - ymin))
            .y_desc("units available")
            .label_style((FONT, LABEL))
            .axis_desc_style((FONT, LABEL))
            .draw()?;
        if ymin < 0.0 {
            chart.draw_series(std::iter::once(Rectangle::new([(d0, ymin), (d1, 0.0)], STOCKOUT.mix(0.07).filled())))?;
        }
        chart.draw_series(LineSeries::new(s.projection.iter().map(|d| (d.date, d.value)), line_style(STOCK, 2)))?;
        legend.push((Mark::Line(STOCK), "projected stock".to_string()));
        for (value, color, name) in [
            (s.order_up_to, ORDER_UP_TO, "order-up-to"),
            (s.reorder_point, REORDER, "reorder point"),
            (s.safety_stock, SAFETY, "safety stock"),
        ] {
            if value.is_finite() && value > 0.0 {
                chart.draw_series(DashedLineSeries::new(vec![(d0, value), (d1, value)], 6, 4, line_style(color, 2)))?;
                legend.push((Mark::Dashed(color), format!("{name} {}", super::html::num(value, 0))));
            }
        }
        if ymin < 0.0 {
            legend.push((Mark::Band(STOCKOUT, 0.2), "unserved demand".to_string()));
        }
        let level = |d: NaiveDate| s.projection.iter().find(|p| p.date == d).map_or(0.0, |p| p.value);
        for (planned, color, name) in
            [(false, FORECAST, "open order arrives"), (true, ORDER_UP_TO, "this plan's order")]
        {
            let pts: Vec<(NaiveDate, f64, String)> = s
                .arrivals
                .iter()
                .filter(|a| a.planned == planned)
                .map(|a| (a.date, level(a.date), format!("+{} {}", super::html::num(a.quantity, 0), a.po_number)))
                .collect();
            if pts.is_empty() {
                continue;
            }
            chart.draw_series(pts.iter().map(|(d, v, _)| TriangleMarker::new((*d, *v), 7, color.filled())))?;
            chart.draw_series(pts.into_iter().map(|(d, v, text)| {
                // Labels right of the marker in the first half, left of it in the second.
                let h = if d <= mid { HPos::Left } else { HPos::Right };
                Text::new(
                    format!(" {text} "),
                    (d, v),
                    (FONT, LEGEND).into_font().color(&STOCK).pos(Pos::new(h, VPos::Bottom)),
                )
            }))?;
            legend.push((Mark::Triangle(color), name.to_string()));
        }
        Ok(legend)
    })
}

fn pct(v: &f64) -> String {
    format!("{:.0}%", v * 100.0)
}

fn pct1(v: &f64) -> String {
    format!("{:.1}%", v * 100.0)
}

/// A rate per period as a line with points, in percent.
fn rate_chart(points: Vec<(NaiveDate, f64)>, name: &str, color: RGBColor, lo_floor: Option<f64>) -> Result<String> {
    let size = (560, 260);
    let (Some(d0), Some(d1)) = (points.first().map(|p| p.0), points.last().map(|p| p.0)) else {
        return empty(size, "no data in the window");
    };
    let (d0, d1) = (d0 - Duration::days(3), d1 + Duration::days(3));
    let hi = points.iter().map(|p| p.1).fold(0.0_f64, f64::max);
    let lo = points.iter().map(|p| p.1).fold(1.0_f64, f64::min);
    // Fill rates sit near 100%: zoom to the data, rounded out to 5 points; other rates start at 0.
    let (y0, y1) = match lo_floor {
        Some(floor) => (((lo - 0.02) * 20.0).floor().max(floor * 20.0) / 20.0, 1.0),
        None => (0.0, if hi > 0.0 { hi * 1.15 } else { 0.05 }),
    };
    let fine = y1 - y0 < 0.1;
    svg(size, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .margin_right(20)
            .x_label_area_size(28)
            // "99.5%" labels are wider than "5%": room for them and the axis name.
            .y_label_area_size(if fine { 68 } else { 56 })
            .build_cartesian_2d(d0..d1, y0..y1)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .x_labels(8)
            .y_labels(8)
            .x_label_formatter(&date_label)
            .y_label_formatter(if fine { &pct1 } else { &pct })
            .y_desc(name)
            .label_style((FONT, LABEL))
            .axis_desc_style((FONT, LABEL))
            .draw()?;
        chart.draw_series(LineSeries::new(points.clone(), line_style(color, 2)))?;
        chart.draw_series(points.into_iter().map(|p| Circle::new(p, 3, color.filled())))?;
        Ok(())
    })
}

/// Fill rate (units sold / demand) per period.
pub fn fill_rate_chart(periods: &[PeriodKpi]) -> Result<String> {
    let pts = periods.iter().filter_map(|p| p.fill_rate.map(|f| (p.period_start, f))).collect();
    rate_chart(pts, "fill rate (units)", FORECAST, Some(0.0))
}

/// Stock-out rate (stock-out days / SKU-location days) per period.
pub fn stockout_chart(periods: &[PeriodKpi]) -> Result<String> {
    let pts = periods.iter().filter_map(|p| p.stockout_rate.map(|f| (p.period_start, f))).collect();
    rate_chart(pts, "stock-out days / SKU-location days", STOCKOUT, None)
}

/// WAPE and bias per forecast origin, in percent of actual demand.
pub fn accuracy_chart(periods: &[AccuracyPeriod]) -> Result<String> {
    let size = (820, 260);
    let wape: Vec<(NaiveDate, f64)> = periods.iter().filter_map(|p| p.wape.map(|w| (p.cutoff, w))).collect();
    let bias: Vec<(NaiveDate, f64)> = periods.iter().filter_map(|p| p.bias.map(|w| (p.cutoff, w))).collect();
    let (Some(d0), Some(d1)) = (wape.first().map(|p| p.0), wape.last().map(|p| p.0)) else {
        return empty(size, "no forecast origin with demand");
    };
    let (d0, d1) = (d0 - Duration::days(3), d1 + Duration::days(3));
    let y1 = top(wape.iter().chain(&bias).map(|p| p.1));
    let y0 = bottom(bias.iter().map(|p| p.1));
    with_legend(size, 190, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(56)
            .build_cartesian_2d(d0..d1, y0..y1)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .x_labels(8)
            .x_label_formatter(&date_label)
            .y_label_formatter(&pct)
            .y_desc("% of actual demand")
            .label_style((FONT, LABEL))
            .axis_desc_style((FONT, LABEL))
            .draw()?;
        chart.draw_series(LineSeries::new(vec![(d0, 0.0), (d1, 0.0)], line_style(RGBColor(150, 150, 150), 1)))?;
        chart.draw_series(LineSeries::new(wape.clone(), line_style(FORECAST, 2)))?;
        chart.draw_series(wape.into_iter().map(|p| Circle::new(p, 3, FORECAST.filled())))?;
        chart.draw_series(LineSeries::new(bias.clone(), line_style(SAFETY, 2)))?;
        chart.draw_series(bias.into_iter().map(|p| Circle::new(p, 3, SAFETY.filled())))?;
        Ok(vec![(Mark::Line(FORECAST), "WAPE".into()), (Mark::Line(SAFETY), "bias (+: over-forecast)".into())])
    })
}

/// Inventory turnover per category as horizontal bars, highest first.
pub fn turnover_chart(groups: &[GroupKpi]) -> Result<String> {
    let mut rows: Vec<(&str, f64)> = groups
        .iter()
        .filter(|g| g.group_by == "category")
        .filter_map(|g| g.turnover.map(|t| (if g.key.is_empty() { "(none)" } else { g.key.as_str() }, t)))
        .collect();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    let n = rows.len();
    let size = (560, (60 + 30 * n as u32).max(120));
    if n == 0 {
        return empty(size, "no category with inventory");
    }
    let xmax = top(rows.iter().map(|r| r.1)) * 1.1;
    let label_width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(4).clamp(4, 24) as u32 * 8 + 16;
    svg(size, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .margin_right(40)
            .x_label_area_size(40)
            .y_label_area_size(label_width)
            .build_cartesian_2d(0.0..xmax, (0..n).into_segmented())?;
        let names: Vec<String> = rows.iter().map(|r| r.0.to_string()).collect();
        let label = move |v: &SegmentValue<usize>| match v {
            SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => names.get(*i).cloned().unwrap_or_default(),
            SegmentValue::Last => String::new(),
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .y_labels(n)
            .y_label_formatter(&label)
            .x_label_formatter(&axis_number(xmax))
            .x_desc("times per year: COGS per year / average inventory value")
            .label_style((FONT, LABEL))
            .axis_desc_style((FONT, LABEL))
            .draw()?;
        chart.draw_series(rows.iter().enumerate().map(|(i, r)| {
            let mut bar =
                Rectangle::new([(0.0, SegmentValue::Exact(i)), (r.1, SegmentValue::Exact(i + 1))], FORECAST.filled());
            bar.set_margin(5, 5, 0, 0);
            bar
        }))?;
        chart.draw_series(rows.iter().enumerate().map(|(i, r)| {
            Text::new(
                format!(" {:.1}×", r.1),
                (r.1, SegmentValue::CenterOf(i)),
                (FONT, LABEL).into_font().color(&ACTUAL).pos(Pos::new(HPos::Left, VPos::Center)),
            )
        }))?;
        Ok(())
    })
}

/// The ABC/XYZ matrix: SKU-locations and share of COGS per cell, shaded by that share.
pub fn matrix_chart(cells: &[MatrixCell]) -> Result<String> {
    let size = (520, 330);
    let total: f64 = cells.iter().map(|c| c.cogs).sum();
    let (x0, y0, w, h) = (90_i32, 50_i32, 130_i32, 80_i32);
    svg(size, |root| {
        let head = (FONT, 16).into_font().color(&ACTUAL).pos(Pos::new(HPos::Center, VPos::Center));
        root.draw(&Text::new("XYZ: demand variability (X steady … Z erratic)", (x0 + 3 * w / 2, 16), head.clone()))?;
        root.draw(&Text::new("ABC: share of value", (20, y0 + 3 * h / 2), head.transform(FontTransform::Rotate270)))?;
        for (j, xyz) in ["X", "Y", "Z"].iter().enumerate() {
            root.draw(&Text::new(xyz.to_string(), (x0 + j as i32 * w + w / 2, y0 - 14), head.clone()))?;
        }
        for (i, abc) in ["A", "B", "C"].iter().enumerate() {
            let y = y0 + i as i32 * h;
            root.draw(&Text::new(abc.to_string(), (x0 - 22, y + h / 2), head.clone()))?;
            for (j, xyz) in ["X", "Y", "Z"].iter().enumerate() {
                let x = x0 + j as i32 * w;
                let cell = cells.iter().find(|c| c.abc == *abc && c.xyz == *xyz);
                let share = cell.map_or(0.0, |c| if total > 0.0 { c.cogs / total } else { 0.0 });
                let n = cell.map_or(0, |c| c.sku_locations);
                root.draw(&Rectangle::new(
                    [(x, y), (x + w, y + h)],
                    FORECAST.mix(0.06 + 0.85 * share.sqrt()).filled(),
                ))?;
                root.draw(&Rectangle::new([(x, y), (x + w, y + h)], line_style(WHITE, 2)))?;
                let ink = if share > 0.3 { WHITE } else { ACTUAL };
                let big = (FONT, 22).into_font().color(&ink).pos(Pos::new(HPos::Center, VPos::Center));
                let small = (FONT, 14).into_font().color(&ink).pos(Pos::new(HPos::Center, VPos::Center));
                root.draw(&Text::new(format!("{abc}{xyz}  {n}"), (x + w / 2, y + h / 2 - 10), big))?;
                root.draw(&Text::new(format!("{:.1}% of COGS", share * 100.0), (x + w / 2, y + h / 2 + 14), small))?;
            }
        }
        Ok(())
    })
}
