#!/usr/bin/env python3
"""Builds the seed corpus fuzz/corpus/entity_decode/ from the reference data.

Inputs (traces/reference/): every hex, canonical_hex and invalid_hex of the entity vectors, and
every message unit of the recorded traces (sliced from each direction's byte stream). Each seed
file is named by the SHA-256 of its content, so re-running the script is idempotent and never
duplicates a seed. Usage: fuzz/tools/make_entity_corpus.py [--check]
  --check: exit 1 if a seed is missing from the committed corpus (nothing is written).
"""
import hashlib
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "traces" / "reference"
CORPUS = ROOT / "fuzz" / "corpus" / "entity_decode"


def vector_seeds():
    for name in ("entity-vectors.jsonl", "entity-vectors-noncanonical.jsonl"):
        for line in (REFERENCE / name).read_text().splitlines():
            if not line.strip():
                continue
            vector = json.loads(line)
            for key in ("hex", "canonical_hex", "invalid_hex"):
                if key in vector:
                    yield bytes.fromhex(vector[key])


def trace_seeds():
    for path in sorted(REFERENCE.glob("*.vptrace.jsonl")):
        streams = {}
        units = []
        for line in path.read_text().splitlines():
            record = json.loads(line)
            if record.get("k") == "raw":
                streams.setdefault(record["from"], []).append(bytes.fromhex(record["hex"]))
            elif record.get("k") == "unit" and record.get("what") == "message":
                units.append(record)
        joined = {side: b"".join(chunks) for side, chunks in streams.items()}
        for unit in units:
            yield joined[unit["from"]][unit["offset"]:unit["offset"] + unit["len"]]


def main():
    check_only = "--check" in sys.argv[1:]
    seeds = {}
    for seed in list(vector_seeds()) + list(trace_seeds()):
        seeds[hashlib.sha256(seed).hexdigest()] = seed
    missing = [digest for digest in seeds if not (CORPUS / digest).exists()]
    if check_only:
        for digest in missing:
            print("missing seed", digest)
        return 1 if missing else 0
    CORPUS.mkdir(parents=True, exist_ok=True)
    for digest in missing:
        (CORPUS / digest).write_bytes(seeds[digest])
    print(f"{len(seeds)} seeds, {len(missing)} written to {CORPUS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
