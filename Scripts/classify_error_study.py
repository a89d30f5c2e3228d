#!/usr/bin/env python3
"""Where the wrong top-1 answers go, by kinds of the tariff's legal logic (docs/benchmarks.md, session 29,
issue #19). Reads a classify-bench dump of the dev splits (each row carries its description):

    classify-bench --salts dev --no-baseline --dump D
    python3 Scripts/classify_error_study.py D [-v]

Per slice (rulings, parcels), of the wrong top-1 answers:
- the level of the miss (same heading, same chapter, another chapter);
- a part filed as the whole article or the reverse: the subheading's own HS 2022 text names "parts" or
  "accessories" for one of truth and answer and not the other;
- a parts line of the wrong host (both are parts lines);
- a wrong material: both texts state a material (the clarification's `material` phrases, read in the
  subheading's and the heading's text) and they differ;
- an "other than" / "excluding" / "except" clause of the answer's subheading or heading whose words
  (at least half, stopwords dropped) are in the description, and the same of the truth, as its base rate;
- another chapter with none of the above (a wrong function);
- the text has a use clause ("for use with", "intended for", "used in", ...).
The categories overlap and are read from the short HS 2022 texts with regular expressions: counts to rank
levers by, not exact figures. With -v, examples of each.
"""
import collections, csv, json, os, re, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
NOM = {r["hscode"]: r["description"] for r in csv.DictReader(open(os.path.join(ROOT, "Data/hs/hs2022_nomenclature.csv")))}
STOP = set("a an and or of the for with in on by to its their such other than excluding not whether n e c nec heading headings "
           "no subheading kind used articles article goods products thereof similar".split())
MATERIALS = [("cotton", ["of cotton"]), ("wool", ["of wool", "fine animal hair"]), ("synthetic fibres", ["synthetic fibres"]),
             ("artificial fibres", ["artificial fibres"]), ("silk", ["of silk"]), ("leather", ["of leather", "composition leather"]),
             ("plastics", ["of plastics", "plastics"]), ("rubber", ["of rubber", "vulcanised rubber"]), ("wood", ["of wood"]),
             ("paper", ["of paper", "paperboard"]), ("glass", ["of glass"]), ("iron or steel", ["of iron or steel", "of iron", "of steel"]),
             ("aluminium", ["of aluminium", "aluminium;"]), ("copper", ["of copper", "copper;"]), ("precious metal", ["of precious metal"]),
             ("base metal", ["of base metal"]), ("ceramic", ["ceramic", "porcelain"])]
EXCLUSION = re.compile(r"(?:other than|excluding|except|not including)\s+([^;)]+)", re.I)
USE = re.compile(r"\b(for use (with|in|on)|intended (for|to)|used (in|for|with|on)|designed (for|to)|suitable for|of a kind used|for the)\b", re.I)


def words(text):
    return {w for w in re.findall(r"[a-z]+", text.lower()) if w not in STOP and len(w) > 2}


def is_parts(code):
    return bool(re.search(r"\bparts?\b|\baccessories\b", NOM.get(code, "").lower()))


def material(code):
    text = (NOM.get(code, "") + " ; " + NOM.get(code[:4], "")).lower()
    return next((m for m, phrases in MATERIALS if any(p in text for p in phrases)), None)


def exclusion_met(code, description):
    met = words(description)
    for m in EXCLUSION.finditer(NOM.get(code, "") + " ; " + NOM.get(code[:4], "")):
        excluded = words(m.group(1))
        if excluded and len(excluded & met) * 2 >= len(excluded):
            return m.group(1).strip()
    return None


def main():
    rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    verbose = "-v" in sys.argv
    for slice_ in ("rulings", "parcels"):
        rs = [r for r in rows if r["slice"] == slice_]
        wrong = [r for r in rs if r["top"] and r["top"] != r["truth"]]
        right = [r for r in rs if r["top"] == r["truth"]]
        counts, examples = collections.Counter(), collections.defaultdict(list)
        for r in wrong:
            t, p, d = r["truth"], r["top"], r["description"]
            level = "same heading" if t[:4] == p[:4] else "same chapter" if t[:2] == p[:2] else "another chapter"
            found = []
            if is_parts(t) and not is_parts(p):
                found.append("a part answered as a whole article")
            elif is_parts(p) and not is_parts(t):
                found.append("a whole article answered as a part")
            elif is_parts(p) and is_parts(t) and t[:4] != p[:4]:
                found.append("a part of another host (both parts lines, other headings)")
            mt, mp = material(t), material(p)
            if mt and mp and mt != mp:
                found.append("a wrong material (both stated)")
            if exclusion_met(p, d):
                found.append("the answer's own exclusion met by the text")
            if exclusion_met(t, d):
                found.append("(base rate) the truth's own exclusion met by the text")
            if level == "another chapter" and not any(f.startswith("a ") for f in found):
                found.append("another chapter, none of the above (function)")
            if USE.search(d):
                found.append("text has a use clause")
            counts["level: " + level] += 1
            counts["right code in the top 5"] += t in r["top5"]
            for f in found:
                counts[f] += 1
                examples[f].append(r)
        print(f"== {slice_}: {len(rs)} rows, {len(wrong)} wrong top-1")
        for key, n in sorted(counts.items(), key=lambda kv: -kv[1]):
            print(f"  {key:62s} {n:5d}  {n / max(1, len(wrong)):6.1%}")
        print(f"  (right answers: {len(right)}; with a use clause {sum(bool(USE.search(r['description'])) for r in right)}, "
              f"whose own exclusion the text meets {sum(bool(exclusion_met(r['top'], r['description'])) for r in right)})")
        if verbose:
            for key, rs_ in examples.items():
                print("  --", key)
                for r in rs_[:6]:
                    print(f"     {r['truth']} -> {r['top']} | {r['description'][:150]!r}")


if __name__ == "__main__":
    main()
