//! Holds `benches/downstream.rs`, which builds `tests/downstream/` cold and reports what
//! depending on `modelhost` costs against a baseline.
