//! One panel of Figure 16: a cumulative distribution per range of election timeouts on a
//! logarithmic time axis, with the paper's medians as diamonds. A click near a curve
//! opens the trial under the pointer; the table beside it is the text alternative and
//! opens trials from the keyboard.

use yew::prelude::*;

use crate::raft::MS;
use crate::sim::lab::figure16::{Range, Trial, paper_median_ms};
use crate::ui::lang::Lang;
use crate::ui::plot::{
    self, Axis, BOTTOM, COLOURS, DASHES, HEIGHT, LEFT, RIGHT, TOP, WIDTH, nearest, points, y,
};

/// One range's curve.
#[derive(Clone, PartialEq)]
pub struct Curve {
    pub range: Range,
    pub trials: Vec<Trial>,
    /// Its colour and dash (an index into [`COLOURS`] and [`DASHES`]): the same range
    /// looks the same in both panels.
    pub style: usize,
}

#[derive(Properties, PartialEq)]
pub struct CdfPlotProps {
    pub title: AttrValue,
    pub axis: Axis,
    pub curves: Vec<Curve>,
    pub lang: Lang,
    /// A trial picked on the plot: its range and number.
    pub on_pick: Callback<(Range, u32)>,
}

#[function_component(CdfPlot)]
pub fn cdf_plot(props: &CdfPlotProps) -> Html {
    let lang = props.lang;
    let axis = props.axis;
    let id = format!("plot-{}", props.axis.lo_ms as u64);
    let all_points: Vec<Vec<(f64, f64, u32)>> = props
        .curves
        .iter()
        .map(|c| points(axis, &c.trials))
        .collect();
    // The plot's own box: Yew delegates events to the page's root, so the event's
    // current target is not the plot.
    let svg_ref = use_node_ref();
    let click = {
        let (curves, on_pick) = (props.curves.clone(), props.on_pick.clone());
        let all_points = all_points.clone();
        let svg_ref = svg_ref.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(svg) = svg_ref.cast::<web_sys::Element>() else {
                return;
            };
            let rect = svg.get_bounding_client_rect();
            if rect.width() <= 0.0 || rect.height() <= 0.0 {
                return;
            }
            let x = (f64::from(e.client_x()) - rect.left()) * WIDTH / rect.width();
            let y = (f64::from(e.client_y()) - rect.top()) * HEIGHT / rect.height();
            if let Some((k, number)) = nearest(&all_points, x, y, 14.0)
                && let Some(curve) = curves.get(k)
            {
                on_pick.emit((curve.range, number));
            }
        })
    };
    let plot_bottom = HEIGHT - BOTTOM;
    let plot_right = WIDTH - RIGHT;
    html! {
        <figure class="cdf">
            <figcaption id={format!("{id}-title")}>{ props.title.clone() }</figcaption>
            <svg ref={svg_ref} viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img" class="cdf-plot"
                aria-labelledby={format!("{id}-title {id}-desc")} onclick={click}>
                <desc id={format!("{id}-desc")}>{ lang.pick(
                    "Cumulative percentage of trials by time without a leader, on a logarithmic time axis; the table below gives the same figures, and each curve's trials open from it.",
                    "按无领导者时长累计的试验百分比，时间轴为对数刻度；下面的表格给出同样的数字，并可从表格打开每条曲线的试验。") }</desc>
                <rect x={LEFT.to_string()} y={TOP.to_string()} width={(plot_right - LEFT).to_string()}
                    height={(plot_bottom - TOP).to_string()} class="cdf-frame" />
                { for [0.0, 0.25, 0.5, 0.75, 1.0].into_iter().map(|f| html! {
                    <g class="cdf-grid">
                        <line x1={LEFT.to_string()} x2={plot_right.to_string()} y1={y(f).to_string()} y2={y(f).to_string()} />
                        <text x={(LEFT - 6.0).to_string()} y={(y(f) + 4.0).to_string()} text-anchor="end">{ format!("{}%", (f * 100.0) as u32) }</text>
                    </g>
                }) }
                { for axis.ticks().into_iter().map(|t| {
                    let x = axis.x((t * MS as f64) as u64);
                    html! {
                        <g class="cdf-grid">
                            <line x1={x.to_string()} x2={x.to_string()} y1={TOP.to_string()} y2={plot_bottom.to_string()} />
                            <text x={x.to_string()} y={(plot_bottom + 16.0).to_string()} text-anchor="middle">{ tick_label(t) }</text>
                        </g>
                    }
                }) }
                <text class="cdf-axis-name" x={((LEFT + plot_right) / 2.0).to_string()} y={(HEIGHT - 6.0).to_string()} text-anchor="middle">
                    { lang.pick("time without a leader (ms, log scale)", "无领导者时长（毫秒，对数刻度）") }
                </text>
                { for props.curves.iter().map(|c| {
                    let colour = COLOURS[c.style % COLOURS.len()];
                    let dash = DASHES[c.style % DASHES.len()];
                    let median = paper_median_ms(c.range).map(|m| {
                        let (mx, my) = (axis.x(m * MS), y(0.5));
                        html! {
                            <path class="paper-median" d={format!("M{mx:.1} {:.1}l5 5l-5 5l-5 -5z", my - 5.0)}
                                fill={colour} />
                        }
                    });
                    html! {
                        <g class="cdf-curve" data-range={c.range.label()}>
                            <path d={plot::path(axis, &c.trials)} fill="none" stroke={colour} stroke-width="2.2"
                                stroke-dasharray={dash} />
                            { for median }
                        </g>
                    }
                }) }
                <g class="cdf-legend">
                    // A backing, so a curve passing under the legend does not blur its words.
                    <rect x={(plot_right - 206.0).to_string()} y={(legend_top(props.curves.len()) - 11.0).to_string()}
                        width="204" height={(17.0 * (props.curves.len() + 1) as f64 + 6.0).to_string()}
                        fill="#ffffff" fill-opacity="0.88" />
                    { for props.curves.iter().enumerate().map(|(k, c)| {
                        // Bottom right: under the curves, where a distribution has no points.
                        let ly = legend_top(props.curves.len()) + 17.0 * k as f64;
                        let lx = plot_right - 200.0;
                        html! {
                            <g>
                                <line x1={lx.to_string()} x2={(lx + 34.0).to_string()} y1={ly.to_string()} y2={ly.to_string()}
                                    stroke={COLOURS[c.style % COLOURS.len()]} stroke-width="2.5" stroke-dasharray={DASHES[c.style % DASHES.len()]} />
                                <text x={(lx + 40.0).to_string()} y={(ly + 4.0).to_string()}>{
                                    if c.trials.iter().any(|t| t.without_leader.is_some()) {
                                        c.range.label()
                                    } else {
                                        // No curve to see: say why, where it would be.
                                        format!("{}{}", c.range.label(), lang.pick(": no leader", "：无领导者"))
                                    }
                                }</text>
                            </g>
                        }
                    }) }
                    <text x={(plot_right - 200.0).to_string()} y={(legend_top(props.curves.len()) + 4.0 + 17.0 * props.curves.len() as f64).to_string()}>
                        { lang.pick("◆ the paper's median", "◆ 论文的中位数") }
                    </text>
                </g>
            </svg>
        </figure>
    }
}

/// Where the legend's first line goes: its last line (the paper's diamond) ends just
/// above the axis.
fn legend_top(curves: usize) -> f64 {
    HEIGHT - BOTTOM - 12.0 - 17.0 * curves as f64
}

fn tick_label(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{}s", ms / 1000.0)
    } else {
        format!("{ms}")
    }
}
