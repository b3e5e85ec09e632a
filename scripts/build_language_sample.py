#!/usr/bin/env python3
"""Builds the labelled multilingual sample of the language stage's tests,
crates/extract/tests/fixtures/languages.tsv, byte for byte.

The sentences come from the test data that the lingua language models ship as Rust crates
(`lingua-<language>-language-model` 1.3.0, Apache-2.0, Peter M. Stahl; the sentences were drawn
by lingua's author from the Leipzig Corpora Collection's web corpora). This script fetches the
pinned crates into Cargo's registry through a scratch project (`cargo fetch`, default registry),
takes the first 15 sentences of each language's `testdata/sentences.txt`, and writes five
documents of three sentences per language: `code<TAB>text`, one document per line, where code
is the ISO 639-1 code the record uses.

Usage: python3 scripts/build_language_sample.py [--out PATH]
"""

import argparse
import os
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSION = "1.3.0"
DOCUMENTS, SENTENCES = 5, 3

# lingua's crate name → the ISO 639-1 code newsworker writes (whatlang's languages only).
LANGUAGES = {
    "afrikaans": "af", "arabic": "ar", "bengali": "bn", "bokmal": "nb", "bulgarian": "bg",
    "catalan": "ca", "chinese": "zh", "croatian": "hr", "czech": "cs", "danish": "da",
    "dutch": "nl", "english": "en", "estonian": "et", "finnish": "fi", "french": "fr",
    "german": "de", "greek": "el", "hebrew": "he", "hindi": "hi", "hungarian": "hu",
    "indonesian": "id", "italian": "it", "japanese": "ja", "korean": "ko", "latvian": "lv",
    "lithuanian": "lt", "persian": "fa", "polish": "pl", "portuguese": "pt", "romanian": "ro",
    "russian": "ru", "serbian": "sr", "slovak": "sk", "slovene": "sl", "spanish": "es",
    "swedish": "sv", "tagalog": "tl", "thai": "th", "turkish": "tr", "ukrainian": "uk",
    "urdu": "ur", "vietnamese": "vi",
}


def fetch(scratch):
    """Fetches the pinned crates; returns the registry source folder holding them."""
    deps = "".join(f'lingua-{name}-language-model = "={VERSION}"\n' for name in sorted(LANGUAGES))
    (scratch / "src").mkdir()
    (scratch / "src" / "lib.rs").write_text("")
    (scratch / "Cargo.toml").write_text(
        '[package]\nname = "sample"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\n' + deps
    )
    subprocess.run(["cargo", "fetch", "--quiet"], cwd=scratch, check=True)
    cargo_home = Path(os.environ.get("CARGO_HOME") or Path.home() / ".cargo")
    for index in sorted((cargo_home / "registry" / "src").iterdir()):
        if (index / f"lingua-english-language-model-{VERSION}").is_dir():
            return index
    raise SystemExit("cargo fetch ran, but the lingua crates are not in the registry")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path,
                        default=ROOT / "crates/extract/tests/fixtures/languages.tsv")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        registry = fetch(Path(scratch))
    lines = []
    for name, code in sorted(LANGUAGES.items(), key=lambda item: item[1]):
        path = registry / f"lingua-{name}-language-model-{VERSION}" / "testdata" / "sentences.txt"
        sentences = [s.strip() for s in path.read_text(encoding="utf-8").splitlines() if s.strip()]
        for d in range(DOCUMENTS):
            chunk = sentences[d * SENTENCES:(d + 1) * SENTENCES]
            lines.append(code + "\t" + " ".join(" ".join(s.split()) for s in chunk))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(lines)} documents in {len(LANGUAGES)} languages")


if __name__ == "__main__":
    main()
