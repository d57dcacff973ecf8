//! Measuring one phase: a child process run under GNU time (`/usr/bin/time`), which reports
//! its wall time, its CPU time (user + system) and its peak resident memory. Each phase has a
//! process of its own, so a peak never includes what an earlier phase left behind.

use std::path::Path;
use std::process::Command;

/// What one phase cost.
#[derive(Clone, Copy, Debug)]
pub struct Measure {
    pub wall: f64,
    /// User + system CPU seconds of the child (and of its own children).
    pub cpu: f64,
    pub peak_mib: f64,
}

/// Runs `command` under `/usr/bin/time`; panics with its output if it fails. Returns the
/// measure and the child's standard output.
pub fn run(command: Command, scratch: &Path, what: &str) -> (Measure, String) {
    let report = scratch.join(".time");
    let program = command.get_program().to_owned();
    let args: Vec<_> = command.get_args().map(|a| a.to_owned()).collect();
    let mut timed = Command::new("/usr/bin/time");
    timed
        .arg("-f")
        .arg("%e %U %S %M")
        .arg("-o")
        .arg(&report)
        .arg(program)
        .args(args);
    for (key, value) in command.get_envs() {
        match value {
            Some(v) => timed.env(key, v),
            None => timed.env_remove(key),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        timed.current_dir(dir);
    }
    let output = timed
        .output()
        .expect("GNU time must be installed as /usr/bin/time (Debian: apt install time)");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    // `releve run` ends with status 1 when the month has points to review (the generated
    // programme leaves some blocking points): a finished run all the same. 2 and more fail.
    assert!(
        output.status.code().is_some_and(|code| code <= 1),
        "{what}: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&report).expect("GNU time's report");
    let figures: Vec<f64> = text
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace()
        .map(|f| f.parse().expect("GNU time: four numbers"))
        .collect();
    let measure = Measure {
        wall: figures[0],
        cpu: figures[1] + figures[2],
        peak_mib: figures[3] / 1024.0,
    };
    (measure, stdout)
}

/// The machine's load average over the last minute (`/proc/loadavg`), printed beside the
/// figures: they are only comparable on a quiet machine.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}
