//! The version bump `cargo xtask diff` states, over the spec pairs: each outcome (major,
//! minor, patch, none) from real pairs, below and from 1.0, and the Rust API's part in it.

use std::path::Path;

use modelhost_specdiff::semver::{Bump, Package, Version as SemVer, describe};
use modelhost_specdiff::{RustApiSource, SpecReport, SpecText};
use modelhost_specdiff_tests::{Pair, pairs};

fn report(pair: &Pair, source: RustApiSource<'_>) -> SpecReport {
    let (base, revision) = (pair.base.to_string(), pair.revision.to_string());
    let name = Path::new("pair.yaml");
    let base = SpecText { name, text: &base, overrides: None };
    let revision = SpecText { name, text: &revision, overrides: None };
    SpecReport::compare_under(&pair.name, Some(base), revision, source, pair.policy).unwrap()
}

/// The bump a pair's expectations call for, over HTTP.
fn expected(pair: &Pair) -> Bump {
    let levels: Vec<&str> = pair.expect.values().map(String::as_str).collect();
    if levels.contains(&"breaking") {
        Bump::Major
    } else if !levels.is_empty() {
        Bump::Minor
    } else if pair.documentation > 0 {
        Bump::Patch
    } else {
        Bump::None
    }
}

fn named(name: &str) -> Pair {
    pairs().into_iter().find(|p| p.name == name).unwrap_or_else(|| panic!("no pair {name}"))
}

#[test]
fn every_pair_gets_the_bump_its_levels_call_for() {
    let mut seen = std::collections::BTreeSet::new();
    for pair in pairs() {
        let bump = Bump::of(&report(&pair, RustApiSource::Skip));
        assert_eq!(bump, expected(&pair), "{}", pair.name);
        seen.insert(bump);
    }
    assert!(
        seen.contains(&Bump::Major) && seen.contains(&Bump::Minor) && seen.contains(&Bump::Patch),
        "{seen:?}"
    );
}

#[test]
fn one_pair_per_outcome_below_and_from_one() {
    let cases = [
        (
            "request-property-became-required",
            "major: modelhost-x 0.3.1 → 0.4.0",
            "major: modelhost-x 1.2.3 → 2.0.0",
        ),
        (
            "response-property-enum-value-added",
            "minor: modelhost-x 0.3.1 → 0.3.2",
            "minor: modelhost-x 1.2.3 → 1.3.0",
        ),
        ("documentation-only", "patch: modelhost-x 0.3.1 → 0.3.2", "patch: modelhost-x 1.2.3 → 1.2.4"),
    ];
    for (name, below_one, from_one) in cases {
        let mut spec = report(&named(name), RustApiSource::InProcess);
        spec.package = Some(Package { name: "modelhost-x".to_owned(), version: SemVer::new(0, 3, 1) });
        assert_eq!(describe(&spec), below_one, "{name}");
        spec.package = Some(Package { name: "modelhost-x".to_owned(), version: SemVer::new(1, 2, 3) });
        assert_eq!(describe(&spec), from_one, "{name}");
    }
    let pair = named("documentation-only");
    let unchanged = Pair { revision: pair.base.clone(), ..pair };
    assert_eq!(Bump::of(&report(&unchanged, RustApiSource::InProcess)), Bump::None);
}

/// Over HTTP a lowered response minimum is a warning; in the generated client the field
/// loses its non-zero type, which breaks callers: the bump must say major.
#[test]
fn the_generated_rust_api_can_raise_the_bump() {
    let mut raised = Vec::new();
    for pair in pairs() {
        let http = Bump::of(&report(&pair, RustApiSource::Skip));
        let rust = Bump::of(&report(&pair, RustApiSource::InProcess));
        assert!(rust >= http, "{}: {rust} with the Rust API, {http} without", pair.name);
        if rust > http {
            raised.push(pair.name);
        }
    }
    assert!(!raised.is_empty(), "no pair's Rust API raises its bump");
}

/// One level per finding: the row a reader sees (text, JSON, annotation) shows the level the
/// header counts and the bump follows, and says so where the Rust consequence raised it.
#[test]
fn rows_show_the_level_they_are_counted_at() {
    use modelhost_specdiff::Report;
    use modelhost_specdiff::render::Format;
    let mut raised = 0;
    for pair in pairs() {
        let spec = report(&pair, RustApiSource::InProcess);
        let groups = spec.rust_groups();
        let levels: Vec<_> =
            spec.diff.changes.iter().map(|c| (spec.level_of(c, &groups), c.rule.level)).collect();
        let report = Report { base: "base".into(), specs: vec![spec] };
        let json: serde_json::Value = serde_json::from_str(&Format::Json.render(&report)).unwrap();
        let rows = json["specs"][0]["changes"].as_array().unwrap();
        let text = Format::Text.render(&report);
        for (row, (counted, http)) in rows.iter().zip(&levels) {
            assert_eq!(row["level"], counted.name(), "{}: {row}", pair.name);
            assert_eq!(row["http_level"], http.name(), "{}: {row}", pair.name);
            if counted != http {
                raised += 1;
                let note =
                    format!("({} over HTTP; {} for the generated Rust API)", http.name(), counted.name());
                assert!(text.contains(&note), "{}: {text}", pair.name);
            }
        }
        let counts = report.counts();
        let rows_at = |l: &str| rows.iter().filter(|r| r["level"] == l).count();
        assert!(counts.breaking >= rows_at("breaking") && counts.warning >= rows_at("warning"));
        assert!(counts.info >= rows_at("info"));
    }
    assert!(raised > 0, "no pair's row was raised by its Rust consequence");
}
