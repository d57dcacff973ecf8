//! Shared renderers: the same model to JSON, CSV and PDF (XML for SACD).
