//! The world map: Parties coloured by a category (reported in a cycle or not, or any
//! categorical answer), drawn as SVG on the server from bundled boundaries.
//!
//! The boundaries are Natural Earth 1:110m (public domain), from the npm package
//! `world-atlas` 2.0.2 (ISC), converted once by `scripts/map/build-world-map.py` into
//! `data/world-110m.json`: per ISO 3166-1 alpha-3 code one SVG path in the Equal Earth
//! projection, and whether the shape is too small to click. Nothing is fetched at build or run
//! time.
//!
//! The renderer knows nothing of what the categories mean: a caller gives entries (a Party, the
//! index of its legend class, its link) and the legend, so colouring by another answer is other
//! entries and another legend. Every entry is also in the list beside the map
//! ([`WorldMap::classes`]), so a Party without a shape (a small island state, the European Union)
//! or too small to click is still one link away.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::sync::OnceLock;

use serde_json::Value;

/// The converted boundaries, compiled in.
const WORLD: &str = include_str!("../data/world-110m.json");

/// Colours colour-blind readers tell apart (Okabe and Ito's palette, its darker members first),
/// one per legend class that has data, in the legend's order.
const PALETTE: [&str; 7] = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442"];
/// Parties without data (a neutral class).
const NEUTRAL: &str = "#BDBDBD";
/// Countries that are not on the list of entries (not Parties).
const BACKGROUND: &str = "#EEEEEE";
/// Borders.
const BORDER: &str = "#FFFFFF";
/// The radius of the marker of a shape too small to click, in map units.
const MARKER_RADIUS: f64 = 4.0;

/// A Party on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapEntry {
    /// ISO 3166-1 alpha-3 code (or a code no country has, such as the European Union's: it is
    /// listed, not drawn).
    pub iso3: String,
    /// Its name, in the page's language.
    pub name: String,
    /// The index of its class in the legend.
    pub class: usize,
    /// Where its link goes.
    pub href: String,
}

/// A class of the legend.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendClass {
    /// What the class means (`Reported in 2020–2023`).
    pub label: String,
    /// A class without data (`Not reported`, `No answer`): drawn in the neutral grey.
    pub neutral: bool,
}

/// How a class is drawn: a colour and a pattern, so the classes differ in more than hue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    /// The neutral grey, plain.
    Neutral,
    /// The n-th colour of the palette with the n-th pattern.
    Data(usize),
}

/// A Party in the list beside the map.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedParty {
    /// Its code.
    pub iso3: String,
    /// Its name.
    pub name: String,
    /// Its link.
    pub href: String,
    /// Whether the map draws it (and can be clicked there): `false` for a Party the boundaries
    /// lack and for shapes too small to click, which get a marker.
    pub on_map: bool,
}

/// A class of the legend with its Parties, for the list beside the map.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassList {
    /// What the class means.
    pub label: String,
    /// A small SVG swatch in the class's colour and pattern.
    pub swatch: String,
    /// Its Parties, in the order given.
    pub parties: Vec<ListedParty>,
}

/// A drawn map.
#[derive(Debug, Clone, PartialEq)]
pub struct WorldMap {
    /// The SVG element (inline in the page, so its links work without script).
    pub svg: String,
    /// The legend, each class with its Parties.
    pub classes: Vec<ClassList>,
}

/// Why a map cannot be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MapError {
    /// An entry names a class the legend does not have.
    #[error("{iso3} is in class {class}, but the legend has {classes} classes")]
    UnknownClass {
        /// The entry's code.
        iso3: String,
        /// Its class.
        class: usize,
        /// How many the legend has.
        classes: usize,
    },
    /// The compiled-in boundaries do not read (a unit test keeps this from happening).
    #[error("the world map's data does not read: {0}")]
    Data(String),
}

/// One country's shape.
#[derive(Debug)]
struct Shape {
    d: String,
    small: bool,
    at: (f64, f64),
}

/// The boundaries, read once.
#[derive(Debug)]
struct World {
    width: u64,
    height: u64,
    shapes: BTreeMap<String, Shape>,
}

fn world() -> Result<&'static World, MapError> {
    static WORLD_DATA: OnceLock<Result<World, MapError>> = OnceLock::new();
    WORLD_DATA.get_or_init(|| read_world(WORLD)).as_ref().map_err(Clone::clone)
}

fn read_world(json: &str) -> Result<World, MapError> {
    let bad = |what: &str| MapError::Data(what.to_owned());
    let value: Value = serde_json::from_str(json).map_err(|e| MapError::Data(e.to_string()))?;
    let number = |key: &str| value.get(key).and_then(Value::as_u64).ok_or_else(|| bad(key));
    let (width, height) = (number("width")?, number("height")?);
    let countries = value.get("countries").and_then(Value::as_object).ok_or_else(|| bad("countries"))?;
    let mut shapes = BTreeMap::new();
    for (code, shape) in countries {
        let d = shape.get("d").and_then(Value::as_str).ok_or_else(|| bad(&format!("countries.{code}.d")))?;
        let small =
            shape.get("small").and_then(Value::as_bool).ok_or_else(|| bad(&format!("countries.{code}.small")))?;
        let at = shape.get("at").and_then(Value::as_array).ok_or_else(|| bad(&format!("countries.{code}.at")))?;
        let (Some(x), Some(y)) = (at.first().and_then(Value::as_f64), at.get(1).and_then(Value::as_f64)) else {
            return Err(bad(&format!("countries.{code}.at")));
        };
        shapes.insert(code.clone(), Shape { d: d.to_owned(), small, at: (x, y) });
    }
    Ok(World { width, height, shapes })
}

/// Whether the bundled boundaries draw a country (the others are only listed).
pub fn has_shape(iso3: &str) -> Result<bool, MapError> {
    Ok(world()?.shapes.contains_key(iso3))
}

/// Text for XML content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The looks of the legend's classes: data classes take the palette in order, neutral ones grey.
fn looks(legend: &[LegendClass]) -> Vec<Look> {
    let mut next = 0;
    legend
        .iter()
        .map(|class| {
            if class.neutral {
                Look::Neutral
            } else {
                next += 1;
                Look::Data(next - 1)
            }
        })
        .collect()
}

/// A `<pattern>` drawing a look, with `id`; `None` for a plain fill.
fn pattern(id: &str, look: Look) -> Option<String> {
    let Look::Data(n) = look else { return None };
    let colour = PALETTE[n % PALETTE.len()];
    // The first class is plain; the others add white marks over their colour.
    let marks = match n % 5 {
        0 => return None,
        1 => r##"<rect width="2" height="6" fill="#FFFFFF" fill-opacity="0.55"/>"##,
        2 => r##"<circle cx="3" cy="3" r="1.3" fill="#FFFFFF" fill-opacity="0.7"/>"##,
        3 => r##"<rect width="6" height="2" fill="#FFFFFF" fill-opacity="0.55"/>"##,
        _ => {
            r##"<rect width="2" height="6" fill="#FFFFFF" fill-opacity="0.55"/><rect width="6" height="2" fill="#FFFFFF" fill-opacity="0.55"/>"##
        }
    };
    let rotate = if n % 5 == 1 { r#" patternTransform="rotate(45)""# } else { "" };
    Some(format!(
        r#"<pattern id="{id}" patternUnits="userSpaceOnUse" width="6" height="6"{rotate}><rect width="6" height="6" fill="{colour}"/>{marks}</pattern>"#
    ))
}

/// The fill attribute of a look, given the id its pattern has (if it has one).
fn fill(look: Look, pattern_id: &str) -> String {
    match look {
        Look::Neutral => NEUTRAL.to_owned(),
        Look::Data(n) if n % 5 == 0 => PALETTE[n % PALETTE.len()].to_owned(),
        Look::Data(_) => format!("url(#{pattern_id})"),
    }
}

/// A swatch of a class for the legend: a self-contained SVG (its own pattern).
fn swatch(index: usize, look: Look) -> String {
    let id = format!("qpr-map-swatch-{index}");
    let defs = pattern(&id, look).map(|p| format!("<defs>{p}</defs>")).unwrap_or_default();
    format!(
        r##"<svg class="map-swatch" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 16" width="24" height="16" aria-hidden="true" focusable="false">{defs}<rect x="0.5" y="0.5" width="23" height="15" fill="{}" stroke="#4A4A4A"/></svg>"##,
        fill(look, &id)
    )
}

/// Draws the map of `entries` with `legend`; `title` names it (the SVG's accessible name).
/// Every entry is a link with its name and class in its `<title>`; countries without an entry
/// are drawn in a light grey, without a link; an entry without a shape is only listed.
pub fn render(title: &str, entries: &[MapEntry], legend: &[LegendClass]) -> Result<WorldMap, MapError> {
    let world = world()?;
    let looks = looks(legend);
    if let Some(entry) = entries.iter().find(|e| e.class >= legend.len()) {
        return Err(MapError::UnknownClass { iso3: entry.iso3.clone(), class: entry.class, classes: legend.len() });
    }
    let pattern_id = |class: usize| format!("qpr-map-class-{class}");
    let mut svg = String::with_capacity(120_000);
    let _ = write!(
        svg,
        r#"<svg class="world-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="group" aria-labelledby="qpr-map-title"><title id="qpr-map-title">{}</title><defs>"#,
        world.width,
        world.height,
        escape(title)
    );
    for (class, look) in looks.iter().enumerate() {
        if let Some(p) = pattern(&pattern_id(class), *look) {
            svg.push_str(&p);
        }
    }
    svg.push_str("</defs>");
    let drawn: HashSet<&str> = entries.iter().map(|e| e.iso3.as_str()).collect();
    let _ = write!(svg, r#"<g aria-hidden="true" fill="{BACKGROUND}" stroke="{BORDER}" stroke-width="0.5">"#);
    for (code, shape) in world.shapes.iter().filter(|(code, _)| !drawn.contains(code.as_str())) {
        let _ = write!(svg, r#"<path d="{}"><title>{}</title></path>"#, shape.d, escape(code));
    }
    svg.push_str("</g>");
    let _ = write!(svg, r#"<g stroke="{BORDER}" stroke-width="0.5">"#);
    let mut markers = String::new();
    for entry in entries {
        let Some(shape) = world.shapes.get(&entry.iso3) else { continue };
        let name = format!("{}: {}", entry.name, legend[entry.class].label);
        let fill = fill(looks[entry.class], &pattern_id(entry.class));
        let (href, name) = (escape(&entry.href), escape(&name));
        let _ = write!(
            svg,
            r#"<a href="{href}" aria-label="{name}"><title>{name}</title><path d="{}" fill="{fill}"/></a>"#,
            shape.d
        );
        if shape.small {
            // Drawn after every shape, so no neighbour covers it.
            let (x, y) = shape.at;
            let _ = write!(
                markers,
                r##"<a href="{href}" aria-label="{name}"><title>{name}</title><circle cx="{x}" cy="{y}" r="{MARKER_RADIUS}" fill="{fill}" stroke="#1A1A1A" stroke-width="0.8"/></a>"##
            );
        }
    }
    svg.push_str(&markers);
    svg.push_str("</g></svg>");
    let classes = legend
        .iter()
        .enumerate()
        .map(|(index, class)| ClassList {
            label: class.label.clone(),
            swatch: swatch(index, looks[index]),
            parties: entries
                .iter()
                .filter(|e| e.class == index)
                .map(|e| ListedParty {
                    iso3: e.iso3.clone(),
                    name: e.name.clone(),
                    href: e.href.clone(),
                    on_map: world.shapes.get(&e.iso3).is_some_and(|s| !s.small),
                })
                .collect(),
        })
        .collect();
    Ok(WorldMap { svg, classes })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(iso3: &str, class: usize) -> MapEntry {
        MapEntry { iso3: iso3.into(), name: format!("{iso3} <&>"), class, href: format!("/parties/{iso3}?a=1&b=2") }
    }

    fn legend() -> Vec<LegendClass> {
        vec![
            LegendClass { label: "Reported".into(), neutral: false },
            LegendClass { label: "Not reported".into(), neutral: true },
        ]
    }

    #[test]
    fn the_bundled_boundaries_read_and_hold_the_parties_of_the_country_list() {
        let world = read_world(WORLD).unwrap();
        assert!(world.shapes.len() > 170, "{}", world.shapes.len());
        assert!(WORLD.len() < 200_000, "keep the data file small: {} bytes", WORLD.len());
        for code in ["AZE", "FRA", "BRA", "CAN", "RUS", "FJI", "AUS", "ZAF"] {
            assert!(world.shapes.contains_key(code), "{code}");
        }
        // Small states the 1:110m data lacks are not drawn (they are listed).
        for code in ["MLT", "MCO", "AND", "LIE", "SMR", "VAT", "BRB", "MDV"] {
            assert!(!world.shapes.contains_key(code), "{code}");
        }
        assert!(world.shapes["LUX"].small && !world.shapes["FRA"].small);
        for (code, shape) in &world.shapes {
            assert!(shape.d.starts_with('M') && shape.d.ends_with('z'), "{code}");
            let (x, y) = shape.at;
            assert!((0.0..=world.width as f64).contains(&x) && (0.0..=world.height as f64).contains(&y), "{code}");
            let known = qpr_domain::countries::by_iso3(code).is_some();
            assert!(known, "{code} is not in the country list");
        }
    }

    #[test]
    fn entries_are_links_with_their_class_and_others_are_background() {
        let entries = [entry("FRA", 0), entry("AZE", 1), entry("LUX", 0), entry("EUU", 0), entry("MLT", 1)];
        let map = render("Map <of> reports", &entries, &legend()).unwrap();
        let svg = &map.svg;
        assert!(svg.contains(r#"<title id="qpr-map-title">Map &lt;of&gt; reports</title>"#));
        // Each entry with a shape is one link (two for a small one: the shape and its marker).
        let link = |iso3: &str, class: &str| {
            format!(r#"<a href="/parties/{iso3}?a=1&amp;b=2" aria-label="{iso3} &lt;&amp;&gt;: {class}">"#)
        };
        assert_eq!(svg.matches(&link("FRA", "Reported")).count(), 1);
        assert_eq!(svg.matches(&link("AZE", "Not reported")).count(), 1);
        assert_eq!(svg.matches(&link("LUX", "Reported")).count(), 2, "a small state has a marker too");
        // The European Union and a state without a shape never break the map: they are listed.
        assert!(!svg.contains("EUU") && !svg.contains("/parties/MLT"));
        assert_eq!(svg.matches("<a ").count(), 4);
        // Countries without an entry are drawn, without a link.
        assert!(svg.contains("<title>BRA</title>"));
        assert!(!svg.contains("/parties/BRA"));
        // The first data class is the palette's first colour; the neutral class is grey.
        let fra = &svg[svg.find(&link("FRA", "Reported")).unwrap()..];
        assert!(fra[..fra.find("</a>").unwrap()].contains(r##"fill="#0072B2""##));
        let aze = &svg[svg.find(&link("AZE", "Not reported")).unwrap()..];
        assert!(aze[..aze.find("</a>").unwrap()].contains(&format!(r#"fill="{NEUTRAL}""#)));
        // The list holds every entry by class, saying which the map shows.
        fn names(class: &ClassList) -> Vec<(&str, bool)> {
            class.parties.iter().map(|p| (p.iso3.as_str(), p.on_map)).collect()
        }
        assert_eq!(names(&map.classes[0]), [("FRA", true), ("LUX", false), ("EUU", false)]);
        assert_eq!(names(&map.classes[1]), [("AZE", true), ("MLT", false)]);
        assert!(map.classes[1].swatch.contains(&format!(r#"fill="{NEUTRAL}""#)));
    }

    #[test]
    fn any_categorical_legend_is_coloured_and_patterned_apart() {
        let legend: Vec<LegendClass> = ["Yes", "No", "Partly", "Planned", "No answer"]
            .iter()
            .map(|label| LegendClass { label: (*label).into(), neutral: *label == "No answer" })
            .collect();
        let entries = [entry("FRA", 0), entry("DEU", 1), entry("ITA", 2), entry("ESP", 3), entry("PRT", 4)];
        let map = render("Answers", &entries, &legend).unwrap();
        let fills: Vec<String> = map
            .classes
            .iter()
            .map(|c| {
                let start = c.swatch.find(r#"<rect x="#).unwrap();
                c.swatch[start..].split("fill=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
            })
            .collect();
        assert_eq!(fills[0], "#0072B2");
        assert_eq!(fills[4], NEUTRAL);
        let distinct: HashSet<&String> = fills.iter().collect();
        assert_eq!(distinct.len(), 5, "{fills:?}");
        // Classes after the first carry a pattern besides their colour.
        assert!(map.classes[1].swatch.contains("<pattern") && map.classes[2].swatch.contains(PALETTE[2]));
        assert!(map.svg.contains(r#"<pattern id="qpr-map-class-1""#));
    }

    #[test]
    fn an_entry_outside_the_legend_is_an_error_naming_it() {
        let error = render("Map", &[entry("FRA", 2)], &legend()).unwrap_err();
        assert_eq!(error, MapError::UnknownClass { iso3: "FRA".into(), class: 2, classes: 2 });
        assert_eq!(error.to_string(), "FRA is in class 2, but the legend has 2 classes");
    }
}
