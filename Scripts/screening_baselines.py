#!/usr/bin/env python3
"""Baselines for screen-bench, run on exactly the same names and queries as the Swift screener.

Usage: screening_baselines.py NAMES.jsonl QUERIES.jsonl OUT.jsonl

NAMES: {"e": entity key, "t": person|organization|vessel|aircraft, "n": name, "q": quality}
QUERIES: {"i": id, "q": query text}
OUT: {"i", "rf": {entity: score}, "nk": {entity: score}} with scores in 0..1 (only entities that
came close), followed by one {"timing": {...}} line.

rapidfuzz: token_set_ratio with rapidfuzz's default processor over every list name (brute force).
nomenklatura: logic-v2 on the 20 best entities by rapidfuzz token_set_ratio over ASCII
transliterations (normality.ascii_text), since logic-v2 has no index of its own (yente uses
Elasticsearch for that step). Both are skipped with a note if the package is missing.
"""
import json
import sys
import time


def main() -> None:
    names_path, queries_path, out_path = sys.argv[1:4]
    names = [json.loads(line) for line in open(names_path, encoding="utf-8")]
    queries = [json.loads(line) for line in open(queries_path, encoding="utf-8")]
    timing = {}
    results = {q["i"]: {"i": q["i"], "rf": {}, "nk": {}} for q in queries}

    from rapidfuzz import fuzz, process, utils

    processed = [utils.default_process(n["n"]) for n in names]
    keys = [n["e"] for n in names]
    start = time.perf_counter()
    for q in queries:
        best = {}
        for _, score, idx in process.extract(
            utils.default_process(q["q"]), processed, scorer=fuzz.token_set_ratio, processor=None, limit=200, score_cutoff=50
        ):
            k = keys[idx]
            best[k] = max(best.get(k, 0.0), score / 100.0)
        results[q["i"]]["rf"] = best
    timing["rapidfuzz_seconds"] = time.perf_counter() - start
    timing["rapidfuzz_queries"] = len(queries)

    try:
        from followthemoney import model
        from nomenklatura.matching import LogicV2
        from normality import ascii_text
        import nomenklatura
    except Exception as exc:  # noqa: BLE001 - report and go on with rapidfuzz only
        timing["nomenklatura_error"] = repr(exc)
    else:
        timing["nomenklatura_version"] = getattr(nomenklatura, "__version__", "unknown")
        schema = {"person": "Person", "organization": "Organization"}
        prop = {"primary": "name", "strong": "alias", "weak": "weakAlias", "former": "previousName"}
        entities = {}
        for n in names:
            if n["t"] not in schema:
                continue
            e = entities.get(n["e"])
            if e is None:
                e = model.make_entity(schema[n["t"]])
                e.id = n["e"].replace(":", "-").replace(".", "-")
                entities[n["e"]] = e
            e.add(prop.get(n["q"], "alias"), n["n"])
        ascii_names = [utils.default_process(ascii_text(n["n"]) or "") for n in names]
        config = LogicV2.default_config()
        warm = model.make_entity("Person")
        warm.id = "warm"
        warm.add("name", "John Smith")
        LogicV2.compare(warm, warm, config)  # first call loads its tables
        start = time.perf_counter()
        for q in queries:
            query = model.make_entity("LegalEntity")
            query.id = f"query-{q['i']}"  # logic-v2 caches name analysis by entity id
            query.add("name", q["q"])
            candidates = []
            for _, _, idx in process.extract(
                utils.default_process(ascii_text(q["q"]) or ""), ascii_names, scorer=fuzz.token_set_ratio, processor=None, limit=60, score_cutoff=40
            ):
                k = keys[idx]
                if k in entities and k not in candidates:
                    candidates.append(k)
                if len(candidates) == 20:
                    break
            scores = {}
            for k in candidates:
                scores[k] = float(LogicV2.compare(query, entities[k], config).score)
            results[q["i"]]["nk"] = scores
        timing["nomenklatura_seconds"] = time.perf_counter() - start
        timing["nomenklatura_queries"] = len(queries)

    with open(out_path, "w", encoding="utf-8") as out:
        for q in queries:
            out.write(json.dumps(results[q["i"]]) + "\n")
        out.write(json.dumps({"timing": timing}) + "\n")


if __name__ == "__main__":
    main()
