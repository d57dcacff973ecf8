//! Table `organisations`: the tenants, one row per configured organisation (keyed by slug).

use crate::codec::{flag_from_db, flag_to_db};
use crate::connect::Store;
use crate::error::StoreError;
use releve_domain::{Organisation, Siret};
use sqlx::Row;

impl Store {
    /// Inserts the organisation or replaces its row (the configuration is the reference).
    pub async fn upsert_organisation(&self, org: &Organisation) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO organisations (slug, name, siret, licence, subsidised, sacem_client_id, \
             sacd_declarant_id, address, postal_code, city) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name, siret = excluded.siret, \
             licence = excluded.licence, subsidised = excluded.subsidised, \
             sacem_client_id = excluded.sacem_client_id, \
             sacd_declarant_id = excluded.sacd_declarant_id, address = excluded.address, \
             postal_code = excluded.postal_code, city = excluded.city",
        )
        .bind(org.slug.as_str())
        .bind(org.name.as_str())
        .bind(org.siret.as_str())
        .bind(org.licence.as_deref())
        .bind(flag_to_db(org.subsidised))
        .bind(org.sacem_client_id.as_deref())
        .bind(org.sacd_declarant_id.as_deref())
        .bind(org.address.as_deref())
        .bind(org.postal_code.as_deref())
        .bind(org.city.as_deref())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The stored organisation of that slug, if any.
    pub async fn organisation(&self, slug: &str) -> Result<Option<Organisation>, StoreError> {
        let row = sqlx::query(
            "SELECT slug, name, siret, licence, subsidised, sacem_client_id, sacd_declarant_id, \
             address, postal_code, city FROM organisations WHERE slug = $1",
        )
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let siret: String = row.try_get("siret")?;
        let siret = Siret::parse(&siret).map_err(|e| StoreError::Corrupt {
            table: "organisations",
            key: slug.to_string(),
            detail: e.to_string(),
        })?;
        Ok(Some(Organisation {
            slug: row.try_get("slug")?,
            name: row.try_get("name")?,
            siret,
            licence: row.try_get("licence")?,
            subsidised: flag_from_db(row.try_get("subsidised")?),
            sacem_client_id: row.try_get("sacem_client_id")?,
            sacd_declarant_id: row.try_get("sacd_declarant_id")?,
            address: row.try_get("address")?,
            postal_code: row.try_get("postal_code")?,
            city: row.try_get("city")?,
            // Not stored (the run reads them from the configuration): the routing and the SACD
            // bordereau never take an organisation from the database.
            astp_member_theatre: false,
            vat_number: None,
        }))
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::each_backend;
    use releve_domain::testing;

    #[tokio::test]
    async fn organisation_round_trips_and_updates() {
        each_backend(|store| async move {
            let mut org = testing::organisation(true);
            store.upsert_organisation(&org).await.unwrap();
            assert_eq!(
                store.organisation(&org.slug).await.unwrap(),
                Some(org.clone())
            );

            // A second upsert replaces the row (new name, flag turned off, licence removed).
            org.name = "Théâtre des Digues (SCOP)".into();
            org.subsidised = false;
            org.licence = None;
            store.upsert_organisation(&org).await.unwrap();
            assert_eq!(store.organisation(&org.slug).await.unwrap(), Some(org));
            assert_eq!(store.organisation("inconnue").await.unwrap(), None);
        })
        .await;
    }
}
