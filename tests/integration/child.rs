//! The `releve` binary as a child process the test drives: its stdout and stderr are read line
//! by line on threads, so that a test can wait for a line (a fault point reached, a message
//! printed) instead of sleeping, then act (release a pause, kill it, start another process).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long a test waits for an expected line before failing (generous: 2 shared cores).
const PATIENCE: Duration = Duration::from_secs(120);

pub struct Running {
    pub child: Child,
    stdin: Option<ChildStdin>,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
    pub stdout_seen: Vec<String>,
    pub stderr_seen: Vec<String>,
}

pub struct Finished {
    /// `None` when the process was ended by a signal (abort, kill).
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Starts `releve args…` with extra environment variables.
pub fn spawn(args: &[&str], env: &[(&str, &str)]) -> Running {
    let mut command = Command::new(env!("CARGO_BIN_EXE_releve"));
    command
        .args(args)
        .env("RELEVE_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("start releve");
    let stdin = child.stdin.take();
    let stdout = lines(child.stdout.take().unwrap());
    let stderr = lines(child.stderr.take().unwrap());
    Running {
        child,
        stdin,
        stdout,
        stderr,
        stdout_seen: Vec::new(),
        stderr_seen: Vec::new(),
    }
}

fn lines(reader: impl std::io::Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(reader).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

impl Running {
    /// Waits for a stderr line containing `needle`; panics with everything seen if the process
    /// ends or takes too long first.
    pub fn wait_stderr(&mut self, needle: &str) -> String {
        wait_line(&self.stderr, &mut self.stderr_seen, needle, "stderr")
    }

    pub fn wait_stdout(&mut self, needle: &str) -> String {
        wait_line(&self.stdout, &mut self.stdout_seen, needle, "stdout")
    }

    /// Lets a process paused at a fault point go on.
    pub fn release(&mut self) {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.write_all(b"\n");
        }
    }

    /// SIGKILL, then reap.
    pub fn kill(mut self) -> Finished {
        let _ = self.child.kill();
        self.finish()
    }

    /// Waits for the end (stdin closed first, so a pause never blocks it).
    pub fn finish(mut self) -> Finished {
        drop(self.stdin.take());
        let status = self.child.wait().expect("wait for releve").code();
        let mut stdout = self.stdout_seen.join("\n");
        for line in self.stdout.iter() {
            stdout.push('\n');
            stdout.push_str(&line);
        }
        let mut stderr = self.stderr_seen.join("\n");
        for line in self.stderr.iter() {
            stderr.push('\n');
            stderr.push_str(&line);
        }
        Finished {
            status,
            stdout,
            stderr,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

fn wait_line(rx: &Receiver<String>, seen: &mut Vec<String>, needle: &str, what: &str) -> String {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                seen.push(line.clone());
                if line.contains(needle) {
                    return line;
                }
            }
            Err(RecvTimeoutError::Timeout) => {
                panic!(
                    "no {what} line with « {needle} » in time; seen:\n{}",
                    seen.join("\n")
                )
            }
            Err(RecvTimeoutError::Disconnected) => {
                panic!(
                    "releve ended before a {what} line with « {needle} »; seen:\n{}",
                    seen.join("\n")
                )
            }
        }
    }
}
