#!/usr/bin/env python3
"""Baseline for extract-bench: the pdftotext and tesseract command-line tools plus regular expressions.

For each file given, reads the text (text PDFs: `pdftotext -layout`; images: `tesseract FILE -`;
image-only PDFs: `pdftoppm -r 250` then tesseract), then finds the same fields as
`customs-hub extract` with regular expressions: labels in EN/DE/FR/NL followed by a value, table
rows split into columns at runs of two or more spaces and matched to the header's columns.
Prints one JSON line per file: {"file": NAME, "document": {...}}. Needs only the standard library.

Usage: python3 Scripts/documents_baseline.py FILE...
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

LABELS = {
    "invoice_number": r"(?:invoice\s*(?:no|number|nr|#)|rechnungs(?:nummer|\s*nr)|facture\s*n[°o]?|factuurnummer|n[°o]\s*de\s*facture)\.?\s*:?\s*([A-Z0-9][A-Z0-9/\-.]*\d[A-Z0-9/\-]*)",
    "invoice_date": r"(?:invoice\s*date|rechnungsdatum|date\s*de\s*facture|factuurdatum|place\s*and\s*date|ort\s*und\s*datum|lieu\s*et\s*date|plaats\s*en\s*datum|\bdatum|\bdate)\s*:?\s*([^\n]{6,40})",
    "incoterm": r"\b(EXW|FCA|FAS|FOB|CFR|CIF|CPT|CIP|DAP|DPU|DDP)\b",
    "currency": r"(?:currency|w[äa]hrung|devise|valuta)\s*:?\s*([A-Z]{3})",
}
MONTHS = {m: i + 1 for i, names in enumerate([
    "january januar janvier januari", "february februar fevrier février februari", "march märz marz mars maart",
    "april avril", "may mai mei", "june juni juin", "july juli juillet", "august aout août augustus",
    "september septembre", "october oktober octobre", "november novembre", "december dezember décembre decembre"]) for m in names.split()}
TOTAL = r"(?:grand\s*total|total\s*ttc|gesamtbetrag|totaal|total)(?!\s*(?:ht|net|gross|packages))[^\n\d]*?([\d][\d.,' ]*\d)"
SELLER = r"^\s*(?:seller|exporter|shipper|verk[äa]ufer|ausf[üu]hrer|versender|vendeur|exportateur|exp[ée]diteur|verkoper|exporteur|afzender|1\.\s*\w+)\s*:?\s*$"
BUYER = r"^\s*(?:buyer|consignee|k[äa]ufer|empf[äa]nger|acheteur|destinataire|koper|ontvanger|2\.\s*\w+)\s*:?\s*$"
HEADERS = {
    "description": r"description|bezeichnung|d[ée]signation|omschrijving",
    "hs_code": r"hs\s*code|zolltarif|code\s*sh|gn-code",
    "origin_country": r"origin|ursprung|origine|oorsprong",
    "quantity": r"qty|menge|qt[ée]|aantal",
    "unit": r"unit$|einheit|unit[ée]|eenheid",
    "unit_price": r"unit\s*price|einzelpreis|prix\s*unitaire|prijs",
    "line_total": r"amount|gesamtpreis|montant|bedrag",
    "packages": r"packages|kolli|colis|colli",
    "net_weight": r"net|netto",
    "gross_weight": r"gross|brutto|bruto|brut",
}
UNITS = {"pcs": "PCE", "stk": "PCE", "pce": "PCE", "st": "PCE", "pack": "PK", "pkg": "PK", "paq": "PK", "pak": "PK",
         "kg": "KGM", "btl": "BO", "bout": "BO", "fl.": "BO", "fles": "BO"}


# One block with the spaces kept: table rows stay on one line with their column gaps.
TESS_ARGS = ["--psm", "6", "-c", "preserve_interword_spaces=1"]


def text_of(path):
    if path.endswith(".pdf"):
        out = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True).stdout
        if out.strip():
            return out, "text"
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["pdftoppm", "-r", "250", "-gray", "-png", path, os.path.join(tmp, "p")], check=True)
            parts = []
            for f in sorted(os.listdir(tmp)):
                parts.append(subprocess.run(["tesseract", os.path.join(tmp, f), "-"] + TESS_ARGS, capture_output=True, text=True).stdout)
            return "\n".join(parts), "ocr"
    return subprocess.run(["tesseract", path, "-"] + TESS_ARGS, capture_output=True, text=True).stdout, "ocr"


def number(s):
    s = s.strip().replace("₹", "").replace("€", "").replace("$", "").replace(" ", "").replace("'", "")
    s = re.sub(r"[^\d.,-]", "", s)
    if not re.search(r"\d", s):
        return None
    last = max(s.rfind("."), s.rfind(","))
    if last >= 0 and len(s) - last - 1 != 3:
        s = re.sub(r"[.,]", "", s[:last]) + "." + s[last + 1:]
    else:
        s = re.sub(r"[.,]", "", s)
    try:
        v = float(s)
    except ValueError:
        return None
    t = f"{v:.6f}".rstrip("0").rstrip(".")
    return t


def date(s):
    m = re.search(r"(\d{4})-(\d{1,2})-(\d{1,2})", s)
    if m:
        return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
    m = re.search(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})", s)
    if m:
        return f"{int(m[3]):04d}-{int(m[2]):02d}-{int(m[1]):02d}"
    low = s.lower()
    m = re.search(r"(\d{1,2})\.?\s+([a-zäéû]+)\s+(\d{4})", low) or None
    if m and m[2] in MONTHS:
        return f"{int(m[3]):04d}-{MONTHS[m[2]]:02d}-{int(m[1]):02d}"
    m = re.search(r"([a-z]+)\s+(\d{1,2}),\s*(\d{4})", low)
    if m and m[1] in MONTHS:
        return f"{int(m[3]):04d}-{MONTHS[m[1]]:02d}-{int(m[2]):02d}"
    return None


def block_after(lines, pattern):
    for i, l in enumerate(lines):
        for part in re.split(r"\s{3,}", l.strip()):
            if re.match(pattern, part, re.I) and i + 1 < len(lines):
                col = l.find(part.strip())
                below = lines[i + 1]
                seg = below[max(0, col - 2):].strip()
                return re.split(r"\s{3,}", seg)[0] if seg else None
    return None


def extract(text):
    doc = {}
    low = unicodedata.normalize("NFC", text)
    head = low[:400].lower()
    if re.search(r"packing list|packliste|colisage|paklijst", head):
        doc["kind"] = "packing_list"
    elif re.search(r"certificat|statement on origin|ursprungs|d[ée]claration d.origine|oorsprongsverklaring", head):
        doc["kind"] = "certificate"
    else:
        doc["kind"] = "invoice"
    for field, pat in LABELS.items():
        m = re.search(pat, low, re.I)
        if not m:
            continue
        v = m[1].strip()
        if field == "invoice_date":
            v = date(v)
        if v:
            doc[field] = v.upper() if field in ("incoterm", "currency") else v
    lines = low.splitlines()
    s = block_after(lines, SELLER)
    if s:
        doc["seller_name"] = s
    b = block_after(lines, BUYER)
    if b:
        doc["buyer_name"] = b
    if doc["kind"] == "invoice":
        totals = re.findall(TOTAL, low, re.I)
        if totals:
            doc["total"] = number(totals[-1])
        if "currency" not in doc:
            for sym, code in (("€", "EUR"), ("₹", "INR"), ("$", "USD"), ("£", "GBP"), ("GBP", "GBP"), ("EUR", "EUR")):
                if sym in low:
                    doc["currency"] = code
                    break
    # Table: the first line with three or more known headers; rows split at 2+ spaces.
    header = None
    rows = []
    for l in lines:
        cells = [c for c in re.split(r"\s{2,}", l.strip()) if c]
        if header is None:
            names = []
            for c in cells:
                for k, pat in HEADERS.items():
                    if re.search(pat, c, re.I) and k not in names:
                        names.append(k)
                        break
                else:
                    names.append(None)
            if sum(1 for n in names if n) >= 3 and "description" in names:
                header = names
            continue
        if re.match(r"\s*(sub)?total|zwischensumme|gesamt|totaal|total", l.strip(), re.I):
            break
        if len(cells) == len(header):
            row = {}
            for name, c in zip(header, cells):
                if not name:
                    continue
                if name in ("quantity", "unit_price", "line_total", "packages", "net_weight", "gross_weight"):
                    v = number(c)
                elif name == "hs_code":
                    v = re.sub(r"\D", "", c) or None
                elif name == "unit":
                    v = UNITS.get(c.lower())
                else:
                    v = c
                if v:
                    row[name] = v
            rows.append(row)
    if rows:
        doc["lines"] = rows
    if doc["kind"] == "packing_list":
        for key, pat in (("net_weight", r"(?:total net weight|nettogewicht gesamt|poids net total|totaal nettogewicht)\s*:?\s*([\d.,]+)"),
                         ("gross_weight", r"(?:total gross weight|bruttogewicht gesamt|poids brut total|totaal brutogewicht)\s*:?\s*([\d.,]+)"),
                         ("packages", r"(?:total packages|kolli gesamt|nombre de colis|totaal colli)\s*:?\s*(\d+)")):
            m = re.search(pat, low, re.I)
            if m:
                doc[key] = number(m[1])
    m = re.search(r"\(([^()]*?([A-Z]{2}\d{9,15}))\)", low)
    if m and re.search(r"pr[äa]f|pr[ée]f|preferenti", low, re.I):
        st = {"exporter_reference": m[2]}
        o = re.search(r"\b(UK|EU|UE)\b[- ]*(?:preferential|ursprung|oorsprong)|pr[ée]f[ée]rentielle\s+(UK|EU|UE)|preferenti[ëe]le\s+(UK|EU)", low)
        if o:
            st["origin"] = "EU" if (o[1] or o[2] or o[3]) in ("EU", "UE") else "UK"
            st["agreement"] = "EU-UK TCA"
        doc["origin_statement"] = st
    return doc


def main():
    for path in sys.argv[1:]:
        text, source = text_of(path)
        print(json.dumps({"file": os.path.basename(path), "source": source, "document": extract(text)}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
