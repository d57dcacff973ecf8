//! releve: the binary is glue. It reads the command line, sets up logging and hands over to
//! the library modules; the exit status tells cron what happened: 0 success, 1 finished but
//! something needs attention, 2 could not run.

use std::process::ExitCode;

fn main() -> ExitCode {
    // Help and argument errors in French (`cli_fr`); `--help` and `--version` exit 0.
    let cli = match releve::cli_fr::parse() {
        Ok(cli) => cli,
        Err((text, code)) => {
            let newline = if text.ends_with('\n') { "" } else { "\n" };
            if code == 0 {
                print!("{text}{newline}");
            } else {
                eprint!("{text}{newline}");
            }
            return ExitCode::from(code as u8);
        }
    };
    releve::logging::init(cli.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("erreur : impossible de démarrer le moteur asynchrone : {e}");
            return ExitCode::from(2);
        }
    };
    let mut stdout = std::io::stdout();
    match runtime.block_on(releve::execute(cli.command, &mut stdout)) {
        Ok(status) => ExitCode::from(status.code()),
        Err(e) => {
            eprintln!("erreur : {}", releve::errors_fr::describe(&e));
            ExitCode::from(2)
        }
    }
}
