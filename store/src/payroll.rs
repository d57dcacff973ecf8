//! Tables `payroll_engagements` and `pseudonym_salts` (migration 0004): what payroll sources
//! (DSN, payroll CSV) said, per contract and pay period, and the pseudonym salt of each
//! organisation.
//!
//! [`Store::replace_engagements`] replaces, in one transaction, every row of one (organisation,
//! source, employer SIRET, month): importing the same file twice, or an "annule et remplace"
//! DSN after its original, leaves exactly the latest content. [`Store::engagements`] gives back
//! the engagements of payroll months, every source together, in a stable order.
//! [`Store::keep_pseudonym_salt`] keeps the first salt ever offered for an organisation and
//! returns the kept one, so concurrent first runs agree.
//!
//! Quantities and amounts are stored as exact decimal text: they are copied from payroll files
//! and never computed here, so nothing needs refusing or rounding.

use crate::batch::{placeholder_list, rows_per_statement, values_list};
use crate::codec::{flag_from_db, flag_to_db};
use crate::connect::Store;
use crate::error::StoreError;
use chrono::NaiveDate;
use releve_domain::employment::{Engagement, Role, Sex};
use releve_domain::{Money, Month};
use rust_decimal::Decimal;
use sqlx::Row;
use std::str::FromStr;

const TABLE: &str = "payroll_engagements";

const COLUMNS: [&str; 19] = [
    "org",
    "source",
    "employer_siret",
    "month",
    "position",
    "person_key",
    "sex",
    "role",
    "contract_id",
    "contract_nature",
    "pcs_ese",
    "intermittent",
    "numero_objet",
    "period_start",
    "period_end",
    "hours",
    "cachets",
    "gross_pay",
    "conges_spectacles",
];

fn sex_code(sex: Option<Sex>) -> Option<&'static str> {
    sex.map(|s| match s {
        Sex::Female => "female",
        Sex::Male => "male",
    })
}

fn role_code(role: Role) -> &'static str {
    match role {
        Role::Artist => "artist",
        Role::Technician => "technician",
        Role::Other => "other",
    }
}

impl Store {
    /// Replaces the engagements of (`org`, `source`, `employer_siret`, `month`) by
    /// `engagements` (all of which must carry that source, SIRET and month); an empty slice
    /// clears the key (a DSN "annule").
    pub async fn replace_engagements(
        &self,
        org: &str,
        source: &str,
        employer_siret: &str,
        month: Month,
        engagements: &[Engagement],
    ) -> Result<(), StoreError> {
        if let Some(other) = engagements.iter().find(|e| e.source != source) {
            return Err(StoreError::SourceMismatch {
                what: "paie",
                expected: source.to_string(),
                found: other.source.clone(),
            });
        }
        if let Some(other) = engagements
            .iter()
            .find(|e| e.employer_siret != employer_siret || e.month != month)
        {
            return Err(StoreError::SourceMismatch {
                what: "paie (établissement et mois)",
                expected: format!("{employer_siret} {month}"),
                found: format!("{} {}", other.employer_siret, other.month),
            });
        }
        let month_text = month.to_string();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "DELETE FROM payroll_engagements WHERE org = $1 AND source = $2 \
             AND employer_siret = $3 AND month = $4",
        )
        .bind(org)
        .bind(source)
        .bind(employer_siret)
        .bind(month_text.as_str())
        .execute(&mut *tx)
        .await?;
        let batch = rows_per_statement(self.backend(), COLUMNS.len());
        for (n, chunk) in engagements.chunks(batch).enumerate() {
            let sql = format!(
                "INSERT INTO payroll_engagements ({}) VALUES {}",
                COLUMNS.join(", "),
                values_list(chunk.len(), COLUMNS.len(), 1)
            );
            let mut query = sqlx::query(&sql);
            for (i, e) in chunk.iter().enumerate() {
                query = query
                    .bind(org)
                    .bind(source)
                    .bind(employer_siret)
                    .bind(month_text.clone())
                    .bind((n * batch + i) as i64)
                    .bind(e.person_key.clone())
                    .bind(sex_code(e.sex))
                    .bind(role_code(e.role))
                    .bind(e.contract_id.clone())
                    .bind(e.contract_nature.clone())
                    .bind(e.pcs_ese.clone())
                    .bind(flag_to_db(e.intermittent))
                    .bind(e.numero_objet.clone())
                    .bind(e.period_start.to_string())
                    .bind(e.period_end.to_string())
                    .bind(e.hours.to_string())
                    .bind(e.cachets.map(|c| c.to_string()))
                    .bind(e.gross_pay.amount().to_string())
                    .bind(e.conges_spectacles.map(|c| c.amount().to_string()));
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The engagements of the payroll `months` of `org`, every source, sorted by month,
    /// source, SIRET and file order.
    pub async fn engagements(
        &self,
        org: &str,
        months: &[Month],
    ) -> Result<Vec<Engagement>, StoreError> {
        if months.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {} FROM payroll_engagements WHERE org = $1 AND month IN ({})",
            COLUMNS.join(", "),
            placeholder_list(months.len(), 2)
        );
        let mut query = sqlx::query(&sql).bind(org);
        for m in months {
            query = query.bind(m.to_string());
        }
        let rows = query.fetch_all(&self.pool).await?;
        let mut keyed = Vec::with_capacity(rows.len());
        for row in &rows {
            let source: String = row.try_get("source")?;
            let siret: String = row.try_get("employer_siret")?;
            let month_text: String = row.try_get("month")?;
            let position: i64 = row.try_get("position")?;
            let key = format!("{org}/{source}/{siret}/{month_text}#{position}");
            let corrupt = |detail: String| StoreError::Corrupt {
                table: TABLE,
                key: key.clone(),
                detail,
            };
            let month = Month::from_str(&month_text)
                .map_err(|_| corrupt(format!("mois illisible : {month_text}")))?;
            let date = |column: &str| -> Result<NaiveDate, StoreError> {
                let text: String = row.try_get(column)?;
                NaiveDate::from_str(&text).map_err(|_| corrupt(format!("date illisible : {text}")))
            };
            let decimal = |text: String| {
                Decimal::from_str(&text).map_err(|_| corrupt(format!("nombre illisible : {text}")))
            };
            let optional = |column: &str| -> Result<Option<Decimal>, StoreError> {
                let text: Option<String> = row.try_get(column)?;
                text.map(decimal).transpose()
            };
            let sex = match row.try_get::<Option<String>, _>("sex")?.as_deref() {
                None => None,
                Some("female") => Some(Sex::Female),
                Some("male") => Some(Sex::Male),
                Some(other) => return Err(corrupt(format!("sexe inconnu : {other}"))),
            };
            let role = match row.try_get::<String, _>("role")?.as_str() {
                "artist" => Role::Artist,
                "technician" => Role::Technician,
                "other" => Role::Other,
                other => return Err(corrupt(format!("rôle inconnu : {other}"))),
            };
            let engagement = Engagement {
                source: source.clone(),
                employer_siret: siret.clone(),
                month,
                person_key: row.try_get("person_key")?,
                sex,
                role,
                contract_id: row.try_get("contract_id")?,
                contract_nature: row.try_get("contract_nature")?,
                pcs_ese: row.try_get("pcs_ese")?,
                intermittent: flag_from_db(i64::from(row.try_get::<i32, _>("intermittent")?)),
                numero_objet: row.try_get("numero_objet")?,
                period_start: date("period_start")?,
                period_end: date("period_end")?,
                hours: decimal(row.try_get("hours")?)?,
                cachets: optional("cachets")?,
                gross_pay: Money::new(decimal(row.try_get("gross_pay")?)?),
                conges_spectacles: optional("conges_spectacles")?.map(Money::new),
            };
            keyed.push(((month, source, siret, position), engagement));
        }
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(keyed.into_iter().map(|(_, e)| e).collect())
    }

    /// The pseudonym salt kept for `org`, if any.
    pub async fn pseudonym_salt(&self, org: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT salt FROM pseudonym_salts WHERE org = $1")
            .bind(org)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => Some(r.try_get("salt")?),
            None => None,
        })
    }

    /// Keeps `candidate` as the salt of `org` unless one is already kept; returns the kept salt
    /// (the binary generates a random candidate and uses what this returns).
    pub async fn keep_pseudonym_salt(
        &self,
        org: &str,
        candidate: &str,
    ) -> Result<String, StoreError> {
        sqlx::query(
            "INSERT INTO pseudonym_salts (org, salt) VALUES ($1, $2) ON CONFLICT (org) DO NOTHING",
        )
        .bind(org)
        .bind(candidate)
        .execute(&self.pool)
        .await?;
        Ok(self
            .pseudonym_salt(org)
            .await?
            .unwrap_or_else(|| candidate.to_string()))
    }
}

#[cfg(test)]
mod tests;
