//! The standard-output sink of `newsworker process`: one JSON record per line on stdout (or an
//! Avro container file of them), and
//! one line per failed input on stderr naming its line number, stage and reason.

use std::io::Write;

use newsworker_extract::contract::failure::Failure;

/// Writes records and failures of a `process` run, counting both.
pub struct StdoutSink<W: Write, E: Write> {
    out: W,
    err: E,
    /// Records written.
    pub records: usize,
    /// Failures reported.
    pub failures: usize,
}

impl<W: Write, E: Write> StdoutSink<W, E> {
    /// A sink writing records to `out` and failures to `err`.
    pub fn new(out: W, err: E) -> Self {
        StdoutSink {
            out,
            err,
            records: 0,
            failures: 0,
        }
    }

    /// Writes one record as a line.
    pub fn record(&mut self, json: &[u8]) -> std::io::Result<()> {
        self.out.write_all(json)?;
        self.out.write_all(b"\n")?;
        self.records += 1;
        Ok(())
    }

    /// Writes bytes as they are: a whole file of records in another format (Avro's container
    /// file), holding `records` records.
    pub fn raw(&mut self, bytes: &[u8], records: usize) -> std::io::Result<()> {
        self.out.write_all(bytes)?;
        self.records += records;
        Ok(())
    }

    /// Reports the failure of the input that starts on `line` of `source`.
    pub fn failure(&mut self, source: &str, line: usize, failure: &Failure) -> std::io::Result<()> {
        self.failures += 1;
        writeln!(self.err, "{source}:{line}: {failure}")
    }

    /// Flushes both streams.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()?;
        self.err.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsworker_extract::contract::failure::Reason;

    #[test]
    fn records_go_out_and_failures_go_to_err_with_their_line() {
        let mut sink = StdoutSink::new(Vec::new(), Vec::new());
        sink.record(b"{}").unwrap();
        sink.failure(
            "in.jsonl",
            3,
            &Failure::new("envelope", Reason::InvalidJson, "bad"),
        )
        .unwrap();
        assert_eq!(sink.out, b"{}\n");
        assert_eq!(
            String::from_utf8(sink.err.clone()).unwrap(),
            "in.jsonl:3: invalid_json (envelope): bad\n"
        );
        assert_eq!((sink.records, sink.failures), (1, 1));
    }
}
