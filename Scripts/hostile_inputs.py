#!/usr/bin/env python3
"""Writes the large hostile inputs of issue #21 (the {gen:NAME} cases of Fixtures/hostile/cases.tsv)
into the folder given as the only argument. Deterministic: the same bytes on every run."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def write(folder, name, data):
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def edifact(segments, syntax="UNOC:3"):
    return "UNB+%s+A+B+260101:1200+1'UNH+1+CUSDEC:D:96B:UN'BGM+929+X+9'%sUNT+%d+1'UNZ+1+1'" % (
        syntax, "".join(segments), len(segments) + 3)


def main(folder):
    os.makedirs(folder, exist_ok=True)
    # Finding 2: a 120,000-word name (115 s, 4.9 GB before) and a 10,000-character one (over 2 min).
    write(folder, "screen-120k-words.jsonl", '{"id":"w","name":"%s"}\n' % " ".join("Maduro" for _ in range(120_000)))
    write(folder, "screen-10k-chars.jsonl", '{"id":"c","name":"%s"}\n' % ("Nicolas Maduro " * 667)[:10_000])
    # Finding 4: CONTRL --validate over 200k segments (25 s, 553 MB), validate over 1M FTX (2.96 GB),
    # and many tiny messages (parse needed 85x the input).
    write(folder, "edifact-200k-segments.edi", edifact(["FTX+AAA+++N%d'" % i for i in range(200_000)]))
    write(folder, "edifact-1m-ftx.edi", edifact(["FTX+AAA+++N'"] * 1_000_000))
    small = "".join("UNH+%d+CUSDEC:D:96B:UN'BGM+929+X+9'UNT+3+%d'" % (i, i) for i in range(50_000))
    write(folder, "edifact-50k-small-messages.edi", "UNB+UNOC:3+A+B+260101:1200+1'" + small + "UNZ+50000+1'")
    # Finding 5: XML namespace declarations and attributes on one element, and siblings.
    write(folder, "xml-400k-namespaces.xml", "<r" + "".join(' xmlns:p%d="urn:%d"' % (i, i) for i in range(400_000)) + "/>")
    write(folder, "xml-200k-attributes.xml", "<r" + "".join(' a%d="v"' % i for i in range(200_000)) + "/>")
    write(folder, "xml-2m-siblings.xml", "<r>" + "<b/>" * 2_000_000 + "</r>")
    # Finding 7: mapping tables of 40k keys (4.2 s before) and 500k keys (never finished).
    for name, n in (("mapping-table-40k.yaml", 40_000), ("mapping-table-500k.yaml", 500_000)):
        rows = "".join("    K%d: V%d\n" % (k, k) for k in range(n))
        write(folder, name, "mapping: hostile-table\ndirection: outbound\ncanonical: order\nformat: json\n"
              "rules:\n  - {to: /c, from: currency, table: big}\ntables:\n  big:\n" + rows)
    # Finding 9: 20,000 interchanges in one file.
    with open(os.path.join(ROOT, "Fixtures/edifact/synthetic/contrl_rejected.edi")) as f:
        one = f.read()
    write(folder, "cusdec-20k-interchanges.edi", "".join(one.replace("GW0000079", "GW%07d" % i) for i in range(20_000)))


if __name__ == "__main__":
    main(sys.argv[1])
