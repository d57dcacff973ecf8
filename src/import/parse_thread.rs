//! Parsing a source file on a thread of its own, so that reading and mapping rows (one core at
//! about 400,000 rows/s) overlaps with the database writes and never blocks the async runtime's
//! threads. Records cross a bounded channel in chunks: at most [`CHUNKS_IN_FLIGHT`] ×
//! [`CHUNK`] records wait, so memory stays flat whatever the file's size. When the import
//! stops early (a database error), the receiver is dropped and the thread stops at its next
//! chunk.

use anyhow::{anyhow, Result};
use releve_collectors::Record;
use std::thread::JoinHandle;
use tokio::sync::mpsc;

/// Records per message.
const CHUNK: usize = 1_000;
/// Messages parsed ahead of the writer.
const CHUNKS_IN_FLIGHT: usize = 8;

/// Records read, in file order, and how far into the file the reader was after them.
pub(super) struct Chunk {
    pub records: Vec<Record>,
    pub position: u64,
}

/// The receiving end: the chunks, then [`Parsed::finish`].
pub(super) struct Parsed {
    chunks: mpsc::Receiver<Chunk>,
    thread: JoinHandle<()>,
}

/// Starts reading `reader` on a new thread; `position` says how far it is (for progress).
pub(super) fn spawn<R, P>(reader: R, position: P) -> Result<Parsed>
where
    R: Iterator<Item = Record> + Send + 'static,
    P: Fn(&R) -> u64 + Send + 'static,
{
    let (sender, chunks) = mpsc::channel(CHUNKS_IN_FLIGHT);
    let thread = std::thread::Builder::new()
        .name("releve-parse".into())
        .spawn(move || {
            let mut reader = reader;
            loop {
                let records: Vec<Record> = reader.by_ref().take(CHUNK).collect();
                if records.is_empty() {
                    return;
                }
                let chunk = Chunk {
                    records,
                    position: position(&reader),
                };
                if sender.blocking_send(chunk).is_err() {
                    return; // the import stopped: nobody reads any more
                }
            }
        })
        .map_err(|e| anyhow!("impossible de lancer la lecture du fichier : {e}"))?;
    Ok(Parsed { chunks, thread })
}

impl Parsed {
    /// The next chunk, `None` once the file is read to its end.
    pub async fn next(&mut self) -> Option<Chunk> {
        self.chunks.recv().await
    }

    /// After the last chunk: the thread has ended; an error if it ended by a panic (the file
    /// was then not read to its end, and the import must not pass for complete).
    pub fn finish(self) -> Result<()> {
        self.thread
            .join()
            .map_err(|_| anyhow!("la lecture du fichier s'est interrompue (erreur interne)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use releve_domain::Quarantined;

    fn record(i: usize) -> Record {
        Record::Quarantined(Quarantined {
            source: "s".into(),
            line: Some(i as u64),
            column: None,
            reason: String::new(),
            raw: String::new(),
        })
    }

    #[tokio::test]
    async fn every_record_arrives_in_order_in_bounded_chunks() {
        let reader = (0..2_500).map(record);
        let mut parsed = spawn(reader, |_| 7).unwrap();
        let mut lines = Vec::new();
        while let Some(chunk) = parsed.next().await {
            assert!(chunk.records.len() <= CHUNK);
            assert_eq!(chunk.position, 7);
            for r in chunk.records {
                match r {
                    Record::Quarantined(q) => lines.push(q.line.unwrap()),
                    _ => unreachable!(),
                }
            }
        }
        parsed.finish().unwrap();
        assert_eq!(lines, (0..2_500).collect::<Vec<u64>>());
    }

    #[tokio::test]
    async fn a_reader_that_panics_is_an_error_not_a_short_file() {
        let reader = (0..1_500).map(|i| {
            assert!(i < 1_200, "broken reader");
            record(i)
        });
        let mut parsed = spawn(reader, |_| 0).unwrap();
        let mut seen = 0;
        while let Some(chunk) = parsed.next().await {
            seen += chunk.records.len();
        }
        assert_eq!(seen, 1_000);
        assert!(parsed.finish().is_err());
    }
}
