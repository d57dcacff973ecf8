//! What people are told about deadlines (issue 11): the [`deadlines`] list, the `.ics` feed
//! ([`ics`]) and e-mails to each organisation's `contact_email` (`formats.md` §2 `[mail]`,
//! `[reminders]`): a **reminder** some days before each deadline of a declaration not yet sent,
//! and a **run report** after each scheduled run (what was computed, what needs a person).
//!
//! Worked by [`process_due`], called by `releve serve` (with the outbox, every minute) and by
//! `releve submit` without arguments (installations run by cron). Nothing is sent without
//! `[mail]` and a `contact_email`.
//!
//! Sent once: every message has a deterministic key — `org:deadline:cnm:2025-11:2025-12-31:J-7`
//! (the deadline date is in it, so a new version with another deadline is reminded anew) or
//! `org:run_report:job-42` — and is claimed in the store (`reminders`, migration 0015) before
//! the SMTP exchange; its `Message-ID` derives from that key. A re-run, two processes at once
//! or a restart after a crash never send it twice (see `releve_store::reminders` for the one
//! window where a crash may lose a message instead).
//!
//! Which reminder: of the thresholds `days_before` (default 7 and 2 days), the nearest one
//! already reached ([`deadlines::due_reminder`]), so a server stopped for a week sends one late
//! reminder, not a burst. Run reports cover scheduled runs finished in the last 7 days.

pub mod deadlines;
pub mod ics;
pub mod message;
pub mod settings;
pub mod smtp;

use crate::config::{Config, OrganisationConfig};
use crate::server::pages::view;
use anyhow::Result;
use chrono::Duration;
use deadlines::Deadline;
use releve_domain::{Clock, Month, PARIS};
use releve_store::{Job, NewReminder, ReminderRecord, ReminderState, Store};

/// Scheduled runs older than this are not reported (an upgrade does not mail the past).
const REPORT_WINDOW_DAYS: i64 = 7;

/// What a pass did: the messages it sent or failed to send.
#[derive(Debug, Default)]
pub struct ReminderReport {
    pub rows: Vec<ReminderRecord>,
}

impl ReminderReport {
    /// One French line per message, for the summary of `releve submit`.
    pub fn lines_fr(&self) -> Vec<String> {
        self.rows
            .iter()
            .map(|r| match r.state {
                ReminderState::Sent => format!(
                    "{} : e-mail envoyé à {} — {}",
                    r.org, r.recipient, r.subject
                ),
                _ => format!(
                    "{} : e-mail à {} non envoyé ({}) — {}{}",
                    r.org,
                    r.recipient,
                    r.answer.as_deref().unwrap_or("cause inconnue"),
                    r.subject,
                    match r.next_attempt_at {
                        Some(t) => format!(
                            " ; nouvel essai après le {}",
                            t.with_timezone(&PARIS).format("%d/%m/%Y à %H:%M")
                        ),
                        None => " ; plus d'essai automatique".into(),
                    }
                ),
            })
            .collect()
    }
}

/// Sends every reminder and run report due now, for every organisation of the configuration.
pub async fn process_due(
    config: &Config,
    store: &Store,
    clock: &dyn Clock,
) -> Result<ReminderReport> {
    let mut report = ReminderReport::default();
    let Some(mail) = &config.submission.mail else {
        return Ok(report);
    };
    for org in &config.organisations {
        let Some(contact) = org.contact_email.as_deref() else {
            continue;
        };
        let outgoing = due_messages(config, store, clock, org).await?;
        for m in outgoing {
            let message_id = crate::submit::sacem::message_id(&m.key, &mail.from);
            let new = NewReminder {
                key: &m.key,
                org: &org.organisation.slug,
                kind: m.kind,
                recipient: contact,
                subject: &m.composed.subject,
                message_id: &message_id,
            };
            let Some(_claimed) = store.claim_reminder(&new, clock.now()).await? else {
                continue;
            };
            let sent = smtp::send(
                mail,
                &smtp::Mail {
                    to: contact,
                    subject: &m.composed.subject,
                    message_id: &message_id,
                    text: m.composed.text,
                    html: m.composed.html,
                },
            )
            .await;
            let result = match &sent {
                Ok(answer) => Ok(answer.as_str()),
                Err(e) => Err(format!("{e:#}")),
            };
            let done = store
                .finish_reminder(
                    &m.key,
                    result.as_deref().map_err(|e| e.as_str()),
                    clock.now(),
                )
                .await?;
            tracing::info!(org = %org.organisation.slug, key = %m.key, sent = sent.is_ok(), "reminder processed");
            report.rows.extend(done);
        }
    }
    Ok(report)
}

/// A message ready to be claimed and sent.
struct Outgoing {
    key: String,
    kind: &'static str,
    composed: message::Composed,
}

async fn due_messages(
    config: &Config,
    store: &Store,
    clock: &dyn Clock,
    org: &OrganisationConfig,
) -> Result<Vec<Outgoing>> {
    let slug = &org.organisation.slug;
    let name = &org.organisation.name;
    let public_url = config.server.public_url.as_deref();
    let now = clock.now();
    let today = now.with_timezone(&PARIS).date_naive();
    let versions = store.versions(slug, None, None).await?;
    let all = deadlines::of_versions(&versions);
    let mut out = Vec::new();
    for d in all.iter().filter(|d| !d.sent) {
        let Some(lead) = deadlines::due_reminder(d.date, today, &config.reminders.days_before)
        else {
            continue;
        };
        out.push(Outgoing {
            key: format!("{slug}:deadline:{}:{}:{}:J-{lead}", d.body, d.month, d.date),
            kind: "deadline",
            composed: message::deadline_reminder(name, slug, d, lead, today, public_url),
        });
    }
    if config.reminders.run_reports {
        let since = now - Duration::days(REPORT_WINDOW_DAYS);
        for job in store.jobs(Some(slug), None).await? {
            let scheduled = job.kind == releve_store::RUN_JOB
                && job.params["scheduled_for"].is_string()
                && !job.state.is_active();
            let recent = job.finished_at.is_some_and(|t| t >= since && t <= now);
            if !(scheduled && recent) {
                continue;
            }
            out.push(Outgoing {
                key: format!("{slug}:run_report:job-{}", job.id),
                kind: "run_report",
                composed: run_report(store, org, &job, &all, &versions, public_url).await?,
            });
        }
    }
    Ok(out)
}

async fn run_report(
    store: &Store,
    org: &OrganisationConfig,
    job: &Job,
    all: &[Deadline],
    versions: &[releve_store::VersionRecord],
    public_url: Option<&str>,
) -> Result<message::Composed> {
    let slug = &org.organisation.slug;
    let month: Month = job.month;
    let mut computed = Vec::new();
    for body in view::BODIES {
        let of_body: Vec<_> = versions
            .iter()
            .filter(|v| v.month == month && v.body == body.code())
            .cloned()
            .collect();
        let Some(current) = view::current(&of_body) else {
            continue;
        };
        computed.push(message::Computed {
            deadline: all
                .iter()
                .find(|d| d.month == month && d.body == body.code())
                .cloned(),
            body: body.code().to_string(),
            version: current.number,
            state_fr: view::state_fr(current).0,
            amount_due: view::amount_due(body, &current.model)
                .map(releve_declarations::render::fr::money),
        });
    }
    let points = month_points(store, slug, month).await;
    let finished = job
        .finished_at
        .map(|t| {
            t.with_timezone(&PARIS)
                .format("%d/%m/%Y à %H:%M")
                .to_string()
        })
        .unwrap_or_default();
    Ok(message::run_report(
        &org.organisation.name,
        slug,
        month,
        job.state.label_fr(),
        finished,
        &computed,
        points.as_deref(),
        public_url,
    ))
}

/// The month's points to check (`issues.json` of the last run's output folder), blocking
/// first; `None` when the file cannot be read.
async fn month_points(store: &Store, slug: &str, month: Month) -> Option<Vec<(bool, String)>> {
    let root = crate::approval::last_output_folder(store, slug)
        .await
        .ok()
        .flatten()?;
    let path = root.join(slug).join(month.to_string()).join("issues.json");
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    let mut points: Vec<(bool, String)> = value["issues"]
        .as_array()?
        .iter()
        .filter(|i| i["severity"] != "info")
        .map(|i| {
            (
                i["severity"] == "blocking",
                i["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    points.sort_by_key(|(blocking, _)| !*blocking);
    Some(points)
}
