//! Renderers: the same `Report` as JSON, CSV, XLSX, HTML (with SVG charts) and PDF. Each returns
//! bytes; writing files is the caller's job.

pub mod csv;
pub mod html;
pub mod json;
pub mod pdf;
mod pdf_font;
pub mod svg;
pub mod xlsx;
mod zip;
