//! The outcome of a command, as an exit status for cron.

/// `0` success; `1` finished but something needs attention. (`2`, could not run, is an error.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Success,
    NeedsAttention,
}

impl Status {
    pub fn code(self) -> u8 {
        match self {
            Status::Success => 0,
            Status::NeedsAttention => 1,
        }
    }

    pub fn worst(self, other: Status) -> Status {
        self.max(other)
    }
}
