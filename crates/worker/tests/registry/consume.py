"""Reads records the worker wrote in the Schema Registry wire format, as a Confluent consumer does.

confluent-kafka's consumer reads the topic from the beginning (read_committed); its
AvroDeserializer or JSONDeserializer, given only the registry client, takes each record's schema
id from its header, fetches the writer's schema from the registry, decodes the payload and (JSON
Schema) validates it. One JSON line per record on stdout: {"key", "schema_id", "record"}, or
{"key", "error"} for a record that did not decode. Stops after --expected records or when the
topic has been quiet for a few seconds past the deadline.

    consume.py --bootstrap HOST:PORT --topic T --registry URL --format avro|json_schema --expected N
"""

import argparse
import json
import struct
import sys
import time

from confluent_kafka import Consumer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.schema_registry.json_schema import JSONDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext


def deserializer(kind, registry):
    if kind == "avro":
        return AvroDeserializer(registry)
    # No reader schema: the writer's, fetched by id, decodes and validates each record.
    return JSONDeserializer(None, schema_registry_client=registry)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--format", choices=["avro", "json_schema"], required=True)
    parser.add_argument("--expected", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()

    registry = SchemaRegistryClient({"url": args.registry})
    decode = deserializer(args.format, registry)
    consumer = Consumer(
        {
            "bootstrap.servers": args.bootstrap,
            "group.id": f"registry-reader-{time.time_ns()}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            "isolation.level": "read_committed",
        }
    )
    consumer.subscribe([args.topic])
    seen = 0
    deadline = time.monotonic() + args.timeout
    while seen < args.expected and time.monotonic() < deadline:
        message = consumer.poll(0.5)
        if message is None:
            continue
        if message.error():
            print(f"consumer error: {message.error()}", file=sys.stderr)
            continue
        seen += 1
        key = message.key().decode("utf-8") if message.key() else None
        value = message.value()
        context = SerializationContext(args.topic, MessageField.VALUE)
        try:
            record = decode(value, context)
            schema_id = struct.unpack(">bI", value[:5])[1]
            print(json.dumps({"key": key, "schema_id": schema_id, "record": record}))
        except Exception as error:  # every failure is reported, none ends the run
            print(json.dumps({"key": key, "error": f"{type(error).__name__}: {error}"}))
    consumer.close()


if __name__ == "__main__":
    main()
