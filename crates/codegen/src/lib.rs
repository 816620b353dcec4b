//! The code-generation pipeline of this workspace, in one place: the build scripts of the
//! client crates, the snapshot tests and `cargo xtask codegen` all call it, so each step
//! exists once.
//!
//! `openapi/NAME.yaml` → [`load`] (parse; [`load::parse_checked`] also checks every `$ref`)
//! → [`adapt`] (refuse schemas that contain themselves, name the operations, translate
//! OpenAPI 3.1 to 3.0, present `+json` media types as JSON) → [`generate`] (progenitor, open
//! enums) → pretty-printed Rust. [`Spec`] runs the whole pipeline for a spec in
//! `openapi/`; [`openapi`] is the one walker and `$ref` resolver every step uses.
//!
//! The steps' modules are private: this list, [`load`], [`openapi`] and [`pointer`](mod@pointer) are the
//! public interface.

mod canonical;
mod contract;
mod cycles;
mod defaults;
mod downgrade;
mod error;
mod generate;
pub mod load;
mod media_types;
mod open_enums;
pub mod openapi;
mod operation_ids;
pub mod pointer;
mod refs;

pub use canonical::to_canonical_yaml;
pub use generate::generate;
pub use operation_ids::{method_names, prune as prune_overrides};
pub use refs::check_refs;

use std::path::{Path, PathBuf};

use serde_json::Value;

pub use error::{Location, Result, SpecError};
pub use operation_ids::Overrides;

/// A spec as progenitor is given it, and what the translation had to leave out.
#[derive(Debug, Clone)]
pub struct Adapted {
    /// The OpenAPI 3.0 document.
    pub doc: Value,
    /// JSON pointers (into the spec as written) of `default`s dropped as invalid for their schema.
    pub dropped_defaults: Vec<String>,
}

/// Refuses schemas that contain themselves (which would overflow progenitor's stack), gives
/// the operations their ids, translates the spec to OpenAPI 3.0 and presents `+json` media
/// types as JSON; `file` names the spec in errors.
pub fn adapt(file: &Path, mut doc: Value, overrides: &Overrides) -> Result<Adapted> {
    cycles::check_cycles(file, &doc)?;
    if doc.get("paths").is_none_or(Value::is_null) {
        // Optional in OpenAPI 3.1 (a document of webhooks or components only), and written
        // `paths:` with nothing under it; progenitor wants the mapping.
        doc["paths"] = Value::Object(serde_json::Map::new());
    }
    operation_ids::assign(file, &mut doc, overrides)?;
    let dropped_defaults = downgrade::downgrade(file, &mut doc)?;
    media_types::json_suffix_as_json(&mut doc);
    Ok(Adapted { doc, dropped_defaults })
}

/// Generates a client's Rust source from any spec (loaded and `$ref`-checked) and an override
/// table: what the build scripts do, for a spec that is not the one in `openapi/`.
pub fn generate_client(file: &Path, doc: Value, overrides: &Overrides) -> Result<String> {
    generate::generate(file, &adapt(file, doc, overrides)?.doc)
}

/// A spec kept in `openapi/` (one per provider) and generated into a client crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// Short lowercase name, as in `openapi/NAME.yaml`.
    pub name: &'static str,
    /// Whether `cargo xtask codegen` rewrites the spec in canonical form. Hand-written specs
    /// keep their maintainers' comments and layout, so they are only validated.
    pub canonical: bool,
    /// Whether `openapi/NAME.operation-ids.yaml` overrides the synthesized operation ids.
    pub has_overrides: bool,
}

/// Baseten: the spec as Baseten publishes it, kept in canonical form.
pub const BASETEN: Spec = Spec { name: "baseten", canonical: true, has_overrides: true };
/// Replicate: a hand-written spec (Replicate publishes none that can delete).
pub const REPLICATE: Spec = Spec { name: "replicate", canonical: false, has_overrides: false };
/// Every spec, in a stable order.
pub const SPECS: &[Spec] = &[BASETEN, REPLICATE];

impl Spec {
    /// Looks a provider up by name.
    pub fn named(name: &str) -> Option<Self> {
        SPECS.iter().copied().find(|p| p.name == name)
    }

    /// `ROOT/openapi/NAME.yaml`.
    pub fn spec_path(&self, root: &Path) -> PathBuf {
        root.join("openapi").join(format!("{}.yaml", self.name))
    }

    /// `ROOT/openapi/NAME.operation-ids.yaml`, where the provider has one.
    pub fn overrides_path(&self, root: &Path) -> Option<PathBuf> {
        self.has_overrides.then(|| root.join("openapi").join(format!("{}.operation-ids.yaml", self.name)))
    }

    /// Every file the generated client depends on.
    pub fn inputs(&self, root: &Path) -> Vec<PathBuf> {
        std::iter::once(self.spec_path(root)).chain(self.overrides_path(root)).collect()
    }

    /// Reads and checks the spec, as written in `openapi/`.
    pub fn load(&self, root: &Path) -> Result<Value> {
        load::load_checked(&self.spec_path(root))
    }

    /// Generates the client's Rust source from the spec in `root/openapi/`.
    pub fn generate(&self, root: &Path) -> Result<String> {
        let doc = self.load(root)?;
        self.generate_from(root, doc)
    }

    /// Generates the client's Rust source from an already loaded spec.
    pub fn generate_from(&self, root: &Path, doc: Value) -> Result<String> {
        generate_client(&self.spec_path(root), doc, &self.overrides(root)?)
    }

    /// The override table in `root/openapi/`, or an empty one for a provider without one.
    pub fn overrides(&self, root: &Path) -> Result<Overrides> {
        match self.overrides_path(root) {
            Some(path) => Overrides::load(&path),
            None => Ok(Overrides::default()),
        }
    }

    /// The document progenitor is given: operation ids assigned, translated to OpenAPI 3.0,
    /// `+json` media types presented as JSON.
    pub fn adapt(&self, root: &Path, doc: Value) -> Result<Adapted> {
        adapt(&self.spec_path(root), doc, &self.overrides(root)?)
    }

    /// The body of a client crate's `build.rs`: generates `OUT_DIR/client.rs`, or prints the
    /// error as one readable line and fails the build (no panic, no backtrace).
    ///
    /// The spec is read from the `openapi/` folder of the package being built, found at run
    /// time from the `CARGO_MANIFEST_DIR` cargo gives this run: in a checkout its files link
    /// to the workspace's `openapi/`, in a published package they are the files themselves.
    /// Nothing is located from where this crate was compiled, so checkouts that share a
    /// target directory each generate from their own specs.
    pub fn build_script(&self) {
        let root = PathBuf::from(
            std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR for build scripts"),
        );
        for input in self.inputs(&root) {
            println!("cargo::rerun-if-changed={}", input.display());
        }
        let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for build scripts"));
        match self.generate(&root) {
            Ok(code) => {
                if let Err(e) = std::fs::write(out.join("client.rs"), code) {
                    println!("cargo::error=cannot write the generated {} client: {e}", self.name);
                    std::process::exit(1);
                }
            }
            Err(e) => {
                println!("cargo::error={e}");
                std::process::exit(1);
            }
        }
    }
}
