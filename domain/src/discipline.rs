//! Disciplines and where they go: the table of `domain.md` §4, kept as data
//! (`data/disciplines.csv`) rather than code, overridable per show by the programme
//! (`sacem`, `sacd`, `tax_fraction` columns).
//!
//! "review" means the engine cannot decide: the declaration carries a blocking issue asking the
//! administrator to choose, it never guesses.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

/// One controlled value of the `discipline` column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Discipline {
    Theatre,
    Conte,
    Marionnettes,
    Mime,
    Lecture,
    Opera,
    Danse,
    ComedieMusicale,
    Humour,
    CabaretMusicHall,
    ChansonVariete,
    Jazz,
    MusiquesActuelles,
    MusiquesUrbaines,
    MusiqueElectronique,
    MusiquesDuMonde,
    SpectacleSurGlace,
    Illusion,
    MusiquesTraditionnelles,
    MusiqueClassique,
    MusiqueContemporaine,
    Cirque,
    ArtsDeLaRue,
    Pluridisciplinaire,
}

impl Discipline {
    pub const ALL: [Discipline; 24] = [
        Discipline::Theatre,
        Discipline::Conte,
        Discipline::Marionnettes,
        Discipline::Mime,
        Discipline::Lecture,
        Discipline::Opera,
        Discipline::Danse,
        Discipline::ComedieMusicale,
        Discipline::Humour,
        Discipline::CabaretMusicHall,
        Discipline::ChansonVariete,
        Discipline::Jazz,
        Discipline::MusiquesActuelles,
        Discipline::MusiquesUrbaines,
        Discipline::MusiqueElectronique,
        Discipline::MusiquesDuMonde,
        Discipline::SpectacleSurGlace,
        Discipline::Illusion,
        Discipline::MusiquesTraditionnelles,
        Discipline::MusiqueClassique,
        Discipline::MusiqueContemporaine,
        Discipline::Cirque,
        Discipline::ArtsDeLaRue,
        Discipline::Pluridisciplinaire,
    ];

    /// The controlled value, as written in files (`chanson_variete`).
    pub fn code(self) -> &'static str {
        match self {
            Discipline::Theatre => "theatre",
            Discipline::Conte => "conte",
            Discipline::Marionnettes => "marionnettes",
            Discipline::Mime => "mime",
            Discipline::Lecture => "lecture",
            Discipline::Opera => "opera",
            Discipline::Danse => "danse",
            Discipline::ComedieMusicale => "comedie_musicale",
            Discipline::Humour => "humour",
            Discipline::CabaretMusicHall => "cabaret_music_hall",
            Discipline::ChansonVariete => "chanson_variete",
            Discipline::Jazz => "jazz",
            Discipline::MusiquesActuelles => "musiques_actuelles",
            Discipline::MusiquesUrbaines => "musiques_urbaines",
            Discipline::MusiqueElectronique => "musique_electronique",
            Discipline::MusiquesDuMonde => "musiques_du_monde",
            Discipline::SpectacleSurGlace => "spectacle_sur_glace",
            Discipline::Illusion => "illusion",
            Discipline::MusiquesTraditionnelles => "musiques_traditionnelles",
            Discipline::MusiqueClassique => "musique_classique",
            Discipline::MusiqueContemporaine => "musique_contemporaine",
            Discipline::Cirque => "cirque",
            Discipline::ArtsDeLaRue => "arts_de_la_rue",
            Discipline::Pluridisciplinaire => "pluridisciplinaire",
        }
    }

    /// Reads a controlled value; case, accents, spaces and dashes are tolerated
    /// (`Chanson-Variété` → `chanson_variete`).
    pub fn parse(text: &str) -> Option<Discipline> {
        let key = crate::text::normalise_key(text).replace([' ', '-'], "_");
        Discipline::ALL.into_iter().find(|d| d.code() == key)
    }

    /// The list of accepted values, for error messages.
    pub fn accepted_values() -> String {
        Discipline::ALL.map(|d| d.code()).join(", ")
    }
}

impl fmt::Display for Discipline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Which fraction of the tax on live shows a discipline falls in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fraction {
    Cnm,
    Astp,
    /// Outside the tax (classical, contemporary and traditional music, circus, street arts).
    None,
    /// The engine cannot decide; the administrator must choose.
    Review,
}

impl Fraction {
    pub fn parse(text: &str) -> Option<Fraction> {
        match crate::text::normalise_key(text).as_str() {
            "cnm" => Some(Fraction::Cnm),
            "astp" => Some(Fraction::Astp),
            "none" | "aucune" | "non" => Some(Fraction::None),
            "review" => Some(Fraction::Review),
            _ => None,
        }
    }
}

/// Whether a repertoire society (SACEM, SACD) is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Repertoire {
    Yes,
    No,
    Review,
}

impl Repertoire {
    fn parse(text: &str) -> Option<Repertoire> {
        match text.trim() {
            "yes" => Some(Repertoire::Yes),
            "no" => Some(Repertoire::No),
            "review" => Some(Repertoire::Review),
            _ => None,
        }
    }

    /// Applies a per-show override (`sacem = yes|no` in the programme).
    pub fn with_override(self, value: Option<bool>) -> Repertoire {
        match value {
            Some(true) => Repertoire::Yes,
            Some(false) => Repertoire::No,
            None => self,
        }
    }
}

/// One row of the discipline table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DisciplineRouting {
    pub discipline: Discipline,
    /// SIBIL `domaineRepresentation` label.
    pub sibil_label: String,
    pub fraction: Fraction,
    pub sacem: Repertoire,
    pub sacd: Repertoire,
    /// French label for documents.
    pub label_fr: String,
}

/// The whole table, loaded from `data/disciplines.csv` (or another file of the same shape).
#[derive(Clone, Debug)]
pub struct DisciplineTable {
    rows: BTreeMap<Discipline, DisciplineRouting>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("table des disciplines, ligne {line} : {reason}")]
pub struct DisciplineTableError {
    pub line: usize,
    pub reason: String,
}

const DEFAULT_TABLE: &str = include_str!("../data/disciplines.csv");

impl DisciplineTable {
    /// The table shipped with releve (`domain.md` §4).
    pub fn default_table() -> &'static DisciplineTable {
        static TABLE: OnceLock<DisciplineTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            DisciplineTable::parse(DEFAULT_TABLE).expect("the bundled discipline table is valid")
        })
    }

    /// Parses a `;`-separated table with a header; `#` lines are comments. Every discipline must
    /// appear exactly once.
    pub fn parse(text: &str) -> Result<DisciplineTable, DisciplineTableError> {
        let mut rows = BTreeMap::new();
        let mut header_seen = false;
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let raw = raw.trim();
            if raw.is_empty() || raw.starts_with('#') {
                continue;
            }
            if !header_seen {
                header_seen = true;
                continue;
            }
            let err = |reason: String| DisciplineTableError { line, reason };
            let cells: Vec<&str> = raw.split(';').map(str::trim).collect();
            if cells.len() != 6 {
                return Err(err(format!(
                    "6 colonnes attendues, {} trouvées",
                    cells.len()
                )));
            }
            let discipline = Discipline::parse(cells[0])
                .ok_or_else(|| err(format!("discipline inconnue « {} »", cells[0])))?;
            let fraction = Fraction::parse(cells[2])
                .ok_or_else(|| err(format!("fraction inconnue « {} »", cells[2])))?;
            let sacem = Repertoire::parse(cells[3])
                .ok_or_else(|| err(format!("valeur SACEM inconnue « {} »", cells[3])))?;
            let sacd = Repertoire::parse(cells[4])
                .ok_or_else(|| err(format!("valeur SACD inconnue « {} »", cells[4])))?;
            let routing = DisciplineRouting {
                discipline,
                sibil_label: cells[1].to_string(),
                fraction,
                sacem,
                sacd,
                label_fr: cells[5].to_string(),
            };
            if rows.insert(discipline, routing).is_some() {
                return Err(err(format!("discipline « {} » en double", cells[0])));
            }
        }
        if let Some(missing) = Discipline::ALL.iter().find(|d| !rows.contains_key(d)) {
            return Err(DisciplineTableError {
                line: 0,
                reason: format!("la discipline « {missing} » manque"),
            });
        }
        Ok(DisciplineTable { rows })
    }

    pub fn routing(&self, discipline: Discipline) -> &DisciplineRouting {
        &self.rows[&discipline]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_table_matches_domain_md() {
        let t = DisciplineTable::default_table();
        assert_eq!(t.routing(Discipline::Theatre).fraction, Fraction::Astp);
        assert_eq!(t.routing(Discipline::Humour).fraction, Fraction::Cnm);
        assert_eq!(t.routing(Discipline::Humour).sacd, Repertoire::Yes);
        assert_eq!(
            t.routing(Discipline::MusiqueClassique).fraction,
            Fraction::None
        );
        assert_eq!(
            t.routing(Discipline::Pluridisciplinaire).sacem,
            Repertoire::Review
        );
        assert_eq!(t.routing(Discipline::Jazz).sibil_label, "Jazz / blues");
        assert_eq!(t.routing(Discipline::Lecture).sibil_label, "Théâtre");
    }

    #[test]
    fn parses_tolerantly_and_rejects_unknown() {
        assert_eq!(
            Discipline::parse("Chanson-Variete"),
            Some(Discipline::ChansonVariete)
        );
        assert_eq!(Discipline::parse(" théâtre "), Some(Discipline::Theatre));
        assert_eq!(Discipline::parse("zumba"), None);
    }

    #[test]
    fn overrides_apply_per_show() {
        assert_eq!(Repertoire::No.with_override(Some(true)), Repertoire::Yes);
        assert_eq!(Repertoire::Review.with_override(None), Repertoire::Review);
    }

    #[test]
    fn broken_tables_are_refused_with_the_line() {
        let err = DisciplineTable::parse("h\ntheatre;Théâtre;astp;no;maybe;Théâtre").unwrap_err();
        assert_eq!(err.line, 2);
    }
}
