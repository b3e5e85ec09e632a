//! Avro's object container file: a schema-carrying file of records, for `process --format avro`.
//!
//! Outside Kafka there is no registry to hold the schema, so a file carries its own: the header
//! (`Obj` 1, a metadata map with `avro.schema` and `avro.codec` = `null`, a 16-byte sync
//! marker) and then blocks of datums, each block its count, its size in bytes, the datums and
//! the marker again (Avro 1.11 specification, "Object Container Files"). Any Avro reader
//! (fastavro, avro-tools, Spark, DuckDB) reads it. The marker is a hash of the schema rather
//! than random, so the same records give the same file.

use std::io::{self, Write};

use super::encode::{write_bytes, write_long};
use super::AvroSchema;

/// A block is written once its datums reach this many bytes (and at the end).
const BLOCK_BYTES: usize = 64 * 1024;

/// Writes records into an object container file.
pub struct ContainerWriter<W: Write> {
    out: W,
    sync: [u8; 16],
    block: Vec<u8>,
    count: i64,
}

impl<W: Write> ContainerWriter<W> {
    /// Writes the file's header to `out`.
    pub fn new(mut out: W, schema: &AvroSchema) -> io::Result<Self> {
        let sync = xxhash_rust::xxh3::xxh3_128(schema.text().as_bytes()).to_le_bytes();
        let mut header = b"Obj\x01".to_vec();
        write_long(&mut header, 2);
        write_bytes(&mut header, b"avro.schema");
        write_bytes(&mut header, schema.text().as_bytes());
        write_bytes(&mut header, b"avro.codec");
        write_bytes(&mut header, b"null");
        write_long(&mut header, 0);
        header.extend_from_slice(&sync);
        out.write_all(&header)?;
        Ok(ContainerWriter {
            out,
            sync,
            block: Vec::with_capacity(BLOCK_BYTES),
            count: 0,
        })
    }

    /// Appends one datum (an [`AvroSchema::encode`] of the file's schema).
    pub fn append(&mut self, datum: &[u8]) -> io::Result<()> {
        self.block.extend_from_slice(datum);
        self.count += 1;
        if self.block.len() >= BLOCK_BYTES {
            self.write_block()?;
        }
        Ok(())
    }

    /// Writes what is buffered and flushes.
    pub fn finish(mut self) -> io::Result<W> {
        self.write_block()?;
        self.out.flush()?;
        Ok(self.out)
    }

    fn write_block(&mut self) -> io::Result<()> {
        if self.count == 0 {
            return Ok(());
        }
        let mut head = Vec::with_capacity(20);
        write_long(&mut head, self.count);
        write_long(&mut head, self.block.len() as i64);
        self.out.write_all(&head)?;
        self.out.write_all(&self.block)?;
        self.out.write_all(&self.sync)?;
        self.block.clear();
        self.count = 0;
        Ok(())
    }
}
