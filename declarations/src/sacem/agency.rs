//! The SACEM regional delegations, chosen by the department of a postal code.
//!
//! The table is a semicolon-separated file `department;agency;city;email` (comments start
//! with `#`): `data/sacem_agencies.csv` is embedded as the default, and another file of the same
//! shape can be given with [`AgencyTable::parse`]. The department of a postal code is its first
//! two digits, `2A`/`2B` for Corsica (20000–20199 → 2A, 20200 and above → 2B) and the first
//! three digits overseas (971…976).

use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A regional delegation, as written in `sacem.json` (`agency`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Agency {
    pub name: String,
    /// Added to the contract: the delegation's city, for the PDF header.
    pub city: String,
    pub email: Option<String>,
}

#[derive(Clone, Debug)]
pub struct AgencyTable {
    by_department: BTreeMap<String, Agency>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("table des délégations SACEM, ligne {line} : {reason}")]
pub struct AgencyTableError {
    pub line: usize,
    pub reason: String,
}

const DEFAULT_TABLE: &str = include_str!("../../data/sacem_agencies.csv");

impl AgencyTable {
    /// The embedded table (`data/sacem_agencies.csv`).
    pub fn default_table() -> &'static AgencyTable {
        static TABLE: OnceLock<AgencyTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            AgencyTable::parse(DEFAULT_TABLE).expect("the embedded SACEM agency table is valid")
        })
    }

    pub fn parse(text: &str) -> Result<AgencyTable, AgencyTableError> {
        let mut by_department = BTreeMap::new();
        let mut header_seen = false;
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let row = raw.trim();
            if row.is_empty() || row.starts_with('#') {
                continue;
            }
            let cells: Vec<&str> = row.split(';').map(str::trim).collect();
            if !header_seen {
                if cells != ["department", "agency", "city", "email"] {
                    return Err(AgencyTableError {
                        line,
                        reason: "en-tête attendu : department;agency;city;email".into(),
                    });
                }
                header_seen = true;
                continue;
            }
            let [department, name, city, email] = cells.as_slice() else {
                return Err(AgencyTableError {
                    line,
                    reason: format!("4 colonnes attendues, {} trouvées", cells.len()),
                });
            };
            if department.is_empty() || name.is_empty() {
                return Err(AgencyTableError {
                    line,
                    reason: "département et nom de la délégation obligatoires".into(),
                });
            }
            let agency = Agency {
                name: name.to_string(),
                city: city.to_string(),
                email: Some(email.to_lowercase()).filter(|e| !e.is_empty()),
            };
            if by_department
                .insert(department.to_uppercase(), agency)
                .is_some()
            {
                return Err(AgencyTableError {
                    line,
                    reason: format!("département « {department} » en double"),
                });
            }
        }
        Ok(AgencyTable { by_department })
    }

    /// The delegation of a postal code, `None` when the code is unreadable or not in the table.
    pub fn for_postal_code(&self, postal_code: &str) -> Option<&Agency> {
        self.by_department.get(&department_of(postal_code)?)
    }
}

/// `44000` → `44`, `20090` → `2A`, `20200` → `2B`, `97400` → `974`.
pub fn department_of(postal_code: &str) -> Option<String> {
    let code = postal_code.trim();
    if code.len() != 5 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(match &code[..2] {
        "20" => {
            if code < "20200" {
                "2A".into()
            } else {
                "2B".into()
            }
        }
        "97" | "98" => code[..3].into(),
        two => two.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departments() {
        assert_eq!(department_of("44000").as_deref(), Some("44"));
        assert_eq!(department_of(" 06000 ").as_deref(), Some("06"));
        assert_eq!(department_of("20090").as_deref(), Some("2A"));
        assert_eq!(department_of("20200").as_deref(), Some("2B"));
        assert_eq!(department_of("97400").as_deref(), Some("974"));
        assert_eq!(department_of("4400"), None);
        assert_eq!(department_of("44 000"), None);
    }

    #[test]
    fn default_table_covers_metropolitan_france() {
        let t = AgencyTable::default_table();
        let nantes = t.for_postal_code("44000").unwrap();
        assert_eq!(nantes.name, "Délégation de Nantes");
        assert_eq!(nantes.email.as_deref(), Some("dl.nantes@sacem.fr"));
        assert_eq!(t.for_postal_code("20090").unwrap().city, "Bastia");
        // 01…95 without 20, plus 2A and 2B: 96 metropolitan departments.
        let metropolitan = (1..=95)
            .filter(|d| *d != 20)
            .map(|d| format!("{d:02}000"))
            .chain(["20000".to_string(), "20200".to_string()]);
        for code in metropolitan {
            assert!(t.for_postal_code(&code).is_some(), "{code}");
        }
        assert!(t.for_postal_code("98800").is_none());
    }

    #[test]
    fn parse_errors_name_the_line() {
        let e = AgencyTable::parse("department;agency;city;email\n44;Nantes\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = AgencyTable::parse("dep;agency\n").unwrap_err();
        assert_eq!(e.line, 1);
        let dup = "department;agency;city;email\n44;A;B;a@b\n44;C;D;c@d\n";
        assert_eq!(AgencyTable::parse(dup).unwrap_err().line, 3);
    }
}
