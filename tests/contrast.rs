//! Contrast, measured (issue 11, WCAG 2.2 AA): text at least 4.5:1 against what is behind
//! it, and the graphics that carry meaning (role outlines, timer rings, link lines, the
//! edge that marks an uncommitted entry) at least 3:1, in the light page and in presenter
//! mode's dark theme.
//!
//! The colours are not copied here: they are read from `static/style.css`, the file the
//! page uses, by a small cascade (custom properties, descendant selectors of classes and
//! tags, `:not(.x)`, specificity and order, inheritance, opacity) for the element each
//! check names; the term colours come from the functions the views call. Changing a colour
//! in the stylesheet to one that reads poorly fails these tests.

use raft_playground::ui::geometry::{term_colour, term_text_colour};

const CSS: &str = include_str!("../static/style.css");
const TEXT: f64 = 4.5;
const GRAPHIC: f64 = 3.0;

// ---------- colours and the WCAG formula ----------

/// An sRGB colour with its alpha, channels in 0..=1.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Rgba(f64, f64, f64, f64);

impl Rgba {
    /// `#rgb`, `#rrggbb`, `rgb()`/`rgba()`, `white`, `black`, `transparent`.
    fn parse(s: &str) -> Option<Rgba> {
        let s = s.trim();
        let lower = s.to_ascii_lowercase();
        match lower.as_str() {
            "white" => return Some(Rgba(1.0, 1.0, 1.0, 1.0)),
            "black" => return Some(Rgba(0.0, 0.0, 0.0, 1.0)),
            "transparent" => return Some(Rgba(0.0, 0.0, 0.0, 0.0)),
            _ => {}
        }
        if let Some(hex) = s.strip_prefix('#') {
            let hex: String = match hex.len() {
                3 => hex.chars().flat_map(|c| [c, c]).collect(),
                6 => hex.to_string(),
                _ => return None,
            };
            let channel = |i: usize| {
                u8::from_str_radix(&hex[i..i + 2], 16)
                    .ok()
                    .map(|v| v as f64 / 255.0)
            };
            return Some(Rgba(channel(0)?, channel(2)?, channel(4)?, 1.0));
        }
        let inner = lower
            .strip_prefix("rgba(")
            .or_else(|| lower.strip_prefix("rgb("))?
            .strip_suffix(')')?;
        let parts: Vec<f64> = inner
            .split([',', '/', ' '])
            .filter(|p| !p.is_empty())
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        match parts.as_slice() {
            [r, g, b] => Some(Rgba(r / 255.0, g / 255.0, b / 255.0, 1.0)),
            [r, g, b, a] => Some(Rgba(r / 255.0, g / 255.0, b / 255.0, *a)),
            _ => None,
        }
    }

    /// This colour painted at its alpha times `opacity` over the opaque `behind`.
    fn over(self, behind: Rgba, opacity: f64) -> Rgba {
        let a = self.3 * opacity;
        let mix = |f: f64, b: f64| a * f + (1.0 - a) * b;
        Rgba(
            mix(self.0, behind.0),
            mix(self.1, behind.1),
            mix(self.2, behind.2),
            1.0,
        )
    }

    /// WCAG 2.x relative luminance.
    fn luminance(self) -> f64 {
        let lin = |c: f64| {
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }
}

/// WCAG 2.x contrast ratio, 1 to 21.
fn ratio(a: Rgba, b: Rgba) -> f64 {
    let (x, y) = (a.luminance(), b.luminance());
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

fn hex(s: &str) -> Rgba {
    Rgba::parse(s).unwrap_or_else(|| panic!("not a colour: {s}"))
}

// ---------- the stylesheet ----------

/// One selector of a rule, with its declarations and its place in the file.
struct Rule {
    selector: String,
    declarations: Vec<(String, String)>,
    order: usize,
}

/// Every rule in the stylesheet, `@media` blocks included (the colours must hold at every
/// size); comments dropped; a rule with several selectors becomes one rule per selector.
fn rules(css: &str) -> Vec<Rule> {
    let mut text = String::new();
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    text.push_str(rest);
    let mut out = Vec::new();
    parse_block(&text, &mut out);
    out
}

fn parse_block(mut text: &str, out: &mut Vec<Rule>) {
    while let Some(open) = text.find('{') {
        let prelude = text[..open].trim();
        // The matching brace: @media blocks nest rules.
        let mut depth = 0;
        let mut close = open;
        for (i, c) in text[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let body = &text[open + 1..close];
        if prelude.starts_with("@media") {
            parse_block(body, out);
        } else if !prelude.starts_with('@') {
            let declarations: Vec<(String, String)> = body
                .split(';')
                .filter_map(|d| d.split_once(':'))
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .collect();
            for selector in prelude.split(',') {
                out.push(Rule {
                    selector: selector.split_whitespace().collect::<Vec<_>>().join(" "),
                    declarations: declarations.clone(),
                    order: out.len(),
                });
            }
        }
        text = &text[(close + 1).min(text.len())..];
    }
}

/// An element in the page: its tag and classes.
#[derive(Clone)]
struct El {
    tag: &'static str,
    classes: Vec<&'static str>,
}

fn el(spec: &'static str) -> El {
    let mut parts = spec.split('.');
    El {
        tag: parts.next().unwrap_or(""),
        classes: parts.collect(),
    }
}

/// An element with its ancestors, from `html` down: `path(presenter, &["svg.cluster", ...])`.
fn path(presenter: bool, below_layout: &[&'static str]) -> Vec<El> {
    let layout = if presenter {
        "div.layout.presenter"
    } else {
        "div.layout"
    };
    ["html", "body", layout]
        .iter()
        .chain(below_layout)
        .map(|s| el(s))
        .collect()
}

/// Specificity (classes and pseudo-classes, tags) if the compound selector matches `e`.
/// Pseudo-classes other than `:root` and `:not(.x)`, and attribute selectors, never match:
/// they are states (hover, focus) or structure these checks do not model.
fn compound(sel: &str, e: &El, is_root: bool) -> Option<(u32, u32)> {
    let (mut classes, mut tags) = (0, 0);
    let mut rest = sel;
    let tag_end = rest.find(['.', ':', '[']).unwrap_or(rest.len());
    let tag = &rest[..tag_end];
    if !tag.is_empty() && tag != "*" {
        if tag != e.tag {
            return None;
        }
        tags += 1;
    }
    rest = &rest[tag_end..];
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix(":not(.") {
            let end = r.find(')')?;
            if e.classes.contains(&&r[..end]) {
                return None;
            }
            classes += 1;
            rest = &r[end + 1..];
        } else if let Some(r) = rest.strip_prefix(":root") {
            if !is_root {
                return None;
            }
            classes += 1;
            rest = r;
        } else if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', ':', '[']).unwrap_or(r.len());
            if !e.classes.contains(&&r[..end]) {
                return None;
            }
            classes += 1;
            rest = &r[end..];
        } else {
            return None;
        }
    }
    Some((classes, tags))
}

/// Specificity if `selector` (descendant and child combinators, both read as descendant)
/// matches the last element of `chain`.
fn matches(selector: &str, chain: &[El]) -> Option<(u32, u32)> {
    let parts: Vec<&str> = selector.split_whitespace().filter(|p| *p != ">").collect();
    let (last, ancestors) = parts.split_last()?;
    let target = chain.len() - 1;
    let mut spec = compound(last, &chain[target], target == 0)?;
    let mut at = target;
    for part in ancestors.iter().rev() {
        let found = (0..at)
            .rev()
            .find_map(|i| compound(part, &chain[i], i == 0).map(|s| (i, s)))?;
        at = found.0;
        spec = (spec.0 + found.1.0, spec.1 + found.1.1);
    }
    Some(spec)
}

/// The stylesheet's winning value for one of `properties` on the last element of `chain`
/// (a shorthand and its longhand both listed compete as the cascade makes them), before
/// `var()` is resolved.
fn cascaded(css: &[Rule], chain: &[El], properties: &[&str]) -> Option<String> {
    css.iter()
        .filter_map(|r| matches(&r.selector, chain).map(|s| (s, r)))
        .flat_map(|(s, r)| {
            r.declarations
                .iter()
                .enumerate()
                .filter(|(_, (k, _))| properties.contains(&k.as_str()))
                .map(move |(i, (_, v))| ((s, r.order, i), v.clone()))
        })
        .max_by_key(|(key, _)| *key)
        .map(|(_, v)| v)
}

/// The value the element gets: cascaded, inherited when `inherits` and nothing is set,
/// with every `var(--x)` replaced by the custom property that reaches the element.
fn computed(css: &[Rule], chain: &[El], properties: &[&str], inherits: bool) -> Option<String> {
    let mut end = chain.len();
    let value = loop {
        if end == 0 {
            return None;
        }
        if let Some(v) = cascaded(css, &chain[..end], properties) {
            break v;
        }
        if !inherits {
            return None;
        }
        end -= 1;
    };
    Some(resolve(css, &chain[..end], &value))
}

fn resolve(css: &[Rule], chain: &[El], value: &str) -> String {
    let mut value = value.to_string();
    while let Some(start) = value.find("var(") {
        let end = start + value[start..].find(')').expect("var( closes");
        let name = value[start + 4..end].trim().to_string();
        let replacement = computed(css, chain, &[name.as_str()], true)
            .unwrap_or_else(|| panic!("{name} is not defined for this element"));
        value.replace_range(start..=end, &replacement);
    }
    value
}

/// The first colour in a value such as `2px dotted #1b1f24`.
fn colour_in(value: &str) -> Option<Rgba> {
    if let Some(c) = Rgba::parse(value) {
        return Some(c);
    }
    let start = value.find(['#', 'r'])?;
    let rest = &value[start..];
    let end = if rest.starts_with('#') {
        rest.find(|c: char| !c.is_ascii_hexdigit() && c != '#')
            .unwrap_or(rest.len())
    } else {
        rest.find(')')? + 1
    };
    Rgba::parse(&rest[..end]).or_else(|| colour_in(&rest[1..]))
}

/// One theme of the page, as the stylesheet draws it.
struct Page {
    css: Vec<Rule>,
    presenter: bool,
}

impl Page {
    fn new(css: &str, presenter: bool) -> Page {
        Page {
            css: rules(css),
            presenter,
        }
    }

    fn theme(&self) -> &'static str {
        if self.presenter {
            "presenter mode"
        } else {
            "the light page"
        }
    }

    fn chain(&self, below_layout: &[&'static str]) -> Vec<El> {
        path(self.presenter, below_layout)
    }

    fn value(&self, chain: &[El], properties: &[&str], inherits: bool) -> Option<String> {
        computed(&self.css, chain, properties, inherits)
    }

    /// The opacity the element is drawn with: its own times its ancestors'.
    fn opacity(&self, chain: &[El]) -> f64 {
        (1..=chain.len())
            .map(|end| {
                self.value(&chain[..end], &["opacity"], false)
                    .map_or(1.0, |v| v.parse().expect("opacity is a number"))
            })
            .product()
    }

    /// What shows behind the element: the nearest opaque background among it and its
    /// ancestors, translucent ones painted over it.
    fn backdrop(&self, chain: &[El]) -> Rgba {
        let mut layers = Vec::new();
        for end in (1..=chain.len()).rev() {
            let Some(c) = self
                .value(&chain[..end], &["background-color", "background"], false)
                .and_then(|v| colour_in(&v))
            else {
                continue;
            };
            layers.push(c);
            if c.3 >= 1.0 {
                break;
            }
        }
        let mut colour = Rgba(1.0, 1.0, 1.0, 1.0);
        for layer in layers.iter().rev() {
            colour = layer.over(colour, 1.0);
        }
        colour
    }

    /// A colour property of the element as it is painted: its alpha and opacity over `behind`.
    fn paint(&self, chain: &[El], properties: &[&str], inherits: bool, behind: Rgba) -> Rgba {
        let value = self
            .value(chain, properties, inherits)
            .unwrap_or_else(|| panic!("{}: no {properties:?} set", self.theme()));
        let colour = colour_in(&value)
            .unwrap_or_else(|| panic!("{}: {properties:?} is {value}", self.theme()));
        colour.over(behind, self.opacity(chain))
    }

    /// The page's background, behind the cluster.
    fn page(&self) -> Rgba {
        self.backdrop(&self.chain(&["section.stage"]))
    }
}

fn both_themes() -> [Page; 2] {
    [Page::new(CSS, false), Page::new(CSS, true)]
}

/// Records a failure; prints every measurement (`cargo test --test contrast -- --nocapture`).
fn at_least(what: &str, theme: &str, got: f64, need: f64, failures: &mut Vec<String>) {
    println!("{theme}: {what}: {got:.2}:1 (needs {need})");
    if got + 1e-9 < need {
        failures.push(format!("{theme}: {what}: {got:.2}:1, needs {need}:1"));
    }
}

fn report(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "contrast below WCAG 2.2 AA:\n  {}",
        failures.join("\n  ")
    );
}

// ---------- what the page draws ----------

const ROLES: [&str; 5] = ["follower", "candidate", "pre-candidate", "leader", "down"];

fn server(role: &str) -> &'static str {
    Box::leak(format!("g.server.role-{role}").into_boxed_str())
}

/// Every server's name and role word on its circle, and its outline and timer ring against
/// the page (and the ring against its own drained track).
fn servers(page: &Page, failures: &mut Vec<String>) {
    let theme = page.theme();
    let bg = page.page();
    for role in ROLES {
        let g = server(role);
        let body_chain = page.chain(&["section.stage", "svg.cluster", g, "circle.body"]);
        let body = page.paint(&body_chain, &["fill"], false, bg);
        for (word, class) in [("name", "text.name"), ("role word", "text.role-word")] {
            let chain = page.chain(&["section.stage", "svg.cluster", g, class]);
            let ink = page.paint(&chain, &["fill"], true, body);
            at_least(
                &format!("a {role}'s {word} on its circle"),
                theme,
                ratio(ink, body),
                TEXT,
                failures,
            );
        }
        let outline = page.paint(&body_chain, &["stroke"], false, bg);
        at_least(
            &format!("a {role}'s outline on the page"),
            theme,
            ratio(outline, bg),
            GRAPHIC,
            failures,
        );
        if role == "down" {
            continue; // a down server has no timer
        }
        let track_chain = page.chain(&["section.stage", "svg.cluster", g, "circle.timer-track"]);
        let track = page.paint(&track_chain, &["stroke"], false, bg);
        let ring_chain = page.chain(&["section.stage", "svg.cluster", g, "circle.timer"]);
        for (against, behind) in [("page", bg), ("drained track", track)] {
            let ring = page.paint(&ring_chain, &["stroke"], false, behind);
            at_least(
                &format!("a {role}'s timer ring on the {against}"),
                theme,
                ratio(ring, behind),
                GRAPHIC,
                failures,
            );
        }
    }
}

/// The lines between servers, working and cut, against the page; cut ones are dashed too.
fn links(page: &Page, failures: &mut Vec<String>) {
    let theme = page.theme();
    let bg = page.page();
    for (what, line) in [
        ("a working link", "line.link"),
        ("a cut link", "line.link.cut"),
    ] {
        let chain = page.chain(&["section.stage", "svg.cluster", "g.links", line]);
        let stroke = page.paint(&chain, &["stroke"], false, bg);
        at_least(
            &format!("{what} on the page"),
            theme,
            ratio(stroke, bg),
            GRAPHIC,
            failures,
        );
        let dashed = page
            .value(&chain, &["stroke-dasharray"], false)
            .is_some_and(|d| d != "none");
        assert_eq!(
            dashed,
            line.ends_with("cut"),
            "{theme}: {what} must differ by its dashes, not colour alone"
        );
    }
}

/// A log cell (`td.entry.<state>`) on a running (`up`) or down server's row.
fn cell(page: &Page, state: &'static str, up: bool, inner: Option<&'static str>) -> Vec<El> {
    let row = if up { "tr.log-row" } else { "tr.log-row.down" };
    let td = Box::leak(format!("td.entry.{state}").into_boxed_str());
    let mut below = vec![
        "section.logs-panel",
        "div.logs",
        "table",
        "tbody",
        row,
        &*td,
    ];
    below.extend(inner);
    page.chain(&below)
}

/// The log cells: a term's label on its colour (the view sets both inline), in every
/// state a cell has; uncommitted ones hatched in the label's colour, so the stripes stand
/// out from the fill as much as the label does; their edges against the logs panel.
fn log_cells(page: &Page, failures: &mut Vec<String>) {
    let theme = page.theme();
    let panel = page.backdrop(&page.chain(&["section.logs-panel", "div.logs"]));
    for (state, up) in [
        ("committed", true),
        ("uncommitted", true),
        ("stored", false),
    ] {
        let td = cell(page, state, up, None);
        let opacity = page.opacity(&td);
        assert!(
            page.value(&td, &["filter"], false).is_none(),
            "{theme}: a filter on {state} cells changes their colours unmeasured"
        );
        for term in 0..=7 {
            // Opacity fades the whole cell, label and fill alike, into the panel.
            let fill = hex(term_colour(term)).over(panel, opacity);
            let text = hex(term_text_colour(term)).over(panel, opacity);
            at_least(
                &format!("the label of a {state} term-{term} cell"),
                theme,
                ratio(text, fill),
                TEXT,
                failures,
            );
        }
        if state == "committed" {
            continue;
        }
        // Uncommitted cells are hatched and stored ones veiled: the label keeps a solid
        // patch of the cell's own colour under it.
        for label in ["span.t", "span.cmd"] {
            let patch = page.value(
                &cell(page, state, up, Some(label)),
                &["background-color"],
                false,
            );
            assert_eq!(
                patch.as_deref(),
                Some("inherit"),
                "{theme}: the {label} of a {state} cell needs the cell's fill under it"
            );
        }
        // The edge that tells them from committed cells, besides the hatch or the veil.
        let style = page
            .value(&td, &["border-style", "border"], false)
            .unwrap_or_default();
        let wanted = if state == "uncommitted" {
            "dashed"
        } else {
            "dotted"
        };
        assert!(
            style.contains(wanted),
            "{theme}: {state} cells need a {wanted} edge, have {style}"
        );
        let edge = page.paint(&td, &["border-color", "border"], false, panel);
        at_least(
            &format!("the {wanted} edge of a {state} cell on the logs panel"),
            theme,
            ratio(edge, panel),
            GRAPHIC,
            failures,
        );
    }
    let hatch = page
        .value(
            &cell(page, "uncommitted", true, None),
            &["background-image"],
            false,
        )
        .unwrap_or_default();
    assert!(
        hatch.contains("repeating-linear-gradient(") && hatch.contains("currentColor"),
        "{theme}: uncommitted cells are hatched in their label's colour, have {hatch}"
    );
    let colours = hatch.matches(['#']).count() + hatch.matches("rgb").count();
    assert_eq!(
        colours, 0,
        "{theme}: the hatch's stripes must be the label's colour (currentColor), not {hatch}"
    );
}

// ---------- the tests ----------

#[test]
fn wcag_contrast_formula_gives_the_known_ratios() {
    assert!((ratio(hex("#000"), hex("#ffffff")) - 21.0).abs() < 1e-9);
    assert!((ratio(hex("#777777"), hex("#fff")) - 4.48).abs() < 0.01);
    assert_eq!(ratio(hex("#0072B2"), hex("#0072B2")), 1.0);
    let half = hex("rgba(0, 0, 0, 0.5)").over(hex("#ffffff"), 1.0);
    assert!((half.0 - 0.5).abs() < 1e-9);
}

#[test]
fn every_terms_label_reads_on_its_colour_in_every_log_state_and_theme() {
    let mut failures = Vec::new();
    for page in both_themes() {
        log_cells(&page, &mut failures);
    }
    report(failures);
}

#[test]
fn term_badges_read_on_their_colour() {
    let mut failures = Vec::new();
    for term in 0..=14 {
        at_least(
            &format!("the badge T{term}"),
            "both themes",
            ratio(hex(term_text_colour(term)), hex(term_colour(term))),
            TEXT,
            &mut failures,
        );
    }
    report(failures);
}

#[test]
fn server_names_and_role_words_read_and_outlines_and_timer_rings_show_in_both_themes() {
    let mut failures = Vec::new();
    for page in both_themes() {
        servers(&page, &mut failures);
    }
    report(failures);
}

#[test]
fn a_stale_reads_badge_reads_in_both_themes() {
    let mut failures = Vec::new();
    for page in both_themes() {
        let badge = page.chain(&["section.logs-panel", "div.logs", "p.reads", "span.stale"]);
        let behind = page.backdrop(&badge);
        let text = page.paint(&badge, &["color"], true, behind);
        at_least(
            "a stale read's words on its badge",
            page.theme(),
            ratio(text, behind),
            TEXT,
            &mut failures,
        );
    }
    report(failures);
}

#[test]
fn link_lines_show_on_the_page_in_both_themes() {
    let mut failures = Vec::new();
    for page in both_themes() {
        links(&page, &mut failures);
    }
    report(failures);
}

#[test]
fn presenter_mode_is_a_dark_theme_and_the_light_page_a_light_one() {
    // The checks above would pass trivially if presenter mode's variables stopped
    // applying: make sure the two themes differ where they should.
    let [light, dark] = both_themes();
    assert!(light.page().luminance() > 0.8, "light page background");
    assert!(dark.page().luminance() < 0.05, "presenter background");
}

/// The colours issue 11 measured, put back into the stylesheet: each check must fail.
#[test]
fn the_checks_catch_the_colours_that_failed_before() {
    let old = [
        (
            ".link { stroke: var(--link); stroke-width: 2; }",
            ".link { stroke: #d5dae0; stroke-width: 2; }",
            "a working link on the page",
        ),
        (
            ".server.role-leader .timer { stroke: var(--timer-leader); }",
            ".server.role-leader .timer { stroke: var(--leader); opacity: 0.45; }",
            "a leader's timer ring on the page",
        ),
        (
            ".server.role-candidate .role-word { fill: var(--candidate-ink); font-weight: 700; }",
            ".server.role-candidate .role-word { fill: #b86e00; font-weight: 700; }",
            "a candidate's role word",
        ),
        (
            ".server.role-down .name, .server.role-down .role-word { fill: var(--down-ink); }",
            ".server.role-down .name, .server.role-down .role-word { fill: #8a9099; }",
            "a down's name",
        ),
        (
            "--follower-ink: #5a6470;",
            "--follower-ink: #9aa0a6;",
            "a follower's role word",
        ),
        (
            ".logs td.entry.uncommitted { border-style: dashed;",
            ".logs td.entry.uncommitted { opacity: 0.62; border-style: dashed;",
            "the label of a uncommitted term-5 cell",
        ),
    ];
    for (now, before, expected) in old {
        assert!(CSS.contains(now), "the stylesheet no longer has `{now}`");
        let css = CSS.replacen(now, before, 1);
        let mut failures = Vec::new();
        for presenter in [false, true] {
            let page = Page::new(&css, presenter);
            servers(&page, &mut failures);
            links(&page, &mut failures);
            log_cells(&page, &mut failures);
        }
        assert!(
            failures
                .iter()
                .any(|f| f.starts_with("the light page") && f.contains(expected)),
            "putting back `{before}` should fail \"{expected}\"; failures: {failures:?}"
        );
    }
}

#[test]
fn the_lab_plots_lines_show_on_the_white_panel() {
    // The plot's panel is white in both themes (a figure, as printed); each range's line
    // is a meaningful graphic: 3:1 at least.
    let white = hex("#ffffff");
    let mut failures = Vec::new();
    for colour in raft_playground::ui::plot::COLOURS {
        at_least(
            &format!("Figure 16 line {colour}"),
            "plot",
            ratio(hex(colour), white),
            GRAPHIC,
            &mut failures,
        );
    }
    report(failures);
}
