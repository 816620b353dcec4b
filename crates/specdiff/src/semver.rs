//! The version bump a spec change needs in the crate generated from it, by the levels the
//! diff already gives: a breaking edit (over HTTP or in the generated Rust API) needs a major
//! release, any other change a minor one, documentation alone a patch.

use crate::SpecReport;
use crate::rules::Level;

pub use ::semver::Version;

/// How far a crate's version must move, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// Nothing changed.
    None,
    /// Documentation only: the generated doc comments change, the API does not.
    Patch,
    /// Added or changed without breaking: new operations, fields, variants; warnings.
    Minor,
    /// Something that compiled or worked before may not: any breaking edit.
    Major,
}

/// The crate a spec generates, with its version today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// The crate's name (`modelhost-baseten`).
    pub name: String,
    /// Its version in the revision compared.
    pub version: Version,
}

impl Bump {
    /// The bump `spec` needs.
    pub fn of(spec: &SpecReport) -> Self {
        match spec.max_level() {
            Some(Level::Breaking) => Self::Major,
            Some(Level::Warning | Level::Info) => Self::Minor,
            None if spec.diff.documentation.is_empty() => Self::None,
            None => Self::Patch,
        }
    }

    /// `major`, `minor`, `patch` or `none`.
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Patch => "patch",
            Self::Minor => "minor",
            Self::Major => "major",
        }
    }

    /// The lowest version after `released` that this bump allows, by Cargo's rules: below 1.0
    /// the minor number acts as the major (0.3.1 → 0.4.0 breaks) and the patch number as the
    /// minor (0.3.1 → 0.3.2 adds), so a major bump moves the minor and a minor one the patch.
    pub fn next(self, released: &Version) -> Version {
        let (major, minor, patch) = (released.major, released.minor, released.patch);
        let (major, minor, patch) = match (self, major) {
            (Self::None, _) => (major, minor, patch),
            (Self::Major, 0) => (0, minor + 1, 0),
            (Self::Major, _) => (major + 1, 0, 0),
            (Self::Minor, 0) | (Self::Patch, _) => (major, minor, patch + 1),
            (Self::Minor, _) => (major, minor + 1, 0),
        };
        Version::new(major, minor, patch)
    }

    /// Whether going from `released` to `proposed` makes at least this bump (a release that
    /// skips further is allowed: 0.3.1 → 1.0.0 covers a minor bump).
    pub fn allows(self, released: &Version, proposed: &Version) -> bool {
        let strip = |v: &Version| Version::new(v.major, v.minor, v.patch);
        strip(proposed) >= self.next(released)
    }
}

impl std::fmt::Display for Bump {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a spec's change means for its crate's version: the bump, and the next version when
/// the crate is known.
pub fn describe(spec: &SpecReport) -> String {
    let bump = Bump::of(spec);
    match (&spec.package, bump) {
        (Some(p), Bump::None) => format!("no release needed ({} stays {})", p.name, p.version),
        (Some(p), bump) => format!("{bump}: {} {} → {}", p.name, p.version, bump.next(&p.version)),
        (None, Bump::None) => "no release needed".to_owned(),
        (None, bump) => format!("{bump} release"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn below_one_the_minor_number_is_the_major() {
        assert_eq!(Bump::Major.next(&v("0.3.1")), v("0.4.0"));
        assert_eq!(Bump::Minor.next(&v("0.3.1")), v("0.3.2"));
        assert_eq!(Bump::Patch.next(&v("0.3.1")), v("0.3.2"));
        assert_eq!(Bump::None.next(&v("0.3.1")), v("0.3.1"));
    }

    #[test]
    fn from_one_on_each_number_means_what_semver_says() {
        assert_eq!(Bump::Major.next(&v("1.2.3")), v("2.0.0"));
        assert_eq!(Bump::Minor.next(&v("1.2.3")), v("1.3.0"));
        assert_eq!(Bump::Patch.next(&v("1.2.3")), v("1.2.4"));
    }

    #[test]
    fn a_version_may_move_further_than_needed_but_not_less() {
        assert!(Bump::Major.allows(&v("0.3.1"), &v("0.4.0")));
        assert!(Bump::Major.allows(&v("0.3.1"), &v("1.0.0")));
        assert!(!Bump::Major.allows(&v("0.3.1"), &v("0.3.2")));
        assert!(Bump::Minor.allows(&v("1.2.3"), &v("1.3.0")));
        assert!(!Bump::Minor.allows(&v("1.2.3"), &v("1.2.4")));
        assert!(Bump::None.allows(&v("1.2.3"), &v("1.2.3")));
        assert!(!Bump::Patch.allows(&v("1.2.3"), &v("1.2.3")));
    }
}
