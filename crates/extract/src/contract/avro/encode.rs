//! Avro's binary encoding, written by a serde serializer that walks the schema beside the value.
//!
//! Each serde call meets the schema node of its place: a `u64` meets a `long`, an `Option`
//! meets a `["null", T]` union (branch 0 for `None`, branch 1 and then the value for `Some`),
//! a struct meets a record and must give its fields in the record's order (serde gives them in
//! declaration order, and the record's order is the JSON Schema's, which a test keeps the same).
//! A value that does not fit its node is an error naming the field, never a wrong datum.
//!
//! The encoding (Avro 1.11 specification, "Binary Encoding"): `long` as a zig-zag varint,
//! `double` as 8 little-endian bytes, `string` as its byte length then UTF-8, a union as the
//! branch's index then the value, arrays and maps as one block (its count, the items, then a
//! count of 0) or just the 0 when empty, records as their fields in order with nothing between.

use serde::ser::{self, Impossible, Serialize};

use super::Node;

/// Why a value could not be encoded under the schema.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct EncodeError(String);

impl ser::Error for EncodeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        EncodeError(msg.to_string())
    }
}

impl EncodeError {
    /// The error, said of the field `name` it happened in.
    fn in_field(self, name: &str) -> Self {
        EncodeError(format!("{name}: {}", self.0))
    }
}

/// The node of a map's keys.
static STRING: Node = Node::String;

/// Appends the datum of `value` under `node` to `out`.
pub(super) fn encode<T: Serialize + ?Sized>(
    node: &Node,
    value: &T,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    value.serialize(Encoder { node, out })
}

/// Appends a `long`.
pub(super) fn write_long(out: &mut Vec<u8>, value: i64) {
    let mut zigzag = ((value << 1) ^ (value >> 63)) as u64;
    while zigzag >= 0x80 {
        out.push((zigzag as u8) | 0x80);
        zigzag >>= 7;
    }
    out.push(zigzag as u8);
}

/// Appends a `string` (or `bytes`).
pub(super) fn write_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    write_long(out, bytes.len() as i64);
    out.extend_from_slice(bytes);
}

/// The serializer of one value at one node.
struct Encoder<'a> {
    node: &'a Node,
    out: &'a mut Vec<u8>,
}

impl<'a> Encoder<'a> {
    /// The node a present (non-null) value is written as: for a nullable node, after writing
    /// the union's branch 1.
    fn present(&mut self) -> &'a Node {
        match self.node {
            Node::Nullable(inner) => {
                write_long(self.out, 1);
                inner
            }
            node => node,
        }
    }

    fn mismatch(&self, value: &str) -> EncodeError {
        EncodeError(format!("a {value} where the schema has {:?}", self.node))
    }

    fn long(mut self, value: i64) -> Result<(), EncodeError> {
        match self.present() {
            Node::Long => write_long(self.out, value),
            Node::Double => self.out.extend_from_slice(&(value as f64).to_le_bytes()),
            _ => return Err(self.mismatch("integer")),
        }
        Ok(())
    }
}

impl<'a> ser::Serializer for Encoder<'a> {
    type Ok = ();
    type Error = EncodeError;
    type SerializeSeq = Items<'a>;
    type SerializeTuple = Items<'a>;
    type SerializeTupleStruct = Impossible<(), EncodeError>;
    type SerializeTupleVariant = Impossible<(), EncodeError>;
    type SerializeMap = Entries<'a>;
    type SerializeStruct = Fields<'a>;
    type SerializeStructVariant = Impossible<(), EncodeError>;

    fn serialize_bool(mut self, v: bool) -> Result<(), EncodeError> {
        match self.present() {
            Node::Boolean => self.out.push(u8::from(v)),
            _ => return Err(self.mismatch("boolean")),
        }
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<(), EncodeError> {
        self.long(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), EncodeError> {
        self.long(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), EncodeError> {
        self.long(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), EncodeError> {
        self.long(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), EncodeError> {
        self.long(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), EncodeError> {
        self.long(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), EncodeError> {
        self.long(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), EncodeError> {
        let v = i64::try_from(v).map_err(|_| EncodeError(format!("{v} is beyond a long")))?;
        self.long(v)
    }

    fn serialize_f32(self, v: f32) -> Result<(), EncodeError> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(mut self, v: f64) -> Result<(), EncodeError> {
        match self.present() {
            Node::Double => self.out.extend_from_slice(&v.to_le_bytes()),
            _ => return Err(self.mismatch("number")),
        }
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), EncodeError> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(mut self, v: &str) -> Result<(), EncodeError> {
        match self.present() {
            Node::String => write_bytes(self.out, v.as_bytes()),
            _ => return Err(self.mismatch("string")),
        }
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), EncodeError> {
        Err(self.mismatch("byte string"))
    }

    fn serialize_none(self) -> Result<(), EncodeError> {
        match self.node {
            Node::Nullable(_) => write_long(self.out, 0),
            Node::Null => {}
            _ => return Err(self.mismatch("null")),
        }
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), EncodeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), EncodeError> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), EncodeError> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), EncodeError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), EncodeError> {
        Err(self.mismatch("enum variant with data"))
    }

    fn serialize_seq(mut self, len: Option<usize>) -> Result<Items<'a>, EncodeError> {
        let Node::Array(item) = self.present() else {
            return Err(self.mismatch("sequence"));
        };
        let len = len.ok_or_else(|| EncodeError("a sequence of unknown length".into()))?;
        if len > 0 {
            write_long(self.out, len as i64);
        }
        Ok(Items {
            item,
            out: self.out,
            left: len,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Items<'a>, EncodeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, EncodeError> {
        Err(self.mismatch("tuple struct"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, EncodeError> {
        Err(self.mismatch("tuple variant"))
    }

    fn serialize_map(mut self, len: Option<usize>) -> Result<Entries<'a>, EncodeError> {
        let Node::Map(value) = self.present() else {
            return Err(self.mismatch("map"));
        };
        let len = len.ok_or_else(|| EncodeError("a map of unknown length".into()))?;
        if len > 0 {
            write_long(self.out, len as i64);
        }
        Ok(Entries {
            value,
            out: self.out,
            left: len,
        })
    }

    fn serialize_struct(mut self, name: &'static str, _: usize) -> Result<Fields<'a>, EncodeError> {
        let Node::Record(fields) = self.present() else {
            return Err(self.mismatch(&format!("struct {name}")));
        };
        Ok(Fields {
            fields,
            next: 0,
            out: self.out,
        })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, EncodeError> {
        Err(self.mismatch("struct variant"))
    }
}

/// The items of an array, each under the items' node; the block ends with a count of 0.
struct Items<'a> {
    item: &'a Node,
    out: &'a mut Vec<u8>,
    left: usize,
}

impl Items<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        self.left = self
            .left
            .checked_sub(1)
            .ok_or_else(|| EncodeError("more items than the sequence said".into()))?;
        encode(self.item, value, self.out)
    }

    fn close(self) -> Result<(), EncodeError> {
        if self.left != 0 {
            return Err(EncodeError("fewer items than the sequence said".into()));
        }
        write_long(self.out, 0);
        Ok(())
    }
}

impl ser::SerializeSeq for Items<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        self.item(value)
    }
    fn end(self) -> Result<(), EncodeError> {
        self.close()
    }
}

impl ser::SerializeTuple for Items<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        self.item(value)
    }
    fn end(self) -> Result<(), EncodeError> {
        self.close()
    }
}

/// The entries of a map: string keys, values under the values' node.
struct Entries<'a> {
    value: &'a Node,
    out: &'a mut Vec<u8>,
    left: usize,
}

impl ser::SerializeMap for Entries<'_> {
    type Ok = ();
    type Error = EncodeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), EncodeError> {
        self.left = self
            .left
            .checked_sub(1)
            .ok_or_else(|| EncodeError("more entries than the map said".into()))?;
        encode(&STRING, key, self.out)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        encode(self.value, value, self.out)
    }
    fn end(self) -> Result<(), EncodeError> {
        if self.left != 0 {
            return Err(EncodeError("fewer entries than the map said".into()));
        }
        write_long(self.out, 0);
        Ok(())
    }
}

/// The fields of a record, which must come in the schema's order.
struct Fields<'a> {
    fields: &'a [super::Field],
    next: usize,
    out: &'a mut Vec<u8>,
}

impl<'a> Fields<'a> {
    /// The schema's next field, which must be `key`.
    fn expect(&mut self, key: &str) -> Result<&'a super::Field, EncodeError> {
        let fields = self.fields;
        let field = fields.get(self.next).ok_or_else(|| {
            EncodeError(format!(
                "field {key} is not in the schema's record, or out of order"
            ))
        })?;
        if field.name != key {
            return Err(EncodeError(format!(
                "field {key} comes where the schema has {}",
                field.name
            )));
        }
        self.next += 1;
        Ok(field)
    }
}

impl ser::SerializeStruct for Fields<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        let node = &self.expect(key)?.node;
        encode(node, value, self.out).map_err(|e| e.in_field(key))
    }

    /// A field serde leaves out (`skip_serializing_if`) is a null in Avro.
    fn skip_field(&mut self, key: &'static str) -> Result<(), EncodeError> {
        let node = &self.expect(key)?.node;
        encode(node, &(), self.out).map_err(|e| e.in_field(key))
    }

    fn end(self) -> Result<(), EncodeError> {
        match self.fields.get(self.next) {
            Some(missing) => Err(EncodeError(format!(
                "the value has no field {} (the schema's next)",
                missing.name
            ))),
            None => Ok(()),
        }
    }
}
