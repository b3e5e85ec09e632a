"""Schemathesis hooks for `newsworker serve` (crates/worker/tests/serve.rs loads them).

A batch body is JSON Lines, which schemathesis has no serializer for: on the wire it is text,
so generated strings are sent the way text/plain bodies are.
"""

import schemathesis

schemathesis.serializer.alias("application/x-ndjson", "text/plain")
