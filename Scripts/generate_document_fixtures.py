#!/usr/bin/env python3
"""Generates the document-intake fixtures (Fixtures/documents) from the templates beside them.

For every document in Fixtures/documents/templates/documents.json this writes
  Fixtures/documents/text/ID.pdf      a text PDF drawn with the document's layout and language,
  Fixtures/documents/scans/ID.EXT     the same pages as a degraded scan (PNG, JPEG, TIFF or an
                                      image-only PDF; 72-150 DPI, rotated, noisy),
  Fixtures/documents/expected/ID.json the document the extractor should read from both.

The output is committed; tests and benchmarks never run this script. It needs reportlab and
Pillow (pip install reportlab Pillow) and pdftoppm (Debian poppler-utils). Re-running it gives the
same content (seeded randomness); PDF metadata dates are fixed.

Usage: python3 Scripts/generate_document_fixtures.py [ID ...]
       python3 Scripts/generate_document_fixtures.py --variant SEED --out DIR
The second form writes a held-out set to DIR (text/, scans/, expected/; never into the repo): every
document with other numbers, dates, prices, fonts and scan degradation (DPI 72-200, rotation up to
2.5 degrees, noise, format), drawn from SEED, for checking that a change to the reader is general and
not fitted to the committed fixtures: `extract-bench --fixtures DIR`.
"""
import io
import json
import os
import random
import subprocess
import sys
import tempfile
from decimal import Decimal, ROUND_HALF_UP

from PIL import Image, ImageFilter
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE = os.path.join(ROOT, "Fixtures", "documents")
TEMPLATES = os.path.join(BASE, "templates")
W, H = A4

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
}
UNITS = {
    "PCE": {"en": "pcs", "de": "Stk", "fr": "pce", "nl": "st"},
    "PK": {"en": "pack", "de": "Pkg", "fr": "paq", "nl": "pak"},
    "KGM": {"en": "kg", "de": "kg", "fr": "kg", "nl": "kg"},
    "BO": {"en": "btl", "de": "Fl.", "fr": "bout", "nl": "fles"},
}
STATEMENTS = {
    "en": "The exporter of the products covered by this document (Exporter Reference No {ref}) declares that, "
          "except where otherwise clearly indicated, these products are of {origin} preferential origin.",
    "de": "Der Ausführer der Waren, auf die sich dieses Handelspapier bezieht (Referenznummer des Ausführers {ref}), "
          "erklärt, dass diese Waren, soweit nicht anders angegeben, präferenzbegünstigte {origin} Ursprungswaren sind.",
    "fr": "L'exportateur des produits couverts par le présent document (numéro de référence de l'exportateur {ref}) "
          "déclare que, sauf indication claire du contraire, ces produits ont l'origine préférentielle {origin}.",
    "nl": "De exporteur van de goederen waarop dit document van toepassing is (referentienummer exporteur {ref}), "
          "verklaart dat, behoudens uitdrukkelijke andersluidende vermelding, deze goederen van preferentiële {origin} oorsprong zijn.",
}
ORIGIN_WORD = {"en": {"UK": "UK", "EU": "EU"}, "de": {"UK": "UK-", "EU": "EU-"}, "fr": {"UK": "UK", "EU": "UE"}, "nl": {"UK": "UK", "EU": "EU"}}
COUNTRY_LINE = {"en": "Country of origin", "de": "Ursprungsland", "fr": "Pays d'origine", "nl": "Land van oorsprong"}
COUNTRY_NAMES = {"FR": {"fr": "France", "en": "France"}, "NL": {"nl": "Nederland", "en": "Netherlands"}}
CERT_TEXT = {
    "fr": "La chambre de commerce soussignée certifie que les marchandises désignées ci-dessus sont originaires du pays indiqué.",
    "nl": "De ondergetekende kamer van koophandel verklaart dat de hierboven omschreven goederen van oorsprong zijn uit het vermelde land.",
    "en": "The undersigned chamber of commerce certifies that the goods described above originate in the country shown.",
    "de": "Die unterzeichnete Kammer bescheinigt, dass die oben bezeichneten Waren Ursprungswaren des angegebenen Landes sind.",
}


# ---------------------------------------------------------------- number, money and date text

def group(int_digits, sep, indian=False):
    if indian and len(int_digits) > 3:
        head, tail = int_digits[:-3], int_digits[-3:]
        parts = []
        while len(head) > 2:
            parts.insert(0, head[-2:])
            head = head[:-2]
        if head:
            parts.insert(0, head)
        return sep.join(parts + [tail])
    out = []
    while len(int_digits) > 3:
        out.insert(0, int_digits[-3:])
        int_digits = int_digits[:-3]
    out.insert(0, int_digits)
    return sep.join(out)


def number_text(value, style, decimals):
    q = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP) if decimals else Decimal(value).quantize(Decimal(1))
    s = f"{q:f}"
    neg = s.startswith("-")
    s = s.lstrip("-")
    ip, _, fp = s.partition(".")
    seps = {"en": (",", "."), "de": (".", ","), "nl": (".", ","), "fr": (" ", ","), "in": (",", ".")}[style]
    text = group(ip, seps[0], indian=(style == "in"))
    if fp:
        text += seps[1] + fp
    return ("-" if neg else "") + text


def weight_text(value, style):
    d = Decimal(value)
    decimals = max(0, -d.as_tuple().exponent)
    return number_text(value, style, decimals)


def money_text(value, doc):
    style, kind, cur = doc["numbers"], doc.get("money", "code_suffix"), doc.get("currency", "")
    if kind == "rupee":
        return "₹ " + number_text(value, "in", 0)
    n = number_text(value, style, 2)
    if kind == "code_suffix":
        return n
    if kind == "symbol_suffix":
        return n + " €"
    if kind == "symbol_prefix":
        return "€ " + n
    if kind == "dollar":
        return "$" + n
    return n


def date_text(iso, doc):
    y, m, d = (int(x) for x in iso.split("-"))
    f, lang = doc["date_format"], doc["lang"]
    if f == "d_month_y":
        return f"{d} {MONTHS[lang][m - 1]} {y}"
    if f == "month_d_y":
        return f"{MONTHS['en'][m - 1]} {d}, {y}"
    if f == "dd.mm.yyyy":
        return f"{d:02d}.{m:02d}.{y}"
    if f == "dd/mm/yyyy":
        return f"{d:02d}/{m:02d}/{y}"
    if f == "dd-mm-yyyy":
        return f"{d:02d}-{m:02d}-{y}"
    return iso


# ---------------------------------------------------------------- document content

OUTDOOR = [
    ("Ultralight tent, 2 person", "6306220000"), ("Down sleeping bag, -5 C", "9404400000"),
    ("Trekking poles, carbon, pair", "6602000000"), ("Insulated water bottle 750 ml", "9617000000"),
    ("Headlamp, rechargeable", "8513100000"), ("Hiking boots, leather, size 42", "6403990000"),
    ("Rain jacket, 3-layer, men", "6201400000"), ("Fleece pullover, women", "6110301000"),
    ("Camping stove, titanium", "7321110000"), ("Dry bag 20 l", "4202920000"),
    ("Merino base layer top", "6109902000"), ("Compass with mirror", "9014100000"),
]
ORIGINS = ["US", "CN", "VN", "TW", "US", "MX"]


def lines_of(doc):
    if "generated_lines" in doc:
        rng = random.Random(17)
        out = []
        for i in range(doc["generated_lines"]):
            desc, hs = OUTDOOR[i % len(OUTDOOR)]
            qty = str(rng.choice([2, 4, 5, 6, 10, 12, 20, 24, 50]))
            price = str(Decimal(rng.randrange(450, 32000)) / 100)
            out.append([desc, qty, "PCE", price, hs, rng.choice(ORIGINS)])
        return out
    return doc.get("lines", [])


def money_q(x, doc):
    return Decimal(x).quantize(Decimal(1) if doc.get("currency") == "INR" else Decimal("0.01"), rounding=ROUND_HALF_UP)


def invoice_figures(doc):
    lines = []
    for desc, qty, unit, price, hs, origin in lines_of(doc):
        lines.append({"description": desc, "quantity": qty, "unit": unit, "unit_price": price,
                      "line_total": str(money_q(Decimal(qty) * Decimal(price), doc)), "hs_code": hs, "origin_country": origin,
                      "printed_hs": hs[:8] if doc["lang"] in ("de", "nl") else hs})
    subtotal = sum((Decimal(l["line_total"]) for l in lines), Decimal(0))
    tax = money_q(subtotal * Decimal(doc["tax_rate"]), doc) if "tax_rate" in doc else None
    shipping = Decimal(doc["shipping"]) if "shipping" in doc else None
    total = subtotal + (tax or 0) + (shipping or 0)
    return lines, subtotal, tax, shipping, money_q(total, doc)


def packing_figures(doc):
    lines = []
    for desc, qty, unit, packages, net, gross in doc["lines"]:
        lines.append({"description": desc, "quantity": qty, "unit": unit, "packages": packages, "net_weight": net, "gross_weight": gross})
    return (lines, sum(Decimal(l["net_weight"]) for l in lines), sum(Decimal(l["gross_weight"]) for l in lines),
            sum(int(l["packages"]) for l in lines))


def plain(d):
    s = f"{Decimal(d):f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


EXPECTED_KEY = {"description": "description", "hs_code": "hs_code", "origin": "origin_country", "quantity": "quantity", "unit": "unit",
                "unit_price": "unit_price", "amount": "line_total", "packages": "packages", "net_weight": "net_weight",
                "gross_weight": "gross_weight"}


def expected(doc):
    # Only what is printed can be read: a line has the keys of the document's columns.
    printed = {EXPECTED_KEY[c] for c in doc.get("columns", []) if c in EXPECTED_KEY}
    e = {"kind": doc["kind"], "invoice_number": doc["invoice_number"], "invoice_date": doc["date"],
         "seller_name": doc["seller"][0], "buyer_name": doc["buyer"][0], "lines": []}
    if doc["kind"] == "invoice":
        lines, subtotal, tax, shipping, total = invoice_figures(doc)
        e.update({"currency": doc["currency"], "incoterm": doc["incoterm"], "total": plain(total),
                  "lines": [{k: (plain(v) if k in ("quantity", "unit_price", "line_total") else v) for k, v in
                             {**l, "hs_code": l["printed_hs"]}.items() if k in printed} for l in lines]})
    elif doc["kind"] == "packing_list":
        lines, net, gross, packages = packing_figures(doc)
        e.update({"net_weight": plain(net), "gross_weight": plain(gross), "packages": str(packages),
                  "lines": [{k: (plain(v) if k in ("quantity", "packages", "net_weight", "gross_weight") else v) for k, v in l.items() if k in printed} for l in lines]})
    if "statement" in doc:
        e["origin_statement"] = dict(doc["statement"])
    if "country_of_origin" in doc:
        e["country_of_origin"] = doc["country_of_origin"]
    return e


# ---------------------------------------------------------------- drawing

class Page:
    def __init__(self, c, font):
        self.c, self.font = c, font
        self.bold = {"Helvetica": "Helvetica-Bold", "Times-Roman": "Times-Bold", "DejaVuSans": "DejaVuSans-Bold"}[font]

    def text(self, x, y, s, size=9, bold=False, align="left"):
        f = self.bold if bold else self.font
        self.c.setFont(f, size)
        if align == "right":
            self.c.drawRightString(x, y, s)
        elif align == "center":
            self.c.drawCentredString(x, y, s)
        else:
            self.c.drawString(x, y, s)

    def width(self, s, size=9, bold=False):
        return pdfmetrics.stringWidth(s, self.bold if bold else self.font, size)

    def wrap(self, x, y, s, width, size=9, leading=12):
        words, line = s.split(), ""
        for w in words:
            t = (line + " " + w).strip()
            if self.width(t, size) > width and line:
                self.text(x, y, line, size)
                y -= leading
                line = w
            else:
                line = t
        if line:
            self.text(x, y, line, size)
            y -= leading
        return y

    def block(self, x, y, label, lines, size=9):
        self.text(x, y, label, size - 1, bold=True)
        y -= 12
        for i, l in enumerate(lines):
            self.text(x, y, l, size, bold=(i == 0))
            y -= 11
        return y


COL_WIDTH = {"pos": 26, "description": 170, "hs_code": 62, "origin": 40, "quantity": 34, "unit": 32,
             "unit_price": 62, "amount": 68, "packages": 44, "net_weight": 70, "gross_weight": 74}
NUMERIC = {"pos", "quantity", "unit_price", "amount", "packages", "net_weight", "gross_weight"}


def column_layout(cols, x0=40, x1=W - 40):
    widths = [COL_WIDTH[c] for c in cols]
    extra = (x1 - x0) - sum(widths)
    widths[cols.index("description")] += extra
    xs, x = [], x0
    for w in widths:
        xs.append((x, x + w))
        x += w
    return xs


def cell_text(doc, col, line, index):
    lang = doc["lang"]
    if col == "pos":
        return str(index + 1)
    if col == "description":
        return line["description"]
    if col == "hs_code":
        hs = line["printed_hs"]
        return hs[:4] + "." + hs[4:6] + "." + hs[6:8] if doc["lang"] == "de" else hs
    if col == "origin":
        return line["origin_country"]
    if col == "quantity":
        return line["quantity"]
    if col == "unit":
        return UNITS[line["unit"]][lang]
    if col == "unit_price":
        return money_text(line["unit_price"], {**doc, "money": "code_suffix"} if doc.get("money") != "rupee" else doc)
    if col == "amount":
        return money_text(line["line_total"], {**doc, "money": "code_suffix"} if doc.get("money") != "rupee" else doc)
    if col in ("packages",):
        return line[col]
    if col in ("net_weight", "gross_weight"):
        return weight_text(line[col], doc["numbers"])
    return ""


def draw_table(p, doc, L, y, lines, start_index, grid, bottom=90):
    cols = doc["columns"]
    xs = column_layout(cols)
    header_h = 16
    if grid:
        p.c.setLineWidth(0.6)
        p.c.rect(xs[0][0], y - 4, xs[-1][1] - xs[0][0], header_h)
    for col, (a, b) in zip(cols, xs):
        label = L[col]
        if col == "amount" and doc.get("currency") and doc.get("money") == "code_suffix":
            label = f"{L['amount']} ({doc['currency']})"
        if col in NUMERIC:
            p.text(b - 3, y, label, 8, bold=True, align="right")
        else:
            p.text(a + 3, y, label, 8, bold=True)
    if not grid:
        p.c.setLineWidth(0.8)
        p.c.line(xs[0][0], y - 5, xs[-1][1], y - 5)
    y -= 18
    i = start_index
    while i < len(lines) and y > bottom:
        line = lines[i]
        for col, (a, b) in zip(cols, xs):
            t = cell_text(doc, col, line, i)
            if col in NUMERIC:
                p.text(b - 3, y, t, 9, align="right")
            else:
                p.text(a + 3, y, t, 9)
        if grid:
            p.c.setLineWidth(0.3)
            p.c.line(xs[0][0], y - 5, xs[-1][1], y - 5)
        y -= 15
        i += 1
    if grid:
        p.c.setLineWidth(0.3)
        top = y + 15 * (i - start_index) + 18 + 12
        for a, _ in xs[1:]:
            p.c.line(a, y + 10, a, top)
    return y, i


def draw_totals(p, doc, L, y):
    lines, subtotal, tax, shipping, total = invoice_figures(doc)
    xs = column_layout(doc["columns"])
    right = xs[doc["columns"].index("amount")][1] - 3
    label_x = right - 170
    m = (lambda v: money_text(v, doc))
    rows = []
    if tax is not None or shipping is not None:
        rows.append((L["subtotal"], m(subtotal)))
    if tax is not None:
        rows.append((L["tax"], m(tax)))
    if shipping is not None:
        rows.append((L["shipping"], m(shipping)))
    rows.append((L["total"] + (f" {doc['currency']}" if doc.get("money") == "code_suffix" else ""), m(total)))
    p.c.setLineWidth(0.8)
    p.c.line(label_x, y + 10, right + 3, y + 10)
    for k, (label, value) in enumerate(rows):
        last = k == len(rows) - 1
        p.text(label_x, y, label, 9, bold=last)
        p.text(right, y, value, 9, bold=last, align="right")
        y -= 14
    return y


def draw_packing_totals(p, doc, L, y):
    _, net, gross, packages = packing_figures(doc)
    style = doc["numbers"]
    for label, value in ((L["total_packages"], str(packages)), (L["total_net"], weight_text(net, style) + " kg"),
                         (L["total_gross"], weight_text(gross, style) + " kg")):
        p.text(W - 250, y, label + ":", 9, bold=True)
        p.text(W - 43, y, value, 9, align="right")
        y -= 14
    return y


def statement_text(doc):
    s = doc["statement"]
    return STATEMENTS[doc["lang"]].format(ref=s["exporter_reference"], origin=ORIGIN_WORD[doc["lang"]][s["origin"]]).replace("- ", "-")


def meta_rows(doc, L):
    number_label = L["invoice_number"]
    rows = [(number_label, doc["invoice_number"]), (L["invoice_date"] if doc["kind"] == "invoice" else L["date"], date_text(doc["date"], doc))]
    if doc["kind"] == "invoice":
        rows.append((L["incoterm"], doc["incoterm"] + " Incoterms 2020"))
        rows.append((L["currency"], doc["currency"]))
    return rows


def new_page(c, doc):
    return Page(c, doc["font"])


def render(doc, L, path):
    c = canvas.Canvas(path, pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(doc["id"])
    c.setAuthor("CustomsHub fixture generator")
    layout = doc["layout"]
    title = L[doc["kind"]] if layout != "statement" else L["statement"]
    lines = []
    if doc["kind"] == "invoice":
        lines = invoice_figures(doc)[0]
    elif doc["kind"] == "packing_list":
        lines = packing_figures(doc)[0]
    p = new_page(c, doc)
    seller_label = L["exporter"] if doc["kind"] == "certificate" else (L["shipper"] if doc["kind"] == "packing_list" else L["seller"])
    buyer_label = L["consignee"] if doc["kind"] != "invoice" else L["buyer"]
    page_no = 1

    def header_for_continuation():
        p.text(40, H - 50, f"{title} {doc['invoice_number']} ({L['page']} {page_no})", 10, bold=True)
        return H - 90

    if layout == "classic":
        p.text(40, H - 60, title, 18, bold=True)
        y = p.block(40, H - 95, seller_label, doc["seller"])
        y = p.block(40, y - 14, buyer_label, doc["buyer"])
        my = H - 95
        for label, value in meta_rows(doc, L):
            p.text(330, my, label + ":", 9, bold=True)
            p.text(450, my, value, 9)
            my -= 14
        y -= 20
    elif layout == "boxed":
        p.text(40, H - 55, doc["seller"][0], 16, bold=True)
        p.text(40, H - 70, "  ·  ".join(doc["seller"][1:]), 8)
        c.setLineWidth(0.5)
        c.line(40, H - 76, W - 40, H - 76)
        y = p.block(40, H - 110, buyer_label, doc["buyer"])
        rows = meta_rows(doc, L)
        bx, by = 340, H - 100
        c.rect(bx - 8, by - 34 * len(rows) + 20, W - 40 - bx + 8, 34 * len(rows) - 4)
        for label, value in rows:
            p.text(bx, by, label, 7.5)
            p.text(bx, by - 12, value, 10, bold=True)
            by -= 34
        y = min(y, by) - 10
        p.text(40, y, title, 14, bold=True)
        y -= 26
    else:  # grid, statement, origin
        p.text(W / 2, H - 55, title, 16, bold=True, align="center")
        y = H - 95
        if layout == "origin":
            c.setLineWidth(0.6)
            c.rect(40, H - 190, (W - 80) / 2, 88)
            c.rect(40 + (W - 80) / 2, H - 190, (W - 80) / 2, 88)
            p.block(46, H - 115, "1. " + seller_label, doc["seller"])
            p.block(46 + (W - 80) / 2, H - 115, "2. " + buyer_label, doc["buyer"])
            y = H - 215
        else:
            p.block(40, y, seller_label, doc["seller"])
            p.block(310, y, buyer_label, doc["buyer"])
            y -= 75
            if layout == "grid":
                c.setLineWidth(0.5)
                rows = meta_rows(doc, L)
                for k, (label, value) in enumerate(rows):
                    c.rect(40, y - 5 - k * 16, 150, 16)
                    c.rect(190, y - 5 - k * 16, 200, 16)
                    p.text(45, y - k * 16, label, 9, bold=True)
                    p.text(195, y - k * 16, value, 9)
                y -= 16 * len(rows) + 25
    if layout in ("statement",):
        p.text(40, y, L["invoice_number"] + ": " + doc["invoice_number"], 10)
        y -= 30
        y = p.wrap(40, y, statement_text(doc), W - 80, 10, 14)
        y -= 30
        p.text(40, y, L["place_date"] + ": " + doc["place"] + ", " + date_text(doc["date"], doc), 10)
        y -= 50
        c.line(40, y, 240, y)
        p.text(40, y - 12, doc["seller"][0], 8)
    elif layout == "origin":
        name = COUNTRY_NAMES[doc["country_of_origin"]].get(doc["lang"], COUNTRY_NAMES[doc["country_of_origin"]]["en"])
        rows = [("3. " + L["country_of_origin"], name), ("4. " + L["goods"], doc["goods"]),
                ("5. " + L["invoice_number"], doc["invoice_number"])]
        for label, value in rows:
            p.text(46, y, label, 8, bold=True)
            p.text(46, y - 14, value, 10)
            y -= 40
        y = p.wrap(46, y, CERT_TEXT[doc["lang"]], W - 92, 9, 12)
        y -= 20
        p.text(46, y, "6. " + L["place_date"] + ": " + doc["place"] + ", " + date_text(doc["date"], doc), 10)
    else:
        start = 0
        grid = layout == "grid"
        while True:
            y, start = draw_table(p, doc, L, y, lines, start, grid)
            if start >= len(lines):
                break
            p.text(W / 2, 40, f"{L['page']} {page_no}", 8, align="center")
            c.showPage()
            page_no += 1
            p = new_page(c, doc)
            y = header_for_continuation()
        y -= 10
        if doc["kind"] == "invoice":
            y = draw_totals(p, doc, L, y)
        else:
            y = draw_packing_totals(p, doc, L, y)
        if "statement" in doc:
            y -= 20
            y = p.wrap(40, y, statement_text(doc), W - 80, 8, 10)
        if doc["kind"] == "invoice":
            p.text(40, 60, L["thanks"], 8)
        if page_no > 1:
            p.text(W / 2, 40, f"{L['page']} {page_no}", 8, align="center")
    c.showPage()
    c.save()


# ---------------------------------------------------------------- degraded scans

def degrade(pdf, doc, out_base):
    s = doc["scan"]
    rng = random.Random(doc["id"])
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(s["dpi"]), "-gray", "-png", pdf, os.path.join(tmp, "p")], check=True)
        pages = [Image.open(os.path.join(tmp, f)).convert("L") for f in sorted(os.listdir(tmp))]
    out = []
    for img in pages:
        img = img.rotate(s["rotate"], resample=Image.BICUBIC, expand=False, fillcolor=255)
        if s["format"] in ("jpg", "pdf"):
            img = img.filter(ImageFilter.GaussianBlur(0.4))
        px = img.load()
        w, h = img.size
        for _ in range(int(w * h * s["noise"] * 0.05)):
            x, y = rng.randrange(w), rng.randrange(h)
            px[x, y] = rng.choice((0, 60, 200, 255)) if s["format"] in ("jpg", "pdf") else rng.choice((0, 255))
        if s["format"] in ("png", "tif") and s["dpi"] >= 100:
            # Fax-like bilevel scans; the 72 DPI ones stay grey (a low-resolution phone or web scan).
            img = img.point(lambda v: 255 if v > 150 else 0).convert("1")
        out.append(img)
    fmt = s["format"]
    path = out_base + "." + fmt
    dpi = (s["dpi"], s["dpi"])
    if fmt == "png":
        out[0].save(path, optimize=True, dpi=dpi)
    elif fmt == "tif":
        out[0].save(path, compression="group4", dpi=dpi)
    elif fmt == "jpg":
        out[0].save(path, quality=38, optimize=True, dpi=dpi)
    else:
        # Image-only PDF: JPEG pages, no text layer.
        jpgs = []
        for img in out:
            b = io.BytesIO()
            img.save(b, "JPEG", quality=30, optimize=True)
            jpgs.append(Image.open(io.BytesIO(b.getvalue())))
        jpgs[0].save(path, "PDF", save_all=True, append_images=jpgs[1:], resolution=float(s["dpi"]))
    return path


def small_files():
    """Small inputs for the reader's fuzz test and the encrypted-PDF refusal test."""
    os.makedirs(os.path.join(BASE, "small"), exist_ok=True)
    c = canvas.Canvas(os.path.join(BASE, "small", "encrypted.pdf"), pagesize=A4, invariant=1, encrypt="secret")
    c.setFont("Helvetica", 12)
    c.drawString(72, 760, "Invoice No.: ENC-1")
    c.showPage()
    c.save()
    c = canvas.Canvas(os.path.join(BASE, "small", "label.pdf"), pagesize=(300, 120), invariant=1)
    c.setFont("Helvetica", 12)
    c.drawString(20, 80, "Invoice No.: INV-77")
    c.drawString(20, 50, "Total EUR 1.234,56")
    c.showPage()
    c.save()
    img = Image.new("L", (360, 90), 255)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", "100", "-gray", "-png", "-singlefile", os.path.join(BASE, "small", "label.pdf"),
                        os.path.join(tmp, "l")], check=True)
        img = Image.open(os.path.join(tmp, "l.png")).convert("L")
    img.convert("1").save(os.path.join(BASE, "small", "label.png"), optimize=True, dpi=(100, 100))
    img.save(os.path.join(BASE, "small", "label.jpg"), quality=50, dpi=(100, 100))
    img.convert("1").save(os.path.join(BASE, "small", "label.tif"), compression="group4", dpi=(100, 100))


def vary(doc, rng):
    """A held-out variant of one document: same layout and language, other values and degradation."""
    d = json.loads(json.dumps(doc))
    prefix = "".join(ch for ch in doc["invoice_number"] if ch.isalpha() or ch == "-").rstrip("-") or "INV"
    d["invoice_number"] = f"{prefix}-{rng.randrange(2019, 2027)}-{rng.randrange(10, 99999):0{rng.choice((3, 4, 5))}d}"
    d["date"] = f"{rng.randrange(2019, 2027)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    d["font"] = rng.choice(["Helvetica", "Times-Roman", "DejaVuSans"])
    if d["kind"] == "invoice" and "lines" in d:
        out = []
        for desc, qty, unit, price, hs, origin in d["lines"]:
            qty = str(rng.choice([1, 2, 3, 5, 8, 12, 15, 24, 40, 60, 100, 150, 250, 1200]))
            cents = 0 if d.get("currency") == "INR" else 2
            price = str(Decimal(rng.randrange(50, 250000)) / 100 if cents else Decimal(rng.randrange(50, 20000)))
            out.append([desc, qty, unit, price, hs, origin])
        d["lines"] = out
    elif d["kind"] == "invoice":
        d["generated_lines"] = rng.randrange(8, 30)
    d["scan"] = {"dpi": rng.choice([72, 96, 100, 120, 150, 200]), "rotate": round(rng.uniform(-2.5, 2.5), 2),
                 "noise": round(rng.uniform(0.01, 0.05), 3), "format": rng.choice(["png", "jpg", "tif", "pdf"])}
    if d["scan"]["format"] == "tif" and d["scan"]["dpi"] < 100:
        d["scan"]["format"] = "png"  # group 4 TIFF is bilevel, and scans under 100 DPI stay grey
    return d


def main():
    global BASE
    args = sys.argv[1:]
    variant = None
    if "--variant" in args:
        i = args.index("--variant")
        variant = int(args[i + 1])
        del args[i:i + 2]
    if "--out" in args:
        i = args.index("--out")
        BASE = os.path.abspath(args[i + 1])
        del args[i:i + 2]
    if variant is not None and BASE == os.path.join(ROOT, "Fixtures", "documents"):
        sys.exit("--variant writes a held-out set: give it --out DIR outside Fixtures/documents")
    pdfmetrics.registerFont(TTFont("DejaVuSans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"))
    labels = json.load(open(os.path.join(TEMPLATES, "labels.json"), encoding="utf-8"))
    docs = json.load(open(os.path.join(TEMPLATES, "documents.json"), encoding="utf-8"))["documents"]
    only = set(args)
    if variant is not None:
        rng = random.Random(variant)
        docs = [dict(vary(doc, rng), id=f"{doc['id']}-v{variant}") for doc in docs]
    for sub in ("text", "scans", "expected"):
        os.makedirs(os.path.join(BASE, sub), exist_ok=True)
    for doc in docs:
        if only and doc["id"] not in only:
            continue
        pdf = os.path.join(BASE, "text", doc["id"] + ".pdf")
        render(doc, labels[doc["lang"]], pdf)
        for old in os.listdir(os.path.join(BASE, "scans")):
            if old.rsplit(".", 1)[0] == doc["id"]:
                os.remove(os.path.join(BASE, "scans", old))
        scan = degrade(pdf, doc, os.path.join(BASE, "scans", doc["id"]))
        with open(os.path.join(BASE, "expected", doc["id"] + ".json"), "w", encoding="utf-8") as f:
            json.dump(expected(doc), f, ensure_ascii=False, indent=1, sort_keys=True)
            f.write("\n")
        print(f"{doc['id']}: {os.path.getsize(pdf)} B pdf, {os.path.getsize(scan)} B {os.path.basename(scan)}")
    if not only and variant is None:
        small_files()


if __name__ == "__main__":
    main()
