//! Where the lab's Figure 16 plot draws things: a cumulative distribution per range of
//! timeouts on a logarithmic time axis, as the paper draws it. Pure functions of the
//! trials (tested natively); `lab_figure16` turns them into SVG.

use crate::raft::{MS, Time};
use crate::sim::lab::figure16::Trial;

/// The plot's drawing box (SVG user units; it scales with the page).
pub const WIDTH: f64 = 640.0;
pub const HEIGHT: f64 = 340.0;
pub const LEFT: f64 = 58.0;
pub const RIGHT: f64 = 16.0;
pub const TOP: f64 = 14.0;
pub const BOTTOM: f64 = 46.0;

/// One line colour per range, distinct for every common colour-vision deficiency (the
/// Okabe–Ito hues, darkened where needed for 3:1 against the white panel, WCAG 1.4.11),
/// each with its own dash pattern so that colour never carries the difference alone.
pub const COLOURS: [&str; 6] = [
    "#1b1f24", "#0072b2", "#c2410c", "#007a5a", "#a8507f", "#8a6100",
];
pub const DASHES: [&str; 6] = ["", "8 4", "2 3", "10 3 2 3", "14 5", "4 2"];

/// A log-scale time axis from `lo` to `hi` (milliseconds).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Axis {
    pub lo_ms: f64,
    pub hi_ms: f64,
}

impl Axis {
    /// The top panel's axis: 100 ms to 10 s (the trials stop at 10 s).
    pub const TOP: Axis = Axis {
        lo_ms: 100.0,
        hi_ms: 10_000.0,
    };
    /// The bottom panel's axis: 10 ms to 1 s.
    pub const BOTTOM: Axis = Axis {
        lo_ms: 10.0,
        hi_ms: 1_000.0,
    };

    /// The x of a time, clamped into the plot.
    pub fn x(self, t: Time) -> f64 {
        let ms = (t as f64 / MS as f64).clamp(self.lo_ms, self.hi_ms);
        let span = (self.hi_ms / self.lo_ms).log10();
        LEFT + (WIDTH - LEFT - RIGHT) * (ms / self.lo_ms).log10() / span
    }

    /// The ticks labelled on the axis: 1, 2 and 5 of each decade.
    pub fn ticks(self) -> Vec<f64> {
        let mut ticks = Vec::new();
        let mut decade = 1.0;
        while decade <= self.hi_ms {
            for m in [1.0, 2.0, 5.0] {
                let t = decade * m;
                if t >= self.lo_ms && t <= self.hi_ms {
                    ticks.push(t);
                }
            }
            decade *= 10.0;
        }
        ticks
    }
}

/// The y of a cumulative fraction (0 at the bottom, 1 at the top).
pub fn y(fraction: f64) -> f64 {
    TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - fraction.clamp(0.0, 1.0))
}

/// The points of a range's curve: each finished trial, fastest first, at its time and
/// the fraction of all the range's trials at or below it. Trials without a leader
/// within the limit have no point: the curve stops below 100 %.
pub fn points(axis: Axis, trials: &[Trial]) -> Vec<(f64, f64, u32)> {
    let mut finished: Vec<(Time, u32)> = trials
        .iter()
        .filter_map(|t| t.without_leader.map(|w| (w, t.number)))
        .collect();
    finished.sort_unstable();
    let n = trials.len().max(1) as f64;
    finished
        .iter()
        .enumerate()
        .map(|(k, &(t, number))| (axis.x(t), y((k + 1) as f64 / n), number))
        .collect()
}

/// The SVG path of a range's curve: a staircase that rises at each trial's time.
pub fn path(axis: Axis, trials: &[Trial]) -> String {
    let points = points(axis, trials);
    let Some(&(first_x, _, _)) = points.first() else {
        return String::new();
    };
    let mut d = format!("M{:.1} {:.1}", first_x, y(0.0));
    for (x, y, _) in points {
        d.push_str(&format!("H{x:.1}V{y:.1}"));
    }
    d
}

/// The trial nearest to a point of the plot (within `reach` units), among the curves:
/// which curve (its position in `curves`) and the trial's number.
pub fn nearest(
    curves: &[Vec<(f64, f64, u32)>],
    x: f64,
    y: f64,
    reach: f64,
) -> Option<(usize, u32)> {
    curves
        .iter()
        .enumerate()
        .flat_map(|(k, points)| points.iter().map(move |p| (k, p)))
        .map(|(k, &(px, py, number))| ((px - x).powi(2) + (py - y).powi(2), k, number))
        .filter(|(d, _, _)| *d <= reach * reach)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k, number)| (k, number))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trial(number: u32, ms: Option<u64>) -> Trial {
        Trial {
            number,
            crash_at: 0,
            without_leader: ms.map(|m| m * MS),
            terms: 1,
            violation: false,
            events: 0,
        }
    }

    #[test]
    fn the_axis_is_logarithmic_and_clamped() {
        let a = Axis::TOP;
        assert_eq!(a.x(100 * MS), LEFT);
        assert_eq!(a.x(10_000 * MS), WIDTH - RIGHT);
        let mid = a.x(1_000 * MS);
        assert!(
            (mid - (LEFT + WIDTH - RIGHT) / 2.0).abs() < 1e-9,
            "a decade is half"
        );
        assert_eq!(a.x(MS), LEFT);
        assert_eq!(a.x(1_000_000 * MS), WIDTH - RIGHT);
        assert_eq!(
            Axis::BOTTOM.ticks(),
            vec![10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0]
        );
    }

    #[test]
    fn a_curve_rises_by_each_trial_and_stops_below_the_unfinished() {
        let trials = [
            trial(0, Some(300)),
            trial(1, Some(150)),
            trial(2, None),
            trial(3, Some(200)),
        ];
        let p = points(Axis::TOP, &trials);
        assert_eq!(p.iter().map(|q| q.2).collect::<Vec<_>>(), vec![1, 3, 0]);
        assert_eq!(p[2].1, y(0.75), "one of four never finished");
        assert!(path(Axis::TOP, &trials).starts_with(&format!("M{:.1} {:.1}", p[0].0, y(0.0))));
        assert_eq!(path(Axis::TOP, &[trial(0, None)]), "");
        // A click lands on the nearest trial of the nearest curve, or on nothing.
        let curves = vec![p.clone(), points(Axis::TOP, &[trial(9, Some(1_000))])];
        assert_eq!(nearest(&curves, p[1].0 + 1.0, p[1].1, 10.0), Some((0, 3)));
        assert_eq!(
            nearest(&curves, Axis::TOP.x(1_000 * MS), y(1.0), 10.0),
            Some((1, 9))
        );
        assert_eq!(nearest(&curves, 0.0, 0.0, 10.0), None);
    }
}
