//! One spec pair per rule (`tests/specdiff/pairs/RULE.yaml`): comparing its base with its
//! revision must find exactly the rule ids and levels the pair expects, and nothing else.

use std::collections::{BTreeMap, BTreeSet};

use modelhost_specdiff::rules::RULES;
use modelhost_specdiff::{diff, diff_under};
use modelhost_specdiff_tests::pairs;

#[test]
fn every_pair_finds_exactly_what_it_expects() {
    let mut failures = Vec::new();
    for pair in pairs() {
        let found = diff_under(&pair.base, &pair.revision, pair.policy);
        let got: BTreeMap<String, String> =
            found.changes.iter().map(|c| (c.rule.id.to_owned(), c.rule.level.name().to_owned())).collect();
        let messages: Vec<_> =
            found.changes.iter().map(|c| format!("{}: {}", c.rule.id, c.message)).collect();
        if got != pair.expect || found.changes.len() != pair.expect.len() {
            failures.push(format!("{}: expected {:?}, found {messages:#?}", pair.name, pair.expect));
        }
        if found.documentation.len() != pair.documentation {
            failures.push(format!(
                "{}: expected {} documentation edits, found {:#?}",
                pair.name, pair.documentation, found.documentation
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_http_rule_has_a_pair_named_after_it() {
    let names: BTreeSet<String> = pairs().into_iter().map(|p| p.name).collect();
    let missing: Vec<_> =
        RULES.iter().filter(|r| !r.id.starts_with("rust-") && !names.contains(r.id)).map(|r| r.id).collect();
    assert!(missing.is_empty(), "rules without a pair in tests/specdiff/pairs: {missing:?}");
}

#[test]
fn each_rule_pair_expects_its_rule_at_the_catalogued_level() {
    for pair in pairs() {
        if let Some(rule) = RULES.iter().find(|r| r.id == pair.name) {
            assert_eq!(
                pair.expect.get(rule.id).map(String::as_str),
                Some(rule.level.name()),
                "{}",
                pair.name
            );
        }
    }
}

#[test]
fn comparing_a_document_with_itself_finds_nothing() {
    for pair in pairs() {
        for doc in [&pair.base, &pair.revision] {
            let found = diff(doc, doc);
            assert!(found.changes.is_empty() && found.documentation.is_empty(), "{}: {found:?}", pair.name);
        }
    }
}

#[test]
fn the_readme_lists_every_rule_at_its_level() {
    let readme =
        std::fs::read_to_string(modelhost_specdiff_tests::dir().join("../../crates/specdiff/README.md"))
            .unwrap();
    let table = modelhost_specdiff::rules::markdown_table();
    assert_eq!(table.lines().count(), RULES.len() + 2);
    for (rule, row) in RULES.iter().zip(table.lines().skip(2)) {
        assert!(row.starts_with(&format!("| `{}` | {} |", rule.id, rule.level.name())), "{row}");
        assert!(readme.contains(row), "crates/specdiff/README.md lacks the row: {row}");
    }
}

/// `response-property-added-to-closed-object` is breaking because of what the generated
/// client does with `additionalProperties: false`: the base's closed object becomes a type
/// that refuses unknown fields, so an answer with the new property does not decode.
#[test]
fn a_closed_response_object_is_generated_to_refuse_unknown_fields() {
    let pair = pairs().into_iter().find(|p| p.name == "response-property-added-to-closed-object").unwrap();
    let doc = pair.base.clone();
    let code =
        modelhost_codegen::generate_client(std::path::Path::new("pair.yaml"), doc, &Default::default())
            .unwrap();
    let model = code.find("pub struct Model {").expect("the Model type");
    let attributes = &code[code[..model].rfind('}').unwrap_or(0)..model];
    assert!(attributes.contains("deny_unknown_fields"), "{attributes}");
}

/// An object the base closed that gains several properties is one edit, found once: the
/// finding names every property added and the object they were added to.
#[test]
fn properties_added_to_a_closed_object_are_one_finding() {
    let pair = pairs().into_iter().find(|p| p.name == "response-property-added-to-closed-object").unwrap();
    let mut revision = pair.revision.clone();
    let properties = &mut revision["components"]["schemas"]["Model"]["properties"];
    for name in ["owner", "size", "labels"] {
        properties[name] = serde_json::json!({"type": "string"});
    }
    let found = diff(&pair.base, &revision);
    assert_eq!(found.changes.len(), 1, "{:#?}", found.changes);
    let message = &found.changes[0].message;
    for name in ["`created_at`", "`owner`", "`size`", "`labels`", "4 properties", "response schema `Model`"] {
        assert!(message.contains(name), "{name}: {message}");
    }
}

/// `--deprecation-days`: a new deprecation's sunset date must be that many days ahead (by
/// default 0, as oasdiff: not passed already), and with a policy it must have one; what
/// declares itself `alpha` is held to 0; a sunset brought forward is held to the same.
#[test]
fn the_deprecation_policy_asks_for_a_sunset_far_enough_ahead() {
    use modelhost_specdiff::Policy;
    let ids = |base: &serde_json::Value, revision: &serde_json::Value, days: u32| -> Vec<&'static str> {
        let policy = Policy { deprecation_days: days };
        diff_under(base, revision, policy).changes.iter().map(|c| c.rule.id).collect()
    };
    let pair = pairs().into_iter().find(|p| p.name == "api-sunset-date-too-small").unwrap();
    let (mut base, mut revision) = (pair.base.clone(), pair.revision.clone());
    assert_eq!(ids(&base, &revision, 0), ["api-sunset-date-too-small"], "a date already passed");
    let operation = "/paths/~1models/get";
    let ahead = chrono::Utc::now().date_naive() + chrono::Days::new(60);
    revision.pointer_mut(operation).unwrap()["x-sunset"] = ahead.to_string().into();
    assert_eq!(ids(&base, &revision, 0), ["endpoint-deprecated-with-sunset"]);
    assert_eq!(ids(&base, &revision, 30), ["endpoint-deprecated-with-sunset"]);
    assert_eq!(ids(&base, &revision, 90), ["api-sunset-date-too-small"]);
    for doc in [&mut base, &mut revision] {
        doc.pointer_mut(operation).unwrap()["x-stability-level"] = "alpha".into();
    }
    assert_eq!(ids(&base, &revision, 90), ["endpoint-deprecated-with-sunset"]);
    let missing = pairs().into_iter().find(|p| p.name == "api-deprecated-sunset-missing").unwrap();
    assert_eq!(ids(&missing.base, &missing.revision, 0), ["endpoint-deprecated"]);
    let moved = pairs().into_iter().find(|p| p.name == "api-sunset-date-changed-too-small").unwrap();
    assert_eq!(ids(&moved.base, &moved.revision, 0), ["api-sunset-date-changed-too-small"]);
    let mut revision = moved.revision.clone();
    revision.pointer_mut(operation).unwrap()["x-sunset"] = ahead.to_string().into();
    assert_eq!(ids(&moved.base, &revision, 30), Vec::<&str>::new());
    assert_eq!(ids(&moved.base, &revision, 90), ["api-sunset-date-changed-too-small"]);
}
