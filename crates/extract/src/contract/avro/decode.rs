//! Avro's binary encoding read back into JSON, under the schema that wrote it.
//!
//! The demo prints what a consumer decodes, and the tests check that decoding a record's datum
//! gives back its JSON; neither is on the worker's path. Blocks of arrays and maps may come in
//! several pieces, and a negative count is followed by the block's size in bytes (Avro lets
//! writers do both), so any conforming writer's datum reads.

use serde_json::{Map, Number, Value};

use super::Node;

/// Why bytes are not a datum of the schema.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The bytes end inside a value.
    #[error("the datum ends early")]
    Truncated,
    /// A varint longer than a long.
    #[error("a long of more than 10 bytes")]
    LongTooLong,
    /// A string that is not UTF-8.
    #[error("a string that is not UTF-8")]
    NotUtf8,
    /// A union branch the schema does not have.
    #[error("union branch {0} of a [\"null\", T] union")]
    Branch(i64),
    /// A negative or impossible length.
    #[error("a length of {0}")]
    Length(i64),
    /// Bytes left after the datum.
    #[error("{0} bytes after the datum")]
    Trailing(usize),
}

/// Decodes the whole of `bytes` as one datum of `node`.
pub(super) fn decode(node: &Node, bytes: &[u8]) -> Result<Value, DecodeError> {
    let mut reader = Reader { bytes };
    let value = reader.value(node)?;
    match reader.bytes.len() {
        0 => Ok(value),
        left => Err(DecodeError::Trailing(left)),
    }
}

/// A cursor over a datum.
pub(super) struct Reader<'a> {
    /// What is left to read.
    pub bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Reads a `long`.
    pub fn long(&mut self) -> Result<i64, DecodeError> {
        let mut value: u64 = 0;
        for shift in (0..70).step_by(7) {
            let (&byte, rest) = self.bytes.split_first().ok_or(DecodeError::Truncated)?;
            self.bytes = rest;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(((value >> 1) as i64) ^ -((value & 1) as i64));
            }
        }
        Err(DecodeError::LongTooLong)
    }

    /// Takes `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if self.bytes.len() < n {
            return Err(DecodeError::Truncated);
        }
        let (taken, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(taken)
    }

    /// Reads a length-prefixed byte string.
    pub fn bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let len = self.long()?;
        let len = usize::try_from(len).map_err(|_| DecodeError::Length(len))?;
        self.take(len)
    }

    fn string(&mut self) -> Result<String, DecodeError> {
        let bytes = self.bytes()?;
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| DecodeError::NotUtf8)
    }

    /// The count of the next block of an array or map (0 at the end).
    fn block_count(&mut self) -> Result<u64, DecodeError> {
        let count = self.long()?;
        if count < 0 {
            self.long()?; // the block's size in bytes, for skipping; not needed here
        }
        Ok(count.unsigned_abs())
    }

    fn value(&mut self, node: &Node) -> Result<Value, DecodeError> {
        Ok(match node {
            Node::Null => Value::Null,
            Node::Boolean => Value::Bool(self.take(1)?[0] != 0),
            Node::Long => Value::from(self.long()?),
            Node::Double => {
                let bytes: [u8; 8] = self.take(8)?.try_into().expect("8 bytes");
                Number::from_f64(f64::from_le_bytes(bytes)).map_or(Value::Null, Value::Number)
            }
            Node::String => Value::String(self.string()?),
            Node::Nullable(inner) => match self.long()? {
                0 => Value::Null,
                1 => self.value(inner)?,
                other => return Err(DecodeError::Branch(other)),
            },
            Node::Array(item) => {
                let mut items = Vec::new();
                while let count @ 1.. = self.block_count()? {
                    for _ in 0..count {
                        items.push(self.value(item)?);
                    }
                }
                Value::Array(items)
            }
            Node::Map(values) => {
                let mut map = Map::new();
                while let count @ 1.. = self.block_count()? {
                    for _ in 0..count {
                        let key = self.string()?;
                        map.insert(key, self.value(values)?);
                    }
                }
                Value::Object(map)
            }
            Node::Record(fields) => {
                let mut record = Map::new();
                for field in fields {
                    record.insert(field.name.clone(), self.value(&field.node)?);
                }
                Value::Object(record)
            }
        })
    }
}
