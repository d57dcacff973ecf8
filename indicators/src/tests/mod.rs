//! Tests over a small hand-made data set (`fixture.rs`): every family against hand-computed
//! figures, missing data and zero denominators, previous periods, and the outputs (golden JSON
//! and CSV in `testdata/`, HTML charts, PDF text, XLSX sheets).

mod families;
mod fixture;
mod outputs;
