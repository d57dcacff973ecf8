//! The one error type of the store. Messages are for the administrator: French first, with the
//! English gist where an operator may grep logs for it.

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The server (or the SQLite file) cannot be reached or opened.
    #[error(
        "base de données injoignable : {target} ({source}). Vérifiez l'adresse [database] url, \
         que le serveur est démarré et que le dossier est accessible en écriture. \
         / database unreachable: {target}"
    )]
    Unreachable {
        /// The URL with any password masked.
        target: String,
        source: sqlx::Error,
    },

    /// The SQLite file exists but is not a readable database (damaged, or another file).
    #[error(
        "le fichier {target} n'est pas une base SQLite lisible (fichier endommagé ?) : {source}. \
         Remettez la dernière sauvegarde avec `releve restore --config FICHIER --from SAUVEGARDE` \
         (la base actuelle est gardée de côté). / database file is not a database or corrupt"
    )]
    Damaged { target: String, source: sqlx::Error },

    #[error(
        "adresse de base de données non reconnue : « {0} » (attendu : sqlite://chemin/releve.db, \
         sqlite::memory: ou postgres://utilisateur@hôte/base) / unsupported database URL"
    )]
    UnsupportedUrl(String),

    #[error("mise à jour du schéma de la base impossible : {0} / schema migration failed")]
    Migration(#[from] sqlx::migrate::MigrateError),

    #[error("erreur de base de données : {0} / database error")]
    Database(#[source] sqlx::Error),

    /// The connection to the server broke while the command was working (server stopped or
    /// restarted, network cut): every write is one transaction, so the one in flight was
    /// rolled back by the server and nothing is half-written.
    #[error(
        "connexion à la base de données perdue en cours de travail (serveur arrêté ou \
         redémarré, réseau coupé) : l'écriture en cours a été annulée en entier, rien n'est \
         enregistré à moitié. Relancez la commande quand la base répond de nouveau : elle \
         reprend ce qui n'a pas été fini. / database connection lost: {0}"
    )]
    ConnectionLost(#[source] sqlx::Error),

    /// Money is stored in integer cents: an amount that is not a whole number of cents is refused
    /// rather than rounded, so that the source gets fixed.
    #[error(
        "billet « {source_key}:{ticket_id} » : le prix {price} n'est pas un nombre entier de \
         centimes (plus de deux décimales) ou est trop grand ; corrigez la source puis relancez \
         l'import"
    )]
    PriceNotInCents {
        source_key: String,
        ticket_id: String,
        price: String,
    },

    /// A `replace_*` call received a row of another source than the one it replaces.
    #[error(
        "{what} : une ligne de la source « {found} » a été transmise pour remplacer la source \
         « {expected} » (erreur de programmation)"
    )]
    SourceMismatch {
        what: &'static str,
        expected: String,
        found: String,
    },

    #[error("tâche n° {0} inconnue dans la file des tâches / unknown job")]
    UnknownJob(i64),

    /// Enqueueing kept colliding with other processes enqueueing the same job.
    #[error(
        "file des tâches trop disputée : la tâche n'a pas pu être mise en file après plusieurs \
         essais ; relancez la commande / job queue contention"
    )]
    JobContention,

    #[error("exécution n° {0} inconnue : impossible d'enregistrer sa fin / unknown run")]
    UnknownRun(i64),

    /// A stored value cannot be read back (edited outside releve, or written by a newer version).
    #[error(
        "donnée illisible en base (table {table}, clé {key}) : {detail} ; la base a-t-elle été \
         modifiée hors de releve ?"
    )]
    Corrupt {
        table: &'static str,
        key: String,
        detail: String,
    },

    /// A file offered as a backup that cannot be read as a releve database.
    #[error("« {path} » n'est pas une sauvegarde releve lisible : {detail}")]
    NotABackup { path: String, detail: String },

    #[error("encodage JSON impossible : {0}")]
    Json(#[from] serde_json::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        if is_connection_lost(&e) {
            StoreError::ConnectionLost(e)
        } else {
            StoreError::Database(e)
        }
    }
}

/// Whether a driver error means the connection to the server is gone (rather than a refused
/// statement): I/O and TLS errors on the socket, a pool that cannot get a working connection,
/// a broken protocol stream, and PostgreSQL's connection exceptions (SQLSTATE class `08`) and
/// shutdowns (`57P01` administrator shutdown, `57P02` crash, `57P03` not accepting connections).
pub fn is_connection_lost(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57P")),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_connection_is_told_from_a_refused_statement() {
        let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        let lost = StoreError::from(sqlx::Error::Io(reset));
        assert!(matches!(lost, StoreError::ConnectionLost(_)), "{lost}");
        assert!(
            lost.to_string().starts_with(
                "connexion à la base de données perdue en cours de travail (serveur arrêté"
            ),
            "{lost}"
        );
        assert!(matches!(
            StoreError::from(sqlx::Error::PoolTimedOut),
            StoreError::ConnectionLost(_)
        ));
        assert!(matches!(
            StoreError::from(sqlx::Error::RowNotFound),
            StoreError::Database(_)
        ));
    }
}
