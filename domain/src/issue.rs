//! Issues: everything that needs a person, with a message in French for the administrator.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A declaration cannot be right until a person decides (exit status 1).
    Blocking,
    /// Worth a look; the figures stand.
    Warning,
    /// For the record (e.g. a rule that applies this month).
    Info,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Issue {
    pub severity: Severity,
    /// Stable machine code, e.g. `programme.unlinked`, `quarantine`, `discipline.missing`.
    pub code: String,
    /// What is wrong and what to do, in French.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub performance_id: Option<String>,
    /// Declaration concerned (`cnm`, `astp`, …) when the issue is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The raw row or payload, for quarantined records.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
    /// A value a person may confirm in one click (it becomes a correction); never applied
    /// silently.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Suggestion>,
    /// Where an outside fact behind the issue comes from (the company register…), and when it
    /// was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
}

/// A proposed value for one field of the programme (the correction fields of `formats.md` §6).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Suggestion {
    /// `producer_subsidised`, `producer_name`, …
    pub field: String,
    /// In the programme's syntax (`yes`, a name…).
    pub value: String,
    /// The show it applies to (a correction by `show_id` covers all its performances).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_id: Option<String>,
}

/// The outside source of a fact: which register, which number was asked, on which day.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Evidence {
    /// `repertoire_entreprises` (the State's "Recherche d'entreprises" register).
    pub source: String,
    /// What was looked up (a SIRET or SIREN).
    pub reference: String,
    /// Paris date of the answer used.
    pub consulted_on: chrono::NaiveDate,
}

impl Issue {
    pub fn new(severity: Severity, code: &str, message: impl Into<String>) -> Issue {
        Issue {
            severity,
            code: code.to_string(),
            message: message.into(),
            source: None,
            line: None,
            column: None,
            performance_id: None,
            body: None,
            raw: None,
            suggestion: None,
            evidence: None,
        }
    }

    pub fn blocking(code: &str, message: impl Into<String>) -> Issue {
        Issue::new(Severity::Blocking, code, message)
    }

    pub fn warning(code: &str, message: impl Into<String>) -> Issue {
        Issue::new(Severity::Warning, code, message)
    }

    pub fn info(code: &str, message: impl Into<String>) -> Issue {
        Issue::new(Severity::Info, code, message)
    }

    pub fn at_source(mut self, source: &str, line: Option<u64>) -> Issue {
        self.source = Some(source.to_string());
        self.line = line;
        self
    }

    pub fn for_performance(mut self, performance_id: &str) -> Issue {
        self.performance_id = Some(performance_id.to_string());
        self
    }

    pub fn for_body(mut self, body: &str) -> Issue {
        self.body = Some(body.to_string());
        self
    }

    pub fn with_suggestion(mut self, suggestion: Suggestion) -> Issue {
        self.suggestion = Some(suggestion);
        self
    }

    pub fn with_evidence(mut self, evidence: Evidence) -> Issue {
        self.evidence = Some(evidence);
        self
    }

    pub fn needs_attention(&self) -> bool {
        self.severity != Severity::Info
    }
}
