//! The record in Apache Avro: its schema, made from the record's JSON Schema, and the binary
//! encoding of a record under it.
//!
//! There is one record contract, `schema/record.schema.json`; the Avro schema is derived from it
//! by [`AvroSchema::from_json_schema`] rather than written beside it, so the two cannot drift
//! (`schema/record.avsc` is that derivation, committed for consumers; a test keeps it equal).
//! The mapping is the obvious one, and small because the record uses little of JSON Schema:
//!
//! | JSON Schema | Avro |
//! |---|---|
//! | `object` with `properties` | `record`, fields in the properties' order, named after the path |
//! | `object` with `additionalProperties` only | `map` |
//! | `array` | `array` |
//! | `string`, any `enum` of strings | `string` (an Avro `enum` would make a new value a breaking change) |
//! | `integer` (and an integer `const`) | `long` |
//! | `number` | `double` |
//! | `boolean`, `null` | `boolean`, `null` |
//! | `[T, "null"]`, `oneOf [null, T]`, a property not `required` | `["null", T]` with default `null` |
//! | `$ref` to `#/definitions/NAME` | record `NAME` where first used, its name after that |
//!
//! A field that is not nullable has no default, so a registry under `FULL` compatibility refuses
//! a schema that drops it, and a new nullable field (default `null`) is compatible both ways.
//!
//! The encoder ([`AvroSchema::encode`]) is a serde serializer walked along the schema: it writes
//! a record's Avro datum straight from the `Record` struct, with no JSON in between, and fails
//! (never writes a wrong datum) when a value does not fit its place in the schema. The decoder
//! ([`AvroSchema::decode`]) turns a datum back into JSON, for the demo and the tests.

mod container;
mod decode;
mod encode;

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;
use serde_json::{json, Map, Value};

pub use container::ContainerWriter;
pub use decode::DecodeError;
pub use encode::EncodeError;

/// The Avro namespace of the record's named types.
pub const NAMESPACE: &str = "newsworker";

/// A schema node: the subset of Avro the record needs.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `null`.
    Null,
    /// `boolean`.
    Boolean,
    /// `long` (zig-zag varint).
    Long,
    /// `double` (8 bytes, little-endian).
    Double,
    /// `string` (UTF-8 with its length).
    String,
    /// `array` of the node.
    Array(Box<Node>),
    /// `map` from strings to the node.
    Map(Box<Node>),
    /// `record`: fields in order.
    Record(Vec<Field>),
    /// `["null", node]`.
    Nullable(Box<Node>),
}

/// A field of a record node.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The field's name (the JSON property).
    pub name: String,
    /// Its type.
    pub node: Node,
}

/// Why a JSON Schema has no Avro form here.
#[derive(Debug, thiserror::Error)]
#[error("the JSON Schema at {path} has no Avro form: {reason}")]
pub struct SchemaError {
    path: String,
    reason: String,
}

/// An Avro schema: its JSON text (what a registry stores) and its nodes (what the codec walks).
#[derive(Debug, Clone)]
pub struct AvroSchema {
    text: String,
    root: Node,
}

impl AvroSchema {
    /// The schema of the record, derived from `schema/record.schema.json` once.
    pub fn record() -> &'static AvroSchema {
        static RECORD: OnceLock<AvroSchema> = OnceLock::new();
        RECORD.get_or_init(|| {
            let json_schema: Value = serde_json::from_str(super::record::JSON_SCHEMA)
                .expect("schema/record.schema.json is JSON (a test parses it)");
            Self::from_json_schema(&json_schema, "Record")
                .expect("schema/record.schema.json has an Avro form (a test derives it)")
        })
    }

    /// Derives the Avro schema of `json_schema`, whose root record is called `name`.
    pub fn from_json_schema(json_schema: &Value, name: &str) -> Result<Self, SchemaError> {
        let mut definitions = Definitions {
            root: json_schema,
            derived: HashMap::new(),
        };
        let (avro, root) = derive(json_schema, &Path::root(name), &mut definitions)?;
        let mut avro = avro;
        if let Value::Object(root_record) = &mut avro {
            root_record.insert("namespace".into(), NAMESPACE.into());
        }
        let text = serde_json::to_string_pretty(&avro).expect("a JSON value serialises");
        Ok(AvroSchema { text, root })
    }

    /// The schema as Avro's JSON, pretty-printed (the text of `schema/record.avsc`).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The root node.
    pub fn root(&self) -> &Node {
        &self.root
    }

    /// Appends the Avro binary encoding of `value` (a datum, no framing) to `out`. On an error
    /// `out` may hold a partial datum: truncate it.
    pub fn encode<T: Serialize + ?Sized>(
        &self,
        value: &T,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        encode::encode(&self.root, value, out)
    }

    /// Reads one datum from the whole of `bytes` as JSON.
    pub fn decode(&self, bytes: &[u8]) -> Result<Value, DecodeError> {
        decode::decode(&self.root, bytes)
    }
}

/// Where in the JSON Schema a node is: for error messages and for naming records.
struct Path {
    /// `$.entities[].geo`.
    json: String,
    /// `EntitiesGeo`: the Avro name a record here gets.
    name: String,
}

impl Path {
    fn root(name: &str) -> Self {
        Path {
            json: "$".into(),
            name: name.into(),
        }
    }

    /// The path of property `key` below this one. Records below the root are named after
    /// their properties' path from the root ("entities" → "Entities", its "geo" →
    /// "EntitiesGeo"), which is unique and stable.
    fn property(&self, key: &str) -> Self {
        let camel: String = key
            .split('_')
            .map(|part| {
                let mut chars = part.chars();
                chars.next().map_or(String::new(), |first| {
                    first.to_uppercase().chain(chars).collect()
                })
            })
            .collect();
        let name = if self.json == "$" {
            camel
        } else {
            format!("{}{camel}", self.name)
        };
        Path {
            json: format!("{}.{key}", self.json),
            name,
        }
    }

    /// The path of an array's items or a map's values (same name).
    fn element(&self, suffix: &str) -> Self {
        Path {
            json: format!("{}{suffix}", self.json),
            name: self.name.clone(),
        }
    }

    fn error(&self, reason: impl Into<String>) -> SchemaError {
        SchemaError {
            path: self.json.clone(),
            reason: reason.into(),
        }
    }
}

/// The schemas a `$ref` points to (`#/definitions/NAME`, or `#/$defs/NAME`), each derived once:
/// an Avro named type is written out where it is first used and named where it is used again.
struct Definitions<'a> {
    root: &'a Value,
    /// The node of each definition derived so far, by its Avro name.
    derived: HashMap<String, Node>,
}

impl Definitions<'_> {
    /// The Avro JSON and node of the schema `reference` points to.
    fn resolve(&mut self, reference: &str, path: &Path) -> Result<(Value, Node), SchemaError> {
        let name = ["#/definitions/", "#/$defs/"]
            .iter()
            .find_map(|prefix| reference.strip_prefix(prefix))
            .ok_or_else(|| {
                path.error(format!("a $ref other than #/definitions/NAME: {reference}"))
            })?;
        let section = if reference.starts_with("#/$defs/") {
            "$defs"
        } else {
            "definitions"
        };
        let target = &self.root[section][name];
        let named = Path::root("").property(name);
        if let Some(node) = self.derived.get(&named.name) {
            return Ok((format!("{NAMESPACE}.{}", named.name).into(), node.clone()));
        }
        if target.is_null() {
            return Err(path.error(format!("{reference} points to nothing")));
        }
        let (avro, node) = derive(target, &named, self)?;
        self.derived.insert(named.name, node.clone());
        Ok((avro, node))
    }
}

/// The Avro JSON and node of one JSON Schema node.
fn derive(
    schema: &Value,
    path: &Path,
    definitions: &mut Definitions,
) -> Result<(Value, Node), SchemaError> {
    let Value::Object(schema) = schema else {
        return Err(path.error("not an object"));
    };
    if let Some(Value::String(reference)) = schema.get("$ref") {
        return definitions.resolve(reference, path);
    }
    if let Some(Value::Array(options)) = schema.get("oneOf") {
        return derive_union(options, path, definitions);
    }
    if let Some(constant) = schema.get("const") {
        return match constant {
            Value::Number(n) if n.is_i64() || n.is_u64() => Ok((json!("long"), Node::Long)),
            Value::String(_) => Ok((json!("string"), Node::String)),
            _ => Err(path.error("a const that is neither an integer nor a string")),
        };
    }
    if let Some(Value::Array(values)) = schema.get("enum") {
        if values.iter().all(|v| v.is_string()) {
            return Ok((json!("string"), Node::String));
        }
        if values.iter().all(|v| v.is_string() || v.is_null()) {
            return Ok(nullable(json!("string"), Node::String));
        }
        return Err(path.error("an enum of values that are not strings"));
    }
    match schema.get("type") {
        Some(Value::String(kind)) => derive_type(kind, schema, path, definitions),
        Some(Value::Array(kinds)) => {
            let kinds: Vec<&str> = kinds.iter().filter_map(Value::as_str).collect();
            match kinds.as_slice() {
                [kind, "null"] | ["null", kind] => {
                    let (avro, node) = derive_type(kind, schema, path, definitions)?;
                    Ok(nullable(avro, node))
                }
                _ => Err(path.error("a type list other than [T, \"null\"]")),
            }
        }
        _ => Err(path.error("no type, const, enum or oneOf")),
    }
}

/// `oneOf [{"type": "null"}, T]` (either order).
fn derive_union(
    options: &[Value],
    path: &Path,
    definitions: &mut Definitions,
) -> Result<(Value, Node), SchemaError> {
    let is_null = |v: &Value| v.get("type").and_then(Value::as_str) == Some("null");
    match options {
        [a, b] if is_null(a) || is_null(b) => {
            let other = if is_null(a) { b } else { a };
            let (avro, node) = derive(other, path, definitions)?;
            Ok(nullable(avro, node))
        }
        _ => Err(path.error("a oneOf other than [null, T]")),
    }
}

/// A JSON Schema `type` keyword's Avro form.
fn derive_type(
    kind: &str,
    schema: &Map<String, Value>,
    path: &Path,
    definitions: &mut Definitions,
) -> Result<(Value, Node), SchemaError> {
    Ok(match kind {
        "string" => (json!("string"), Node::String),
        "integer" => (json!("long"), Node::Long),
        "number" => (json!("double"), Node::Double),
        "boolean" => (json!("boolean"), Node::Boolean),
        "null" => (json!("null"), Node::Null),
        "array" => {
            let items = schema
                .get("items")
                .ok_or_else(|| path.error("an array without items"))?;
            let (avro, node) = derive(items, &path.element("[]"), definitions)?;
            (
                json!({"type": "array", "items": avro}),
                Node::Array(Box::new(node)),
            )
        }
        "object" => return derive_object(schema, path, definitions),
        other => return Err(path.error(format!("type {other}"))),
    })
}

/// An object: a record when it lists properties, else a map of its `additionalProperties`.
fn derive_object(
    schema: &Map<String, Value>,
    path: &Path,
    definitions: &mut Definitions,
) -> Result<(Value, Node), SchemaError> {
    let Some(Value::Object(properties)) = schema.get("properties") else {
        return match schema.get("additionalProperties") {
            Some(values @ Value::Object(_)) => {
                let (avro, node) = derive(values, &path.element("{}"), definitions)?;
                Ok((
                    json!({"type": "map", "values": avro}),
                    Node::Map(Box::new(node)),
                ))
            }
            _ => Err(path.error("an object with neither properties nor additionalProperties")),
        };
    };
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut fields = Vec::with_capacity(properties.len());
    let mut avro_fields = Vec::with_capacity(properties.len());
    for (key, property) in properties {
        let (mut avro, mut node) = derive(property, &path.property(key), definitions)?;
        if !required.contains(&key.as_str()) && !matches!(node, Node::Nullable(_)) {
            (avro, node) = nullable(avro, node);
        }
        let mut field = Map::new();
        field.insert("name".into(), key.as_str().into());
        field.insert("type".into(), avro);
        if matches!(node, Node::Nullable(_)) {
            field.insert("default".into(), Value::Null);
        }
        if let Some(doc) = property.get("description").and_then(Value::as_str) {
            field.insert("doc".into(), doc.into());
        }
        avro_fields.push(Value::Object(field));
        fields.push(Field {
            name: key.clone(),
            node,
        });
    }
    let mut record = Map::new();
    record.insert("type".into(), "record".into());
    record.insert("name".into(), path.name.as_str().into());
    if let Some(doc) = schema.get("description").and_then(Value::as_str) {
        record.insert("doc".into(), doc.into());
    }
    record.insert("fields".into(), Value::Array(avro_fields));
    Ok((Value::Object(record), Node::Record(fields)))
}

/// `["null", T]`: null first, so that a field's default can be null.
fn nullable(avro: Value, node: Node) -> (Value, Node) {
    (json!(["null", avro]), Node::Nullable(Box::new(node)))
}

#[cfg(test)]
mod tests;
