//! The header row: which known column sits at which position.

use std::collections::HashMap;

/// The columns a format knows. Names are lower case, as written in `formats.md`.
#[derive(Clone, Copy, Debug)]
pub struct ColumnSpec {
    pub required: &'static [&'static str],
    pub optional: &'static [&'static str],
}

impl ColumnSpec {
    fn known(&self, name: &str) -> Option<&'static str> {
        self.required
            .iter()
            .chain(self.optional)
            .copied()
            .find(|k| *k == name)
    }
}

/// Positions of the known columns found in a header. Unknown columns are ignored.
#[derive(Clone, Debug, Default)]
pub struct Columns {
    index: HashMap<&'static str, usize>,
}

impl Columns {
    /// Matches header cells to the spec: names trimmed, case ignored. Refuses a header that
    /// misses required columns or repeats a known one (which one to read would be a guess).
    /// The error is the French reason, without the file name.
    pub fn from_header<'a>(
        spec: &ColumnSpec,
        cells: impl Iterator<Item = &'a str>,
    ) -> Result<Columns, String> {
        let mut index = HashMap::new();
        let mut found = Vec::new();
        for (position, cell) in cells.enumerate() {
            let name = cell.trim().to_lowercase();
            if let Some(known) = spec.known(&name) {
                if index.insert(known, position).is_some() {
                    return Err(format!(
                        "la colonne « {known} » apparaît deux fois ; gardez-en une seule"
                    ));
                }
            }
            found.push(cell.trim().to_string());
        }
        let missing: Vec<&str> = spec
            .required
            .iter()
            .copied()
            .filter(|r| !index.contains_key(r))
            .collect();
        if !missing.is_empty() {
            let plural = if missing.len() > 1 { "s" } else { "" };
            return Err(format!(
                "colonne{plural} obligatoire{plural} absente{plural} : {} (colonnes trouvées : {}) ; \
                 ajoutez-la{plural} à la première ligne du fichier",
                missing.join(", "),
                if found.is_empty() {
                    "aucune".to_string()
                } else {
                    found.join(", ")
                }
            ));
        }
        Ok(Columns { index })
    }

    pub fn position(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: ColumnSpec = ColumnSpec {
        required: &["a", "b", "c"],
        optional: &["d"],
    };

    #[test]
    fn trims_and_ignores_case_and_extra_columns() {
        let cols =
            Columns::from_header(&SPEC, [" B ", "extra", "A", "c", "D"].into_iter()).unwrap();
        assert_eq!(cols.position("a"), Some(2));
        assert_eq!(cols.position("b"), Some(0));
        assert_eq!(cols.position("d"), Some(4));
        assert_eq!(cols.position("extra"), None);
    }

    #[test]
    fn names_every_missing_column() {
        let err = Columns::from_header(&SPEC, ["b", "x"].into_iter()).unwrap_err();
        assert!(
            err.starts_with("colonnes obligatoires absentes : a, c "),
            "{err}"
        );
        let err = Columns::from_header(&SPEC, ["a", "A", "b", "c"].into_iter()).unwrap_err();
        assert!(err.contains("« a » apparaît deux fois"), "{err}");
    }
}
