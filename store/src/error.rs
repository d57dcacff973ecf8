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

    #[error(
        "adresse de base de données non reconnue : « {0} » (attendu : sqlite://chemin/releve.db, \
         sqlite::memory: ou postgres://utilisateur@hôte/base) / unsupported database URL"
    )]
    UnsupportedUrl(String),

    #[error("mise à jour du schéma de la base impossible : {0} / schema migration failed")]
    Migration(#[from] sqlx::migrate::MigrateError),

    #[error("erreur de base de données : {0} / database error")]
    Database(#[from] sqlx::Error),

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

    #[error("encodage JSON impossible : {0}")]
    Json(#[from] serde_json::Error),
}
