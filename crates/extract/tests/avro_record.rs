//! The Avro schema matches the record: every record of the demo's samples, the reference
//! article, an HTML page and a story with a dateline encodes under the schema derived from `schema/record.schema.json`
//! and decodes back to the record's JSON, field for field (a field serde leaves out of the
//! JSON is null in Avro; stage timings differ between two runs and are not compared).

use newsworker_extract::contract::avro::AvroSchema;
use newsworker_extract::contract::record::{PayloadFormat, RecordEncoding};
use newsworker_extract::{ExtractConfig, Extractor, Outcome};
use serde_json::Value;

/// Whether `avro` (decoded) says what `json` says.
fn same(avro: &Value, json: &Value, path: &str) -> Result<(), String> {
    match (avro, json) {
        _ if path.ends_with(".elapsed_us") => Ok(()),
        (Value::Object(a), Value::Object(j)) => {
            for (key, value) in a {
                let at = format!("{path}.{key}");
                match j.get(key) {
                    Some(expected) => same(value, expected, &at)?,
                    None if value.is_null() => {}
                    None => return Err(format!("{at}: {value} in Avro, absent in JSON")),
                }
            }
            match j.keys().find(|k| !a.contains_key(*k)) {
                Some(missing) => Err(format!("{path}.{missing}: absent in Avro")),
                None => Ok(()),
            }
        }
        (Value::Array(a), Value::Array(j)) if a.len() == j.len() => a
            .iter()
            .zip(j)
            .enumerate()
            .try_for_each(|(i, (a, j))| same(a, j, &format!("{path}[{i}]"))),
        (Value::Number(a), Value::Number(j)) if a.is_f64() || j.is_f64() => {
            let (a, j) = (a.as_f64().unwrap(), j.as_f64().unwrap());
            // f32 fields are widened to double in Avro; JSON prints the f32's shortest form.
            if (a - j).abs() <= 1e-6 * j.abs().max(1.0) {
                Ok(())
            } else {
                Err(format!("{path}: {a} in Avro, {j} in JSON"))
            }
        }
        (a, j) if a == j => Ok(()),
        (a, j) => Err(format!("{path}: {a} in Avro, {j} in JSON")),
    }
}

#[test]
fn every_record_decodes_from_avro_to_its_json() {
    let json = Extractor::new(&ExtractConfig::default()).expect("extractor");
    let avro = Extractor::new(&ExtractConfig::default())
        .expect("extractor")
        .with_encoding(RecordEncoding {
            format: PayloadFormat::Avro,
            prefix: vec![0, 0, 0, 0, 7],
        });
    let samples = include_str!("../../../samples/articles.jsonl");
    let reference =
        std::fs::read(newsworker_testkit::shared_root().join("corpus/nato-explainer.json"))
            .expect("the reference article");
    let page = br#"{"id": "p1", "html": "<html><head><title>A page</title></head><body><article><h1>A page</h1><p>Officials in Paris said on Monday that the plan, costing $3 million, would start in May.</p></article></body></html>"}"#;
    let dateline = br#"{"id": "d1", "text": "LONDON (Reuters) - Shares in Barclays rose on Tuesday after the bank said profits in Kent and Glasgow had doubled."}"#;
    let inputs: Vec<&[u8]> = samples
        .lines()
        .map(str::as_bytes)
        .chain([reference.as_slice(), page.as_slice(), dateline.as_slice()])
        .collect();
    let mut compared = 0;
    for input in inputs {
        let (Outcome::Record(j), Outcome::Record(a)) = (
            json.extract(None, input, None),
            avro.extract(None, input, None),
        ) else {
            continue;
        };
        assert_eq!(&a.bytes[..5], [0, 0, 0, 0, 7], "the prefix comes first");
        let decoded = AvroSchema::record().decode(&a.bytes[5..]).expect("decodes");
        let expected: Value = serde_json::from_slice(&j.bytes).unwrap();
        if let Err(difference) = same(&decoded, &expected, "$") {
            panic!("record {}: {difference}", j.id);
        }
        compared += 1;
    }
    assert!(compared >= 8, "only {compared} records compared");
}
