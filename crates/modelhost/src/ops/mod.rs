//! Operations over any provider, written only against the [`ModelHost`](crate::ModelHost)
//! trait: [`Hosts`](crate::Hosts) routes a reference to its provider's host (through one
//! [`get`](crate::Hosts::get)), a [cascade](crate::ModelHost::delete_model_cascade) deletes a
//! model with what stands in its way, the [`cleanup`] plans, checks and
//! applies deletes by rule, and [`costs`] says what standing resources cost.
//!
//! Invariants: nothing here builds a request or reads an answer (that is the providers' and
//! the client's); a destructive step runs only after the facts it was chosen by were read
//! again; every target ends in one [`Outcome`](crate::Outcome). API boundary: `Hosts`, the
//! cascade's options and report, and the public `cleanup` module.

pub mod cascade;
pub mod cleanup;
pub mod costs;
pub mod hosts;
