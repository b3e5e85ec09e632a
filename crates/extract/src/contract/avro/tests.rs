use serde::Serialize;
use serde_json::json;

use super::encode::write_long;
use super::*;

fn schema(json_schema: Value) -> AvroSchema {
    AvroSchema::from_json_schema(&json_schema, "Thing").expect("an Avro form")
}

#[test]
fn longs_are_zig_zag_varints() {
    // The specification's own examples, and the ends of the range.
    for (value, bytes) in [
        (0i64, vec![0x00]),
        (-1, vec![0x01]),
        (1, vec![0x02]),
        (-2, vec![0x03]),
        (2, vec![0x04]),
        (-64, vec![0x7f]),
        (64, vec![0x80, 0x01]),
    ] {
        let mut out = Vec::new();
        write_long(&mut out, value);
        assert_eq!(out, bytes, "{value}");
    }
    let long = schema(json!({"type": "integer"}));
    for value in [i64::MIN, -1_000_000_007, 0, 300, i64::MAX] {
        let mut out = Vec::new();
        long.encode(&value, &mut out).unwrap();
        assert_eq!(long.decode(&out).unwrap(), json!(value));
    }
}

#[test]
fn objects_become_records_with_nullable_optional_fields() {
    let s = schema(json!({
        "type": "object",
        "required": ["id", "tags"],
        "properties": {
            "id": {"type": "string", "description": "The id."},
            "tags": {"type": "array", "items": {"enum": ["a", "b"]}},
            "score": {"type": ["number", "null"]},
            "where_at": {"oneOf": [{"type": "null"}, {"type": "object", "required": ["lat"],
                "properties": {"lat": {"type": "number"}}}]},
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}}
        }
    }));
    let avro: Value = serde_json::from_str(s.text()).unwrap();
    assert_eq!(
        avro,
        json!({
            "type": "record", "name": "Thing", "fields": [
                {"name": "id", "type": "string", "doc": "The id."},
                {"name": "tags", "type": {"type": "array", "items": "string"}},
                {"name": "score", "type": ["null", "double"], "default": null},
                {"name": "where_at", "type": ["null", {"type": "record", "name": "WhereAt",
                    "fields": [{"name": "lat", "type": "double"}]}], "default": null},
                {"name": "counts", "type": ["null", {"type": "map", "values": "long"}],
                    "default": null}
            ],
            "namespace": "newsworker"
        })
    );
}

#[test]
fn a_struct_encodes_and_decodes_in_the_schema_order() {
    #[derive(Serialize)]
    struct Where {
        lat: f32,
    }
    #[derive(Serialize)]
    struct Thing<'a> {
        id: &'a str,
        tags: Vec<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        score: Option<f64>,
        where_at: Option<Where>,
        counts: std::collections::BTreeMap<&'a str, u32>,
    }
    let s = schema(json!({
        "type": "object",
        "required": ["id", "tags", "counts"],
        "properties": {
            "id": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "score": {"type": ["number", "null"]},
            "where_at": {"type": ["object", "null"], "required": ["lat"],
                "properties": {"lat": {"type": "number"}}},
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}}
        }
    }));
    let thing = Thing {
        id: "a1",
        tags: vec!["x", "yz"],
        score: None,
        where_at: Some(Where { lat: 0.5 }),
        counts: [("k", 3)].into_iter().collect(),
    };
    let mut out = Vec::new();
    s.encode(&thing, &mut out).unwrap();
    #[rustfmt::skip]
    let expected = [
        4, b'a', b'1',                 // id
        4, 2, b'x', 4, b'y', b'z', 0,  // tags: one block of 2, then the end
        0,                             // score: null (skipped by serde)
        2, 0, 0, 0, 0, 0, 0, 0xe0, 0x3f, // where_at: branch 1, 0.5
        2, 2, b'k', 6, 0,              // counts: one entry
    ];
    assert_eq!(out, expected);
    assert_eq!(
        s.decode(&out).unwrap(),
        json!({"id": "a1", "tags": ["x", "yz"], "score": null, "where_at": {"lat": 0.5},
            "counts": {"k": 3}})
    );
}

#[test]
fn a_value_that_does_not_fit_is_an_error_naming_its_field() {
    #[derive(Serialize)]
    struct Swapped {
        b: u8,
        a: u8,
    }
    #[derive(Serialize)]
    struct Wrong {
        a: &'static str,
        b: u8,
    }
    let s = schema(json!({"type": "object", "required": ["a", "b"],
        "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}}));
    let error = s
        .encode(&Swapped { b: 1, a: 2 }, &mut Vec::new())
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("field b comes where the schema has a"),
        "{error}"
    );
    let error = s
        .encode(&Wrong { a: "x", b: 1 }, &mut Vec::new())
        .unwrap_err();
    assert!(error.to_string().starts_with("a: a string"), "{error}");
    assert!(s.encode(&json!(null), &mut Vec::new()).is_err());
}

#[test]
fn schemas_beyond_the_mapping_are_refused_with_their_path() {
    let error = AvroSchema::from_json_schema(
        &json!({"type": "object", "properties": {"x": {"type": ["string", "integer"]}}}),
        "Thing",
    )
    .unwrap_err();
    assert!(error.to_string().contains("$.x"), "{error}");
}

#[test]
fn truncated_or_padded_datums_are_refused() {
    let s = schema(json!({"type": "string"}));
    let mut out = Vec::new();
    s.encode("hello", &mut out).unwrap();
    assert!(matches!(s.decode(&out[..3]), Err(DecodeError::Truncated)));
    out.push(0);
    assert!(matches!(s.decode(&out), Err(DecodeError::Trailing(1))));
}

#[test]
fn the_record_schema_derives_and_matches_the_committed_avsc() {
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../schema/record.avsc"
    ))
    .expect("schema/record.avsc");
    assert_eq!(
        committed.trim_end(),
        AvroSchema::record().text(),
        "schema/record.avsc is not what schema/record.schema.json derives: run \
         `cargo run -- schema --format avro > schema/record.avsc`"
    );
}

#[test]
fn a_container_file_has_the_header_and_one_block() {
    let s = schema(json!({"type": "string"}));
    let mut writer = ContainerWriter::new(Vec::new(), &s).unwrap();
    for word in ["one", "two"] {
        let mut datum = Vec::new();
        s.encode(word, &mut datum).unwrap();
        writer.append(&datum).unwrap();
    }
    let file = writer.finish().unwrap();
    assert!(file.starts_with(b"Obj\x01"));
    let sync = &file[file.len() - 16..];
    let tail = [
        &[4u8, 16][..],
        &[6, b'o', b'n', b'e', 6, b't', b'w', b'o'],
        sync,
    ]
    .concat();
    assert!(file.ends_with(&tail));
    // The header ends with the same marker.
    assert_eq!(
        &file[file.len() - tail.len() - 16..file.len() - tail.len()],
        sync
    );
}

#[test]
fn a_definition_is_written_once_and_named_where_it_is_used_again() {
    let s = schema(json!({
        "type": "object",
        "required": ["a", "b"],
        "properties": {
            "a": {"$ref": "#/definitions/point"},
            "b": {"type": "array", "items": {"$ref": "#/definitions/point"}}
        },
        "definitions": {
            "point": {"type": "object", "required": ["x"], "properties": {"x": {"type": "integer"}}}
        }
    }));
    let avro: Value = serde_json::from_str(s.text()).unwrap();
    assert_eq!(avro["fields"][0]["type"]["name"], "Point");
    assert_eq!(avro["fields"][1]["type"]["items"], "newsworker.Point");
    assert!(AvroSchema::from_json_schema(
        &json!({"type": "object", "properties": {"a": {"$ref": "#/definitions/none"}}}),
        "Thing"
    )
    .is_err());
}
