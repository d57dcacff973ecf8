//! Tables `users`, `memberships`, `funder_readers` (migration 0005): the people who sign in to
//! the workspace, the organisations they belong to with which role, and the funders whose view
//! they read. Passwords arrive here already hashed (argon2 PHC strings); roles are stored as
//! their codes (`admin`, `preparer`, `signatory`, `viewer`) — what each may do is decided by the
//! server's access module, not here.

use crate::codec::{instant_from_db, instant_to_db};
use crate::connect::Store;
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use sqlx::Row;

/// A user as stored (the password hash stays in the store except for verification).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRecord {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
}

/// One role of a user in one organisation.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Membership {
    pub org: String,
    pub role: String,
}

/// E-mail addresses are compared without case or surrounding spaces.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Store {
    /// Creates a user, or returns the existing one of that e-mail unchanged (its password is
    /// kept: adding a membership never resets it). The boolean says whether it was created.
    pub async fn ensure_user(
        &self,
        email: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(UserRecord, bool), StoreError> {
        let email = normalise_email(email);
        if let Some(user) = self.user_by_email(&email).await? {
            return Ok((user, false));
        }
        sqlx::query(
            "INSERT INTO users (email, password_hash, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (email) DO NOTHING",
        )
        .bind(email.as_str())
        .bind(password_hash)
        .bind(instant_to_db(now))
        .execute(&self.pool)
        .await?;
        let user = self
            .user_by_email(&email)
            .await?
            .ok_or_else(|| StoreError::Corrupt {
                table: "users",
                key: email.clone(),
                detail: "utilisateur introuvable juste après sa création".into(),
            })?;
        Ok((user, true))
    }

    /// Replaces a user's password hash.
    pub async fn set_password(&self, user_id: i64, password_hash: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, StoreError> {
        let row =
            sqlx::query("SELECT id, email, password_hash, created_at FROM users WHERE email = $1")
                .bind(normalise_email(email))
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| user_from_row(&r)).transpose()
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<UserRecord>, StoreError> {
        let row =
            sqlx::query("SELECT id, email, password_hash, created_at FROM users WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| user_from_row(&r)).transpose()
    }

    /// Every user, sorted by e-mail.
    pub async fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        let rows = sqlx::query("SELECT id, email, password_hash, created_at FROM users")
            .fetch_all(&self.pool)
            .await?;
        let mut users = rows
            .iter()
            .map(user_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        users.sort_by(|a, b| a.email.cmp(&b.email));
        Ok(users)
    }

    /// Gives a user a role in an organisation; `false` when the user already had it.
    pub async fn add_membership(
        &self,
        user_id: i64,
        org: &str,
        role: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO memberships (user_id, org, role, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id, org, role) DO NOTHING",
        )
        .bind(user_id)
        .bind(org)
        .bind(role)
        .bind(instant_to_db(now))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Withdraws one role of a user in an organisation; `false` when there was none.
    pub async fn remove_membership(
        &self,
        user_id: i64,
        org: &str,
        role: &str,
    ) -> Result<bool, StoreError> {
        let done =
            sqlx::query("DELETE FROM memberships WHERE user_id = $1 AND org = $2 AND role = $3")
                .bind(user_id)
                .bind(org)
                .bind(role)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A user's memberships, sorted by organisation then role.
    pub async fn memberships(&self, user_id: i64) -> Result<Vec<Membership>, StoreError> {
        let rows = sqlx::query("SELECT org, role FROM memberships WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?;
        let mut list = rows
            .iter()
            .map(|r| {
                Ok(Membership {
                    org: r.try_get("org")?,
                    role: r.try_get("role")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        list.sort();
        Ok(list)
    }

    /// The members of an organisation: (e-mail, role), sorted.
    pub async fn members(&self, org: &str) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query(
            "SELECT u.email, m.role FROM memberships m JOIN users u ON u.id = m.user_id \
             WHERE m.org = $1",
        )
        .bind(org)
        .fetch_all(&self.pool)
        .await?;
        let mut list = rows
            .iter()
            .map(|r| Ok((r.try_get("email")?, r.try_get("role")?)))
            .collect::<Result<Vec<(String, String)>, StoreError>>()?;
        list.sort();
        Ok(list)
    }

    /// Makes a user a reader of a funder's view; `false` when already one.
    pub async fn add_funder_reader(
        &self,
        user_id: i64,
        funder: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO funder_readers (user_id, funder, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, funder) DO NOTHING",
        )
        .bind(user_id)
        .bind(funder)
        .bind(instant_to_db(now))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The funders whose view a user reads, sorted.
    pub async fn funders_read_by(&self, user_id: i64) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT funder FROM funder_readers WHERE user_id = $1")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?;
        let mut list = rows
            .iter()
            .map(|r| r.try_get("funder"))
            .collect::<Result<Vec<String>, _>>()?;
        list.sort();
        Ok(list)
    }
}

fn user_from_row(row: &sqlx::any::AnyRow) -> Result<UserRecord, StoreError> {
    let id: i64 = row.try_get("id")?;
    Ok(UserRecord {
        id,
        email: row.try_get("email")?,
        password_hash: row.try_get("password_hash")?,
        created_at: instant_from_db(row.try_get("created_at")?, "users", || id.to_string())?,
    })
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, each_backend};

    #[tokio::test]
    async fn users_are_unique_by_email_and_keep_their_password() {
        each_backend(|store| async move {
            let now = at("2025-12-01 10:00");
            let (alice, created) = store
                .ensure_user(" Alice@Example.fr ", "$argon2id$first", now)
                .await
                .unwrap();
            assert!(created);
            assert_eq!(alice.email, "alice@example.fr");
            let (again, created) = store
                .ensure_user("alice@example.fr", "$argon2id$second", now)
                .await
                .unwrap();
            assert!(!created);
            assert_eq!(again.id, alice.id);
            assert_eq!(again.password_hash, "$argon2id$first");
            assert!(store
                .user_by_email("bob@example.fr")
                .await
                .unwrap()
                .is_none());
        })
        .await;
    }

    #[tokio::test]
    async fn memberships_and_funder_readers() {
        each_backend(|store| async move {
            let now = at("2025-12-01 10:00");
            let (user, _) = store.ensure_user("a@b.fr", "h", now).await.unwrap();
            assert!(store
                .add_membership(user.id, "venue", "signatory", now)
                .await
                .unwrap());
            assert!(store
                .add_membership(user.id, "venue", "admin", now)
                .await
                .unwrap());
            assert!(!store
                .add_membership(user.id, "venue", "admin", now)
                .await
                .unwrap());
            assert!(store
                .add_membership(user.id, "company", "viewer", now)
                .await
                .unwrap());
            let list: Vec<(String, String)> = store
                .memberships(user.id)
                .await
                .unwrap()
                .into_iter()
                .map(|m| (m.org, m.role))
                .collect();
            assert_eq!(
                list,
                vec![
                    ("company".to_string(), "viewer".to_string()),
                    ("venue".to_string(), "admin".to_string()),
                    ("venue".to_string(), "signatory".to_string()),
                ]
            );
            assert!(store
                .remove_membership(user.id, "venue", "admin")
                .await
                .unwrap());
            assert_eq!(store.members("venue").await.unwrap().len(), 1);
            assert!(store.add_funder_reader(user.id, "drac", now).await.unwrap());
            assert_eq!(store.funders_read_by(user.id).await.unwrap(), vec!["drac"]);
        })
        .await;
    }
}
