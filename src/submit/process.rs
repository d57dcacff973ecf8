//! Working the outbox: claim a row, deliver it through its channel, store the outcome, then
//! bring the declaration version's lifecycle in line (`submitted`, `accepted`, `rejected`).
//! The lifecycle step is repeated for every finished row on each pass, so a crash between
//! storing the outcome and updating the version is repaired by the next `releve submit`.

use crate::config::Config;
use crate::submit::channel::{self, Context, Delivery};
use crate::submit::fault;
use anyhow::Result;
use chrono::Duration;
use releve_domain::Clock;
use releve_store::{OutboxRecord, OutboxState, Outcome, Store, VersionStatus};
use std::path::Path;

/// How long a claim holds a row before another process may take it.
pub const LEASE_MINUTES: i64 = 15;

/// The rows a pass looked at, in their final state.
#[derive(Debug, Default)]
pub struct SubmitReport {
    pub rows: Vec<OutboxRecord>,
}

impl SubmitReport {
    /// Something still pending (queued, sending, failed), rejected, or a deposit package
    /// waiting for the administrator's receipt.
    pub fn needs_attention(&self) -> bool {
        self.rows.iter().any(|r| {
            r.is_pending()
                || r.state == OutboxState::Rejected
                || (r.state == OutboxState::Sent && r.channel == crate::submit::deposit::CODE)
        })
    }

    /// One French paragraph per row, for the summary.
    pub fn lines_fr(&self) -> Vec<String> {
        self.rows.iter().map(describe_fr).collect()
    }
}

/// French description of a row: what, where it is, and what to do.
pub fn describe_fr(r: &OutboxRecord) -> String {
    let rep = rep_version(r)
        .map(|n| format!(", rep_version {n}"))
        .unwrap_or_default();
    let mut line = format!(
        "{} {} {} v{} ({}{rep}) : {}",
        r.org,
        r.body,
        r.period,
        r.version,
        row_channel_label_fr(r),
        r.state.label_fr()
    );
    if r.payload["amends"]["status"] == "rejected" {
        let base = &r.payload["amends"]["version"];
        line += &match r.channel.as_str() {
            crate::submit::sacd::CODE => format!(
                "\n    Version corrigée de la v{base} rejetée : la SACD la reçoit avec rep_version {}.",
                rep_version(r).unwrap_or(r.version)
            ),
            crate::submit::sibil::CODE => format!(
                "\n    Version corrigée de la v{base} rejetée : mêmes idExtBilletterie, SIBIL met à jour ce qu'il a déjà et crée le reste."
            ),
            _ => format!("\n    Version corrigée de la v{base} rejetée."),
        };
    }
    if let Some(receipt) = &r.receipt {
        line += &format!(" — {receipt}");
    }
    match r.state {
        OutboxState::Rejected => {
            if let Some(e) = &r.last_error {
                line += &format!("\n    Refus : {e}\n    Corrigez puis relancez `releve run`, approuvez la nouvelle version et relancez `releve submit`.");
                match r.channel.as_str() {
                    crate::submit::sacd::CODE => {
                        line += &format!(
                            "\n    La version corrigée (v{}) partira avec rep_version {}.",
                            r.version + 1,
                            rep_version(r).unwrap_or(r.version) + 1
                        )
                    }
                    crate::submit::sibil::CODE => {
                        line += "\n    La version corrigée partira sous les mêmes idExtBilletterie : SIBIL mettra à jour ses déclarations au lieu d'en créer d'autres."
                    }
                    _ => {}
                }
            }
        }
        OutboxState::Failed => {
            if let Some(e) = &r.last_error {
                line += &format!("\n    Erreur : {e}");
            }
            match r.next_attempt_at {
                Some(t) => {
                    line += &format!(
                        "\n    Nouvel essai automatique après le {} (tentative {}).",
                        t.with_timezone(&releve_domain::PARIS)
                            .format("%d/%m/%Y à %H:%M"),
                        r.attempts + 1
                    )
                }
                None => line += &format!(
                    "\n    Plus d'essai automatique après {} tentatives : corrigez la cause puis relancez `releve submit --body {}`.",
                    r.attempts, r.body
                ),
            }
        }
        OutboxState::Sent if r.channel == crate::submit::deposit::CODE => {
            line += &format!(
                "\n    À faire : déposez ce dossier sur le portail puis enregistrez le récépissé : \
                 releve submitted --month {} --body {} --version {} --by \"Nom, fonction\" --channel portail --receipt \"…\"",
                r.period, r.body, r.version
            );
        }
        _ => {}
    }
    for w in &r.warnings {
        line += &format!("\n    Avertissement : {w}");
    }
    line
}

/// The `rep_version` of a SACD row's XML (the same on every line of a bordereau).
fn rep_version(r: &OutboxRecord) -> Option<u32> {
    if r.channel != crate::submit::sacd::CODE {
        return None;
    }
    let xml = r.payload["xml"].as_str()?;
    let start = xml.find("<rep_version>")? + "<rep_version>".len();
    let end = start + xml[start..].find('<')?;
    xml[start..end].trim().parse().ok()
}

/// French name of a channel code.
pub fn channel_label_fr(code: &str) -> &'static str {
    match code {
        crate::submit::sibil::CODE => "API SIBIL",
        crate::submit::sacd::CODE => "télétransmission SACD",
        crate::submit::deposit::CODE => "dossier de dépôt",
        crate::submit::sacem::CODE => "e-mail à la SACEM",
        _ => "canal inconnu",
    }
}

/// French name of a row's channel: an attachments-only e-mail says so.
pub fn row_channel_label_fr(r: &OutboxRecord) -> &'static str {
    if r.channel == crate::submit::sacem::CODE && is_attachments(r) {
        "e-mail des pièces jointes à la SACD"
    } else {
        channel_label_fr(&r.channel)
    }
}

/// A row that only carries a declaration's attachments (it never moves the version).
fn is_attachments(r: &OutboxRecord) -> bool {
    r.payload["role"] == crate::submit::attachments::ROLE
}

/// Processes every due row of the outbox (all organisations of the configuration), then
/// reports on every row of those organisations.
pub async fn process_due(
    config: &Config,
    store: &Store,
    clock: &dyn Clock,
    out: &Path,
) -> Result<SubmitReport> {
    let due = store.due_submissions(clock.now()).await?;
    let mut rows: Vec<OutboxRecord> = store
        .submissions(None)
        .await?
        .into_iter()
        .filter(|r| {
            config
                .organisations
                .iter()
                .any(|o| o.organisation.slug == r.org)
        })
        .collect();
    // Rows left `sending` by a dead process on this machine are due at once.
    for r in &rows {
        if r.state == OutboxState::Sending && !due.iter().any(|d| d.id == r.id) && holder_is_dead(r)
        {
            work_one(config, store, clock, out, r.id).await?;
        }
    }
    for d in due {
        if rows.iter().any(|r| r.id == d.id) {
            work_one(config, store, clock, out, d.id).await?;
        }
    }
    for r in rows.iter_mut() {
        if let Some(now) = store.submission(r.id).await? {
            *r = now;
        }
        sync_version(store, clock, r).await?;
    }
    Ok(SubmitReport { rows })
}

/// Processes the given rows (those that are due or crashed), then reports on them.
pub async fn process_rows(
    config: &Config,
    store: &Store,
    clock: &dyn Clock,
    out: &Path,
    rows: Vec<OutboxRecord>,
) -> Result<SubmitReport> {
    let mut finished = Vec::new();
    for r in rows {
        let workable = match r.state {
            OutboxState::Queued => true,
            OutboxState::Failed => true,
            OutboxState::Sending => {
                holder_is_dead(&r) || r.lease_until.is_none_or(|t| t <= clock.now())
            }
            _ => false,
        };
        if workable {
            // Asked for explicitly: a failed row is tried again now, not at its backoff time.
            if r.state == OutboxState::Failed {
                work_one_now(config, store, clock, out, &r).await?;
            } else {
                work_one(config, store, clock, out, r.id).await?;
            }
        }
        let mut now = store.submission(r.id).await?.unwrap_or(r);
        sync_version(store, clock, &now).await?;
        now = store.submission(now.id).await?.unwrap_or(now);
        finished.push(now);
    }
    Ok(SubmitReport { rows: finished })
}

/// A failed row asked for by a person: its retry time is brought forward to now.
async fn work_one_now(
    config: &Config,
    store: &Store,
    clock: &dyn Clock,
    out: &Path,
    row: &OutboxRecord,
) -> Result<()> {
    store.retry_submission_now(row.id, clock.now()).await?;
    work_one(config, store, clock, out, row.id).await
}

/// `host:pid` of this process, the holder name of its claims.
pub fn holder() -> String {
    format!("{}:{}", host(), std::process::id())
}

fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .or_else(|_| std::env::var("HOSTNAME"))
        .unwrap_or_else(|_| "localhost".into())
}

/// A `sending` row whose holder ran on this machine and is no longer running (Linux `/proc`).
fn holder_is_dead(r: &OutboxRecord) -> bool {
    let Some((h, pid)) = r.claimed_by.as_deref().and_then(|c| c.rsplit_once(':')) else {
        return false;
    };
    if h != host() || !Path::new("/proc/self").exists() {
        return false;
    }
    pid.parse::<u32>()
        .is_ok_and(|p| p != std::process::id() && !Path::new(&format!("/proc/{p}")).exists())
}

async fn work_one(
    config: &Config,
    store: &Store,
    clock: &dyn Clock,
    out: &Path,
    id: i64,
) -> Result<()> {
    let Some(current) = store.submission(id).await? else {
        return Ok(());
    };
    let me = holder();
    let dead = current.state == OutboxState::Sending && holder_is_dead(&current);
    let Some(row) = store
        .claim_submission(id, &me, Duration::minutes(LEASE_MINUTES), clock.now(), dead)
        .await?
    else {
        return Ok(());
    };
    let delivery = match (
        config
            .organisations
            .iter()
            .find(|o| o.organisation.slug == row.org),
        channel::by_code(&row.channel),
    ) {
        (Some(org), Some(channel)) => {
            let ctx = Context {
                store,
                clock,
                row: &row,
                org,
                settings: &config.submission,
                out,
            };
            match channel.deliver(&ctx).await {
                Ok(d) => d,
                Err(e) => Delivery {
                    outcome: Outcome::Failed {
                        reason: format!("{e:#}"),
                    },
                    warnings: Vec::new(),
                },
            }
        }
        (None, _) => Delivery {
            outcome: Outcome::Failed {
                reason: format!(
                    "l'organisation « {} » n'est plus dans la configuration",
                    row.org
                ),
            },
            warnings: Vec::new(),
        },
        (_, None) => Delivery {
            outcome: Outcome::Failed {
                reason: format!(
                    "canal « {} » inconnu de cette version de releve",
                    row.channel
                ),
            },
            warnings: Vec::new(),
        },
    };
    let done = store
        .finish_submission(
            row.id,
            &me,
            &delivery.outcome,
            &delivery.warnings,
            clock.now(),
        )
        .await?;
    tracing::info!(
        org = %done.org, body = %done.body, period = %done.period, version = done.version,
        channel = %done.channel, state = done.state.code(), "submission processed"
    );
    fault::point("after_store");
    Ok(())
}

/// Brings the version's lifecycle in line with its row: `sent`/`accepted`/`rejected` rows of
/// automatic channels mark the version submitted, then accepted or rejected. Deposit packages
/// change nothing until the administrator records the receipt (`releve submitted`); the
/// e-mail of a SACD bordereau's attachments changes nothing either (the XML's answer does).
pub async fn sync_version(store: &Store, clock: &dyn Clock, r: &OutboxRecord) -> Result<()> {
    if r.channel == crate::submit::deposit::CODE || is_attachments(r) {
        return Ok(());
    }
    // `YYYY-MM`, or a SACD period's `FROM_TO`.
    let Some(month) = releve_store::Span::parse(&r.period) else {
        return Ok(());
    };
    let finished = matches!(
        r.state,
        OutboxState::Sent | OutboxState::Accepted | OutboxState::Rejected
    );
    if !finished {
        return Ok(());
    }
    let v = store.version(&r.org, &r.body, month, r.version).await?;
    let actor = "releve (envoi automatique)";
    if v.status == VersionStatus::Approved {
        store
            .mark_submitted(
                &r.org,
                &r.body,
                month,
                r.version,
                actor,
                &r.channel,
                r.receipt.as_deref().unwrap_or(""),
                clock.now(),
            )
            .await?;
    }
    let v = store.version(&r.org, &r.body, month, r.version).await?;
    if v.status == VersionStatus::Submitted
        && matches!(r.state, OutboxState::Accepted | OutboxState::Rejected)
    {
        let accepted = r.state == OutboxState::Accepted;
        let answer = if accepted {
            r.receipt.clone().unwrap_or_default()
        } else {
            r.last_error.clone().unwrap_or_default()
        };
        store
            .record_answer(
                &r.org,
                &r.body,
                month,
                r.version,
                accepted,
                &answer,
                actor,
                clock.now(),
            )
            .await?;
    }
    Ok(())
}
