//! The domain: what the facade's operations are about and what they answer, with no
//! provider's API in it. References ([`ModelRef`](crate::ModelRef),
//! [`VersionRef`](crate::VersionRef), [`DeploymentRef`](crate::DeploymentRef) and
//! [`Target`](crate::Target), which is any of them), what a listing says of a version
//! ([`VersionInfo`](crate::VersionInfo)), whose account a token is
//! ([`Account`](crate::Account)), and how an operation ended: the one
//! [`Error`](crate::Error), [`State`](crate::State) and [`Outcome`](crate::Outcome).
//!
//! Invariants: nothing here sends a request or reads an answer; a reference exists only checked, so no part of it can carry a `/`, `..`, an
//! escape or a query into a URL; text split once and built by kind; references travel as the
//! text they parse from and are checked again when read (plans, journals); "how it ended" is
//! one enum everywhere. API boundary: every type here is public and re-exported at the
//! crate's root.

pub(crate) mod account;
pub(crate) mod listing;
pub(crate) mod outcome;
pub(crate) mod reference;
pub(crate) mod training;
