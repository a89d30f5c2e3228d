#!/usr/bin/env python3
"""Writes a seeded corpus of `customs-hub quote` request lines for byte-identity checks.

Usage: Scripts/quote-corpus.py [COUNT] [SEED] [PACKS] > corpus.jsonl

Two builds compared on the same corpus (`tariff-bench --corpus corpus.jsonl`) must print the same
bytes. The requests mix 13 destinations, dates 2019-2026, codes of every length (national lines,
6- and 4-digit codes, unknown codes, Japanese 9-digit ones), `duty_rate` lines, preference claims
by symbol, name, alias and free text (some naming nothing), supplied FX, registrations, channels,
consignment types, regions and broken fields, so most branches of the engine and its refusals
print something. Codes and claims are read from the packs, so the corpus follows the data.
"""
import json
import os
import random
import sys

count = int(sys.argv[1]) if len(sys.argv) > 1 else 12000
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 18
packs = sys.argv[3] if len(sys.argv) > 3 else "Data/packs"
rnd = random.Random(seed)

codes = {}  # jurisdiction -> measure codes
claims = {}  # jurisdiction -> claim texts
for root, _, files in os.walk(packs):
    for f in sorted(files):
        if not f.endswith(".jsonl"):
            continue
        with open(os.path.join(root, f), encoding="utf-8") as fh:
            header = None
            for line in fh:
                o = json.loads(line)
                if header is None:
                    header = o
                    continue
                jur = header.get("jurisdiction", "")
                if o.get("type") == "measure":
                    for c in [o.get("code")] + o.get("codes", []):
                        if c:
                            codes.setdefault(jur, []).append(c)
                elif o.get("type") == "program":
                    claims.setdefault(jur, []).extend([o["symbol"], o["name"]] + o.get("claims", []))
for v in codes.values():
    v.sort()
for v in claims.values():
    v.sort()

destinations = {"US": "US", "DE": "EU", "FR": "EU", "RO": "EU", "IT": "EU", "NL": "EU", "GB": "GB",
                "AU": "AU", "CA": "CA", "CH": "CH", "JP": "JP", "NO": "NO", "PR": "US"}
currencies = ["USD", "EUR", "GBP", "AUD", "CAD", "CHF", "JPY", "NOK", "CNY", "SEK", "PLN", "RON", "HKD"]
origins = ["CN", "US", "GB", "DE", "VN", "MX", "CA", "JP", "NZ", "SG", "IN", "TR", "CH", "NO", "KR", "HK", "BD"]
channels = ["courier", "postal", "air_cargo", "air_formal", "ocean_formal"]


def day():
    y = rnd.choice([2019, 2021, 2023, 2025, 2025, 2025, 2026, 2026, 2026, 2026, 2026])
    return f"{y}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"


def amount(lo=1, hi=3000):
    v = rnd.uniform(lo, hi)
    return rnd.choice([f"{v:.2f}", f"{v:.0f}", f"{v:.3f}", round(v, 2), int(v)])


def code(jur):
    pool = codes.get(jur) or codes.get("EU")
    c = rnd.choice(pool)
    k = rnd.random()
    if k < 0.55:
        return c
    if k < 0.7:
        return c[:6]
    if k < 0.78:
        return c[:4]
    if k < 0.84:
        return c[:4] + "." + c[4:6] + ("." + c[6:] if len(c) > 6 else "")
    if k < 0.9:
        return c[:8] + "99" if len(c) >= 8 else c + "9999"
    if k < 0.94:
        return "6109.10-010"
    if k < 0.97:
        return rnd.choice(["99999999", "12", "abc", "61091"])
    return c + "00" if len(c) == 8 else c


def line(jur):
    l = {}
    if rnd.random() < 0.12:
        l["duty_rate"] = rnd.choice(["0.05", "12%", "3.5 %", 0.08, "0"])
        if rnd.random() < 0.5:
            l["hs_code"] = code(jur)
    else:
        l["hs_code"] = code(jur)
    l["quantity"] = rnd.choice([1, 1, 2, 3, 10, "2.5"]) if rnd.random() > 0.01 else rnd.choice([0, -1])
    l["value"] = amount(0, 1500)
    if rnd.random() < 0.3:
        l["net_weight_kg"] = amount(0.1, 40)
    if rnd.random() < 0.1:
        l["litres"] = amount(0.2, 20)
    if rnd.random() < 0.15:
        l["origin"] = rnd.choice(origins)
    if rnd.random() < 0.2:
        l["description"] = rnd.choice(["T-shirt, cotton", "Trainers", "Handbag", "Laptop", "Olive oil", "Watch"])
    return l


def claim(jur):
    pool = claims.get(jur, [])
    k = rnd.random()
    if pool and k < 0.75:
        c = rnd.choice(pool)
        return rnd.choice([c, c.lower(), c.upper(), c + " – origin statement on the invoice", c.replace("-", " ")])
    if k < 0.9:
        return rnd.choice(["TCA – origin statement on the invoice", "GSP", "CUSMA", "none", "EUR.1"])
    return rnd.choice(["No such programme", "", "FTA"])


def request(i):
    dest = rnd.choice(list(destinations))
    jur = destinations[dest]
    r = {"id": f"c{i}", "date": day(), "destination": dest}
    if rnd.random() < 0.9:
        r["origin"] = rnd.choice(origins)
    if rnd.random() < 0.2:
        r["ship_from"] = rnd.choice(origins)
    r["currency"] = rnd.choice(currencies) if rnd.random() < 0.5 else {"US": "USD", "EU": "EUR", "GB": "GBP", "AU": "AUD", "CA": "CAD", "CH": "CHF", "JP": "JPY", "NO": "NOK"}[jur]
    r["lines"] = [line(jur) for _ in range(rnd.choice([1, 1, 2, 3, 3, 4, 6]))]
    if rnd.random() < 0.7:
        r["shipping"] = amount(0, 60)
    if rnd.random() < 0.2:
        r["insurance"] = amount(0, 20)
    r["incoterm"] = rnd.choice(["DDP", "DAP", "DAP"]) if rnd.random() > 0.01 else "EXW"
    r["channel"] = rnd.choice(channels) if rnd.random() > 0.01 else "pigeon"
    if rnd.random() < 0.35:
        r["seller_registrations"] = rnd.sample(["GB_VAT", "IOSS", "VOEC", "AU_GST_LVG"], rnd.randint(1, 2))
    if rnd.random() < 0.2:
        r["consignment_type"] = rnd.choice(["B2C", "B2B", "gift_private_to_private"])
    if rnd.random() < 0.25:
        r["preference_claimed"] = claim(jur)
    if rnd.random() < 0.15:
        a, b = rnd.sample(currencies, 2)
        r["fx"] = [{"from": a, "to": b, "rate": rnd.choice(["1.0842", "0.8571", "155.2", "11.73"])}]
    if rnd.random() < 0.05 and dest == "CA":
        r["destination_region"] = rnd.choice(["ON", "QC", "NS", "BC"])
    if rnd.random() < 0.02:
        r["pack_versions"] = {"us-jurisdiction": rnd.choice(["2026.12.1", "2026.12.2", "1999.1"])}
    if rnd.random() < 0.01:
        del r[rnd.choice(["date", "currency", "lines", "destination"])]
    return json.dumps(r, ensure_ascii=False, separators=(",", ":"))


out = [request(i) for i in range(count)]
if count >= 3:
    out[1] = "not json"
    out[2] = "[1,2]"
sys.stdout.write("\n".join(out) + "\n")
