//! Renderers: the same `Report` as JSON, CSV, XLSX (`rust_xlsxwriter`), HTML (with SVG charts)
//! and PDF (both on the shared document layer `releve_documents`). Each returns bytes; writing
//! files is the caller's job.

pub mod csv;
pub mod html;
pub mod json;
pub mod pdf;
pub mod svg;
pub mod xlsx;
