//! The API's OpenAPI 3.1 document, served at `/openapi.json` and kept in the repository as
//! `schema/openapi.json`.
//!
//! The paths, parameters and error shapes are written by hand in `openapi.base.json`; the
//! `Record` schema is not: it is the record contract, `schema/record.schema.json`, moved into
//! `components` (its `definitions` become components of their own and the references follow
//! them). So the API cannot describe a record other than the one the worker publishes, and
//! schemathesis, which tests the server against this document, tests the record contract too.

use serde_json::{Map, Value};

use newsworker_extract::contract::record::JSON_SCHEMA;

/// The hand-written part: everything but the record.
const BASE: &str = include_str!("openapi.base.json");

/// The document, as served.
pub fn document() -> Value {
    let mut document: Value = serde_json::from_str(BASE).expect("openapi.base.json is JSON");
    let mut record: Value = serde_json::from_str(JSON_SCHEMA).expect("the record schema is JSON");
    let record_object = record
        .as_object_mut()
        .expect("the record schema is an object");
    // `$schema` names draft-07; OpenAPI 3.1 documents use their own dialect, which reads every
    // keyword the record schema uses the same way. `$id` would re-base the references below.
    record_object.remove("$schema");
    record_object.remove("$id");
    let definitions = match record_object.remove("definitions") {
        Some(Value::Object(definitions)) => definitions,
        _ => Map::new(),
    };
    let schemas = document["components"]["schemas"]
        .as_object_mut()
        .expect("openapi.base.json has components.schemas");
    for (name, mut schema) in definitions {
        rebase_references(&mut schema);
        schemas.insert(component_name(&name), schema);
    }
    rebase_references(&mut record);
    schemas.insert("Record".into(), record);
    document
}

/// The document as `schema/openapi.json` holds it: pretty-printed, with a final newline.
pub fn text() -> String {
    let mut text =
        serde_json::to_string_pretty(&document()).expect("a JSON value always serialises");
    text.push('\n');
    text
}

/// `geo` → `Geo`: components are named like the hand-written ones.
fn component_name(definition: &str) -> String {
    let mut chars = definition.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Points every `#/definitions/X` reference at `#/components/schemas/X`.
fn rebase_references(schema: &mut Value) {
    match schema {
        Value::Object(object) => {
            for (key, value) in object.iter_mut() {
                match value {
                    Value::String(target) if key == "$ref" => {
                        if let Some(name) = target.strip_prefix("#/definitions/") {
                            *target = format!("#/components/schemas/{}", component_name(name));
                        }
                    }
                    _ => rebase_references(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rebase_references),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_document_is_the_served_one() {
        let committed = include_str!("../../../../schema/openapi.json");
        assert!(
            committed == text(),
            "schema/openapi.json is stale: run `newsworker schema --format openapi > schema/openapi.json`"
        );
    }

    #[test]
    fn every_reference_resolves_inside_the_document() {
        let document = document();
        let mut references = Vec::new();
        collect_references(&document, &mut references);
        assert!(references.iter().any(|r| r == "#/components/schemas/Geo"));
        for reference in references {
            let pointer = reference.strip_prefix('#').expect("a local reference");
            assert!(document.pointer(pointer).is_some(), "{reference} resolves");
        }
    }

    fn collect_references(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(object) => {
                for (key, value) in object {
                    match value {
                        Value::String(target) if key == "$ref" => out.push(target.clone()),
                        _ => collect_references(value, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| collect_references(v, out)),
            _ => {}
        }
    }
}
