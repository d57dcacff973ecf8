//! The `releve` package: glue between the library crates. It parses the command line and the
//! configuration, runs the monthly job (collect → store → facts → declarations → outputs) and
//! writes the files of `formats.md` §5. Business rules live in the library crates.

pub mod accounts_cmd;
pub mod approval;
pub mod audit_cmd;
pub mod backup_cmd;
pub mod check;
pub mod cli;
pub mod cli_fr;
pub mod config;
pub mod corrections;
pub mod credentials;
pub mod demo;
pub mod errors_fr;
pub mod funders;
pub mod import;
pub mod indicators_cmd;
pub mod lifecycle;
pub mod logging;
pub mod month;
pub mod month_issues;
pub mod outputs;
pub mod payroll;
pub mod push;
pub mod queue;
pub mod reference;
pub mod registry;
pub mod reminders;
pub mod renormalise_cmd;
pub mod run;
pub mod sacd_period;
pub mod server;
pub mod status;
pub mod submit;
pub mod trace_cmd;
pub mod versions_cmd;

pub use status::Status;

use anyhow::Result;
use cli::Command;
use std::io::Write;

/// Executes one command, writing the human summary to `out`.
pub async fn execute(command: Command, out: &mut dyn Write) -> Result<Status> {
    match command {
        Command::Demo {
            out: dir,
            with_vendors,
            serve,
            listen,
            keep,
        } => {
            let listen = serve.then_some(listen.as_str());
            demo::run_demo(&dir, with_vendors, keep.as_deref(), listen, out).await
        }
        Command::Run {
            config,
            month,
            org,
            out: dir,
            generated_at,
            body,
            from,
            to,
            jobs,
        } => {
            let period = (body.is_some() || from.is_some() || to.is_some())
                .then(|| sacd_period::period_of(body.as_deref(), from.as_deref(), to.as_deref()))
                .transpose()?;
            let options = run::RunOptions::from_cli(&config, month, org, dir, generated_at)?;
            match period {
                Some(period) => sacd_period::run_period(&options, period, out).await,
                None => {
                    run::announce_incomplete_month(&options, out)?;
                    let settings = queue::QueueSettings::new(jobs)?;
                    queue::run_through_queue(&options, &settings, out).await
                }
            }
        }
        Command::Audit {
            action: cli::AuditAction::Verify { config, org },
        } => audit_cmd::verify(&config, org.as_deref(), out).await,
        Command::Key {
            action: cli::KeyAction::Rotate { config },
        } => credentials::rotate::command(&config, out).await,
        Command::Backup { config, to } => backup_cmd::backup(&config, &to, out).await,
        Command::Restore { config, from } => backup_cmd::restore(&config, &from, out).await,
        Command::Check { config } => check::check(&config, out).await,
        Command::Siret {
            config,
            refresh,
            number,
        } => registry::siret_cmd::run(&config, &number, refresh, out).await,
        Command::Trace {
            config,
            org,
            month,
            performance,
        } => trace_cmd::trace(&config, org.as_deref(), &month, &performance, out).await,
        Command::Serve {
            config,
            listen,
            out: dir,
        } => {
            let config = config::Config::load(&config)?;
            server::serve_with_output(config, listen.as_deref(), dir, out).await
        }
        Command::User { command } => accounts_cmd::user(command, out).await,
        Command::Token { command } => accounts_cmd::token(command, out).await,
        Command::Renormalise {
            config,
            org,
            source,
        } => renormalise_cmd::renormalise(&config, org.as_deref(), source.as_deref(), out).await,
        Command::Versions { config, org, month } => {
            versions_cmd::list(&config, org.as_deref(), month.as_deref(), out).await
        }
        Command::Approve {
            config,
            org,
            month,
            from,
            to,
            body,
            version,
            by,
            despite,
            out: dir,
        } => {
            if from.is_some() || to.is_some() {
                let period = sacd_period::period_of(Some(&body), from.as_deref(), to.as_deref())?;
                let args = sacd_period::approve::ApproveArgs {
                    config: &config,
                    org: org.as_deref(),
                    period,
                    version,
                    by: &by,
                    despite: despite.as_deref(),
                    out: dir.as_deref(),
                };
                return sacd_period::approve::command(&args, out).await;
            }
            let target = versions_cmd::Target {
                config: &config,
                org: org.as_deref(),
                month: month.as_deref().unwrap_or_default(),
                body: &body,
                version,
            };
            versions_cmd::approve(&target, &by, despite.as_deref(), dir.as_deref(), out).await
        }
        Command::Submitted {
            config,
            org,
            month,
            from,
            to,
            body,
            version,
            by,
            channel,
            receipt,
        } => {
            // A SACD period is named by its `FROM_TO`, as in the store and the outbox.
            let month = match (from, month) {
                (Some(from), _) => {
                    let period = sacd_period::period_of(Some(&body), Some(&from), to.as_deref())?;
                    sacd_period::span_of(period).to_string()
                }
                (None, month) => month.unwrap_or_default(),
            };
            let target = versions_cmd::Target {
                config: &config,
                org: org.as_deref(),
                month: &month,
                body: &body,
                version: Some(version),
            };
            versions_cmd::submitted(&target, &by, &channel, &receipt, out).await
        }
        Command::Submit {
            config,
            org,
            month,
            from,
            to,
            body,
            version,
            by,
            out: dir,
        } => {
            let args = submit::command::SubmitArgs {
                config: &config,
                org: org.as_deref(),
                month: month.as_deref(),
                period: from
                    .is_some()
                    .then(|| {
                        sacd_period::period_of(body.as_deref(), from.as_deref(), to.as_deref())
                    })
                    .transpose()?,
                body: body.as_deref(),
                version,
                by: by.as_deref(),
                out: &dir,
            };
            submit::command::submit(&args, out).await
        }
        Command::Indicators {
            config,
            season,
            year,
            org,
            out: dir,
            generated_at,
        } => {
            let options = run::RunOptions::from_cli(&config, None, org, dir, generated_at)?;
            indicators_cmd::run(&options, season.as_deref(), year, out).await
        }
    }
}
