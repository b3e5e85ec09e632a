"""Schema evolution of the record against a Schema Registry, with Confluent's registry client.

Registers the record's schema (schema/record.avsc or schema/record.schema.json) under --subject,
then asks the registry about two changes of it, under a compatibility level each:
- an additive change, the kind a future schema_version 3 would make: a new nullable field
  (`summary`, default null in Avro; an optional property in JSON Schema);
- a removal: the `keywords` field (required, no default) gone.
Prints one JSON object: {"registered_id", "levels": {LEVEL: {"additive": bool, "removal": bool,
"additive_registered_id": id|null, "removal_refused": message|null}}}. Each level is tried on a
subject of its own (SUBJECT-LEVEL), so one level's registrations do not bear on another's.
"""

import argparse
import copy
import json
import sys

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError


def changes(kind, text):
    schema = json.loads(text)
    additive, removal = copy.deepcopy(schema), copy.deepcopy(schema)
    if kind == "AVRO":
        additive["fields"].append({"name": "summary", "type": ["null", "string"], "default": None})
        removal["fields"] = [f for f in removal["fields"] if f["name"] != "keywords"]
    else:
        additive["properties"]["summary"] = {"type": ["string", "null"]}
        del removal["properties"]["keywords"]
        removal["required"] = [r for r in removal["required"] if r != "keywords"]
    return json.dumps(additive), json.dumps(removal)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--registry", required=True)
    parser.add_argument("--format", choices=["avro", "json_schema"], required=True)
    parser.add_argument("--subject", required=True)
    parser.add_argument("--schema-dir", required=True)
    args = parser.parse_args()

    kind, name = ("AVRO", "record.avsc") if args.format == "avro" else ("JSON", "record.schema.json")
    text = open(f"{args.schema_dir}/{name}", encoding="utf-8").read()
    additive, removal = changes(kind, text)
    client = SchemaRegistryClient({"url": args.registry})
    report = {"levels": {}}
    for level in ["BACKWARD", "FORWARD", "FULL"]:
        subject = f"{args.subject}-{level}"
        report["registered_id"] = client.register_schema(subject, Schema(text, kind))
        client.set_compatibility(subject, level)
        outcome = {
            "additive": client.test_compatibility(subject, Schema(additive, kind)),
            "removal": client.test_compatibility(subject, Schema(removal, kind)),
            "additive_registered_id": None,
            "removal_refused": None,
        }
        if outcome["additive"]:
            outcome["additive_registered_id"] = client.register_schema(subject, Schema(additive, kind))
        try:
            client.register_schema(subject, Schema(removal, kind))
        except SchemaRegistryError as refused:
            outcome["removal_refused"] = f"{refused.http_status_code}: {refused.error_message}"
        report["levels"][level] = outcome
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
