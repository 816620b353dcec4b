//! What the README's two commands compile, read from cargo's own plan (`--unit-graph`, which
//! plans without building): no crate compiled twice, and one TLS crypto backend.
//!
//! `--unit-graph` is unstable; `RUSTC_BOOTSTRAP=1` lets the stable cargo print it. Its
//! layout is versioned, and a version this test does not know fails it with that message.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The builds a new user runs, in order: `cargo xtask codegen` (the xtask, then the snapshot
/// tests it starts), then `cargo test --workspace`.
const BUILDS: [&[&str]; 3] = [
    &["build", "--package", "xtask"],
    &[
        "test",
        "--no-run",
        "--package",
        "xtask",
        "--package",
        "modelhost-codegen-tests",
        "--test",
        "generated_code",
    ],
    &["test", "--no-run", "--workspace"],
];

/// One planned compilation: what is compiled, and a digest of everything that makes cargo
/// build it apart from another (features, profile, dependencies, recursively).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Unit {
    what: String,
    identity: String,
    features: Vec<String>,
    profile: String,
}

fn unit_graph(args: &[&str]) -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .args(["--unit-graph", "-Z", "unstable-options", "--quiet"])
        .env("RUSTC_BOOTSTRAP", "1")
        .current_dir(root)
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "cargo {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    let graph: Value = serde_json::from_slice(&output.stdout).expect("the unit graph is JSON");
    assert_eq!(graph["version"], 1, "cargo's unit graph has a layout this test does not know");
    graph
}

/// The compilations one build plans (running build scripts and doc tests left out).
fn units(graph: &Value) -> Vec<Unit> {
    let nodes = graph["units"].as_array().unwrap();
    let mut memo: HashMap<usize, String> = HashMap::new();
    fn identity(i: usize, nodes: &[Value], memo: &mut HashMap<usize, String>) -> String {
        if let Some(id) = memo.get(&i) {
            return id.clone();
        }
        let node = &nodes[i];
        let mut profile = node["profile"].clone();
        // The profile's name (dev, test) is not part of what cargo compiles.
        profile.as_object_mut().unwrap().remove("name");
        let mut deps: Vec<String> = node["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| identity(d["index"].as_u64().unwrap() as usize, nodes, memo))
            .collect();
        deps.sort();
        let key = serde_json::json!([
            node["pkg_id"],
            node["target"]["name"],
            node["target"]["kind"],
            node["mode"],
            node["features"],
            profile,
            node["platform"],
            deps
        ]);
        // A digest, not the text: the text would hold every dependency's text again.
        let mut hasher = std::hash::DefaultHasher::new();
        key.to_string().hash(&mut hasher);
        let id = format!("{:016x}", hasher.finish());
        memo.insert(i, id.clone());
        id
    }
    (0..nodes.len())
        .filter(|&i| matches!(nodes[i]["mode"].as_str(), Some("build" | "test")))
        .map(|i| {
            let node = &nodes[i];
            // `registry+…#serde@1.0.0`, or `path+file:///…/xtask#0.1.0` for a member.
            let (source, version) = node["pkg_id"].as_str().unwrap().rsplit_once('#').unwrap();
            let package = match version.contains('@') {
                true => version.to_owned(),
                false => format!("{}@{version}", source.rsplit('/').next().unwrap()),
            };
            let mut profile = node["profile"].clone();
            profile.as_object_mut().unwrap().remove("name");
            Unit {
                what: format!("{package} {} ({})", node["target"]["name"], node["mode"]),
                identity: identity(i, nodes, &mut memo),
                features: serde_json::from_value(node["features"].clone()).unwrap(),
                profile: profile.to_string(),
            }
        })
        .collect()
}

#[test]
fn the_readme_commands_compile_each_crate_once() {
    let mut variants: BTreeMap<String, BTreeSet<Unit>> = BTreeMap::new();
    for args in BUILDS {
        for unit in units(&unit_graph(args)) {
            variants.entry(unit.what.clone()).or_default().insert(unit);
        }
    }
    let twice: Vec<String> = variants
        .iter()
        .filter(|(_, units)| units.iter().map(|u| &u.identity).collect::<BTreeSet<_>>().len() > 1)
        .map(|(what, units)| {
            let settings: BTreeSet<(&Vec<String>, &String)> =
                units.iter().map(|u| (&u.features, &u.profile)).collect();
            if settings.len() == 1 {
                return format!("  {what}, {} ways: its dependencies differ", units.len());
            }
            let how: Vec<String> = settings
                .iter()
                .map(|(features, profile)| format!("    features {features:?}, profile {profile}"))
                .collect();
            format!("  {what}, {} ways:\n{}", units.len(), how.join("\n"))
        })
        .collect();
    assert!(
        twice.is_empty(),
        "compiled more than once across `cargo xtask codegen` and `cargo test --workspace` (a \
         feature or profile differs, here or in a dependency; see the comments on \
         [profile.dev.package] and resolver in Cargo.toml):\n{}",
        twice.join("\n")
    );
}

#[test]
fn one_tls_crypto_backend_is_compiled() {
    let packages: BTreeSet<String> = units(&unit_graph(BUILDS[2]))
        .into_iter()
        .map(|u| u.what.split('@').next().unwrap().to_owned())
        .collect();
    assert!(packages.contains("aws-lc-rs"), "rustls's aws-lc-rs backend is not built: {packages:?}");
    for other in ["ring", "openssl", "openssl-sys", "native-tls"] {
        assert!(!packages.contains(other), "{other} is built beside aws-lc-rs");
    }
}
