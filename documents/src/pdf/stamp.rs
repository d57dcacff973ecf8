//! Stamps: what a version's life adds to its documents — "rectificatif de la version 1", "remplace
//! la version 1 (non transmise)", "approuvée par … malgré …" — printed by the shared PDF layer on
//! whatever form a declaration renders.
//!
//! Why a scoped stamp rather than a parameter: the declaration builders are pure functions of the
//! month's facts and know nothing of versions; the version workflow (the binary) knows the
//! versions but not the forms. [`with_stamp`] sets a stamp for the duration of a synchronous
//! closure on the current thread, and [`super::Form::render`] applies it: the title gets its
//! prefix, banner lines go under the title, extra blocks come first, and the footer can be
//! replaced. Outside a stamp nothing changes, so drafts stay byte-identical. Rendering is
//! synchronous, so a thread-local scope is exact (no await can run another task inside it).

use super::{Block, Form};
use std::cell::RefCell;

/// What to print on every form rendered inside [`with_stamp`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stamp {
    /// Put before the title: `RECTIFICATIF de la version 1 — `.
    pub title_prefix: String,
    /// Lines under the title, before the form's own subtitles.
    pub banner: Vec<String>,
    /// Blocks placed before the form's own blocks (a comparison table, a reason).
    pub blocks: Vec<Block>,
    /// Replaces the footer when set (an approved version is no longer a "brouillon").
    pub footer: Option<String>,
}

impl Stamp {
    /// The form as stamped.
    pub fn apply(&self, form: &Form) -> Form {
        let mut f = form.clone();
        f.title = format!("{}{}", self.title_prefix, form.title);
        let mut subtitles = self.banner.clone();
        subtitles.extend(form.subtitles.iter().cloned());
        f.subtitles = subtitles;
        let mut blocks = self.blocks.clone();
        if !blocks.is_empty() {
            // The declaration itself starts on its own page after the stamp's blocks.
            blocks.push(Block::PageBreak);
        }
        blocks.extend(form.blocks.iter().cloned());
        f.blocks = blocks;
        if let Some(footer) = &self.footer {
            f.footer = footer.clone();
        }
        f
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Stamp>> = const { RefCell::new(None) };
}

/// Runs `f` with `stamp` applied to every form rendered on this thread meanwhile.
pub fn with_stamp<T>(stamp: Stamp, f: impl FnOnce() -> T) -> T {
    /// Restores the previous stamp even if `f` panics.
    struct Restore(Option<Stamp>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            CURRENT.with(|c| *c.borrow_mut() = previous);
        }
    }
    let previous = CURRENT.with(|c| c.borrow_mut().replace(stamp));
    let _restore = Restore(previous);
    f()
}

/// The stamp in force, if any.
pub(super) fn current() -> Option<Stamp> {
    CURRENT.with(|c| c.borrow().clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::pdf_text;
    use chrono::{TimeZone, Utc};

    fn form() -> Form {
        let mut f = Form::new("Bordereau de recettes (SACD)");
        f.subtitle("Novembre 2025")
            .footer("brouillon")
            .paragraph("Corps");
        f
    }

    #[test]
    fn a_stamp_prefixes_the_title_and_adds_its_blocks_first() {
        let stamp = Stamp {
            title_prefix: "RECTIFICATIF de la version 1 — ".into(),
            banner: vec!["Rectifie la version 1 transmise le 05/12/2025".into()],
            blocks: vec![Block::Paragraph("Différence : +0,83 €".into())],
            footer: Some("version 2".into()),
        };
        let at = Utc.with_ymd_and_hms(2025, 12, 1, 8, 0, 0).unwrap();
        let stamped = with_stamp(stamp, || form().render(at).unwrap());
        let text = pdf_text(&stamped);
        assert!(
            text.contains("RECTIFICATIF de la version 1 — Bordereau de recettes (SACD)"),
            "{text}"
        );
        assert!(text.contains("Rectifie la version 1 transmise le 05/12/2025"));
        let diff = text.find("Différence : +0,83 €").unwrap();
        assert!(diff < text.find("Corps").unwrap());
        assert!(text.contains("version 2") && !text.contains("brouillon"));
        // Outside the scope the form renders as before.
        let plain = pdf_text(&form().render(at).unwrap());
        assert!(!plain.contains("RECTIFICATIF") && plain.contains("brouillon"));
    }
}
