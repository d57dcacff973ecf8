//! Command-line interface (`formats.md` §1).

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "releve",
    version,
    about = "Déclarations SIBIL, CNM, ASTP, SACEM, SACD et indicateurs pour les lieux de spectacle vivant",
    long_about = None
)]
pub struct Cli {
    /// Log format on stderr.
    #[arg(long, value_enum, global = true, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Runs the whole monthly job on the bundled demo data, with a throw-away SQLite database.
    Demo {
        /// Output folder.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Also run a second organisation whose ticketing is read through local Billetweb and
        /// HelloAsso replay servers (the real API collectors, offline).
        #[arg(long)]
        with_vendors: bool,
        /// Then open the workspace on the demo database and print a demo user and password.
        #[arg(long)]
        serve: bool,
        /// With --serve: ADDR:PORT to listen on (port 0 picks a free one).
        #[arg(long, default_value = "127.0.0.1:8080", requires = "serve")]
        listen: String,
        /// Keep the demo's configuration, data and SQLite database in this folder (to try
        /// approve, submitted and versions on it).
        #[arg(long)]
        keep: Option<PathBuf>,
    },
    /// The monthly job: collect every source, aggregate, build declarations, write outputs.
    Run {
        #[arg(long)]
        config: PathBuf,
        /// Month to declare, YYYY-MM (default: the previous month in Europe/Paris).
        #[arg(long)]
        month: Option<String>,
        /// Only this organisation.
        #[arg(long)]
        org: Option<String>,
        /// Output folder.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Generation time (RFC 3339), to reproduce a run byte for byte.
        #[arg(long)]
        generated_at: Option<String>,
        /// With --from and --to: `sacd`, a SACD bordereau over that period.
        #[arg(long)]
        body: Option<String>,
        /// First day of the SACD period, YYYY-MM-DD (Paris dates, included).
        #[arg(long, requires = "body", conflicts_with = "month")]
        from: Option<String>,
        /// Last day of the SACD period, YYYY-MM-DD (included).
        #[arg(long, requires = "body", conflicts_with = "month")]
        to: Option<String>,
        /// Organisations worked at once (each one's month is a job of the store's queue).
        #[arg(long)]
        jobs: Option<usize>,
    },
    /// Indicators for funders over a season (or a calendar year): JSON, CSV, XLSX, HTML, PDF.
    Indicators {
        #[arg(long)]
        config: PathBuf,
        /// Season, e.g. 2025-2026 (starts in September unless `season_start_month` is set).
        #[arg(long, conflicts_with = "year")]
        season: Option<String>,
        /// Calendar year, e.g. 2025.
        #[arg(long)]
        year: Option<i32>,
        /// Only this organisation.
        #[arg(long)]
        org: Option<String>,
        /// Output folder.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Generation time (RFC 3339), to reproduce the files byte for byte.
        #[arg(long)]
        generated_at: Option<String>,
    },
    /// Lists the declaration versions (drafts, approvals, amendments) and the audit log.
    Versions {
        #[arg(long)]
        config: PathBuf,
        #[arg(long)]
        org: Option<String>,
        /// Only this month, YYYY-MM.
        #[arg(long)]
        month: Option<String>,
    },
    /// Approves a declaration version (the latest draft unless --version is given); it is then frozen.
    Approve {
        #[arg(long)]
        config: PathBuf,
        #[arg(long)]
        org: Option<String>,
        #[arg(long, required_unless_present = "from")]
        month: Option<String>,
        /// With --to and --body sacd: the SACD bordereau of that period (YYYY-MM-DD).
        #[arg(long, requires = "to", conflicts_with = "month")]
        from: Option<String>,
        /// Last day of the SACD period, included (YYYY-MM-DD).
        #[arg(long, requires = "from", conflicts_with = "month")]
        to: Option<String>,
        /// sibil | cnm | astp | sacem | sacd
        #[arg(long)]
        body: String,
        #[arg(long)]
        version: Option<u32>,
        /// Who approves (name and role), recorded in the audit log.
        #[arg(long)]
        by: String,
        /// Approve although blocking points or quarantined records are open, for this reason
        /// (recorded in the audit log and printed on the document).
        #[arg(long)]
        despite: Option<String>,
        /// Output folder of the runs (default: the one of the organisation's last run): the
        /// approved files are frozen in OUT/<organisation>/<month>/versions/.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Records that an approved version was sent (channel and receipt), in the audit log.
    Submitted {
        #[arg(long)]
        config: PathBuf,
        #[arg(long)]
        org: Option<String>,
        #[arg(long, required_unless_present = "from")]
        month: Option<String>,
        /// With --to and --body sacd: the SACD bordereau of that period (YYYY-MM-DD).
        #[arg(long, requires = "to", conflicts_with = "month")]
        from: Option<String>,
        /// Last day of the SACD period, included (YYYY-MM-DD).
        #[arg(long, requires = "from", conflicts_with = "month")]
        to: Option<String>,
        #[arg(long)]
        body: String,
        #[arg(long)]
        version: u32,
        #[arg(long)]
        by: String,
        /// portail, api, e-mail, courrier…
        #[arg(long)]
        channel: String,
        /// Receipt or reference given by the body.
        #[arg(long, default_value = "")]
        receipt: String,
    },
    /// Sends approved versions through their channel (SIBIL API, SACD web service, deposit
    /// package for CNM/ASTP) via the outbox; without --body, processes every due submission.
    Submit {
        #[arg(long)]
        config: PathBuf,
        #[arg(long)]
        org: Option<String>,
        #[arg(long, requires = "body")]
        month: Option<String>,
        /// sibil | cnm | astp | sacem | sacd
        #[arg(long)]
        body: Option<String>,
        /// With --to and --body sacd: the SACD bordereau of that period (YYYY-MM-DD).
        #[arg(long, requires = "to", requires = "body", conflicts_with = "month")]
        from: Option<String>,
        /// Last day of the SACD period, included (YYYY-MM-DD).
        #[arg(long, requires = "from", conflicts_with = "month")]
        to: Option<String>,
        #[arg(long, requires = "body")]
        version: Option<u32>,
        /// Who asks for the sending (name and role).
        #[arg(long, requires = "body")]
        by: Option<String>,
        /// The output folder of `releve run` (where the approved files are).
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
    /// Re-reads the stored raw exchanges of the API sources into the ledger, without calling
    /// any vendor (after a mapping fix).
    Renormalise {
        #[arg(long)]
        config: PathBuf,
        #[arg(long)]
        org: Option<String>,
        /// Only this source key (e.g. `billetweb`).
        #[arg(long)]
        source: Option<String>,
    },
    /// Shows the records behind one performance's figures (tickets, VAT rates, programme row).
    Trace {
        #[arg(long)]
        config: PathBuf,
        #[arg(long)]
        org: Option<String>,
        #[arg(long)]
        month: String,
        /// The performance id, as in aggregates.json (`tickets_csv:P-2025-11-14`).
        #[arg(long)]
        performance: String,
    },
    /// The review workspace (French web UI) and the JSON API on one port.
    Serve {
        #[arg(long)]
        config: PathBuf,
        /// ADDR:PORT (default: [server] listen, else 127.0.0.1:8080); port 0 picks a free one.
        #[arg(long)]
        listen: Option<String>,
        /// The output folder of `releve run --out`: the workspace offers its files for download.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// People of the workspace.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// The audit log: `releve audit verify` checks its hash chain.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// The master key of stored credentials: `releve key rotate` reseals them under a new one.
    Key {
        #[command(subcommand)]
        action: KeyAction,
    },
    /// A consistent copy of the database (SQLite online copy; PostgreSQL: the pg_dump procedure).
    Backup {
        #[arg(long)]
        config: PathBuf,
        /// The copy to write (refused if it exists).
        #[arg(long)]
        to: PathBuf,
    },
    /// Puts a copy made by `releve backup` back in place of the database.
    Restore {
        #[arg(long)]
        config: PathBuf,
        #[arg(long)]
        from: PathBuf,
    },
    /// Validates the configuration and tests every source, without writing anything.
    Check {
        #[arg(long)]
        config: PathBuf,
    },
    /// What the public company register says of a SIRET or SIREN (cache, else the register).
    Siret {
        #[arg(long)]
        config: PathBuf,
        /// Ask the register even when the cached answer is less than 30 days old.
        #[arg(long)]
        refresh: bool,
        /// 14 digits (SIRET) or 9 digits (SIREN); spaces allowed.
        number: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Creates a user (or adds a membership). The password is read from the first line of stdin
    /// when stdin is not a terminal, else generated and printed once.
    Add {
        #[arg(long)]
        config: PathBuf,
        #[arg(long)]
        email: String,
        /// The organisation (with --role).
        #[arg(long, requires = "role", conflicts_with = "funder")]
        org: Option<String>,
        /// admin | preparer | signatory | viewer
        #[arg(long, requires = "org")]
        role: Option<String>,
        /// Makes the user a reader of that funder's view.
        #[arg(long)]
        funder: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Creates an API token and prints it once (only its hash is stored).
    Create {
        #[arg(long)]
        config: PathBuf,
        #[arg(long)]
        name: String,
        /// read | write | push (with --org) · ministry · funder (with --funder)
        #[arg(long)]
        scope: String,
        #[arg(long, conflicts_with = "funder")]
        org: Option<String>,
        #[arg(long)]
        funder: Option<String>,
    },
    /// Revokes a token at once.
    Revoke {
        #[arg(long)]
        config: PathBuf,
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeyAction {
    /// Reseals every stored credential under a new master key (crash-safe).
    Rotate {
        #[arg(long)]
        config: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// Checks the hash chain of the audit log; prints the first broken link (exit status 1).
    Verify {
        #[arg(long)]
        config: PathBuf,
        #[arg(long)]
        org: Option<String>,
    },
}
