#!/usr/bin/env python3
"""Writes the template-learning fixtures: Fixtures/documents/learning/kestrel-1.pdf and kestrel-2.pdf.

Two invoices of one invented supplier (Kestrel Optics GmbH) in one layout, with different numbers,
dates, goods and amounts. The layout is one the generic reader half understands: the invoice number
sits under a label it does not know ("Voucher") and the date is printed without a label under the
title, so both are missing and the draft goes to review. A reviewer's corrections to the first
teach the supplier's template; the second is then read right (Tests/ServerTests, TemplateLearning).

Plain PDF written directly (Helvetica, one of the PDF standard fonts): no dependencies, the same
bytes on every run. Usage: python3 Scripts/generate_learning_fixtures.py
"""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fixtures", "documents", "learning")
W, H = 595, 842

DOCS = {
    "kestrel-1": {
        "number": "KO-24-1187", "date": "06.05.2024",
        "lines": [("Lens cleaning cloth, microfibre", "100", "1.20", "120.00"),
                  ("Prism binoculars 8x42", "5", "189.00", "945.00")],
        "total": "1,065.00",
    },
    "kestrel-2": {
        "number": "KO-24-1342", "date": "21.06.2024",
        "lines": [("Spotting scope 20-60x80", "2", "612.50", "1,225.00"),
                  ("Tripod adapter plate", "12", "14.80", "177.60"),
                  ("Lens cleaning cloth, microfibre", "50", "1.20", "60.00")],
        "total": "1,462.60",
    },
}


def esc(s):
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def page(doc):
    ops = []

    def text(x, y_top, s, size=10, font="F1"):
        # y_top: distance from the top of the page to the baseline.
        ops.append(f"BT /{font} {size} Tf {x} {H - y_top} Td ({esc(s)}) Tj ET")

    text(40, 60, "Kestrel Optics GmbH", 16, "F2")
    text(40, 76, "Linsenweg 4, 07743 Jena, Germany")
    text(40, 90, "VAT DE 287 654 321")
    text(400, 60, "INVOICE", 16, "F2")
    text(400, 78, doc["date"])
    text(40, 130, "Voucher:")
    text(120, 130, doc["number"])
    text(40, 146, "Currency:")
    text(120, 146, "EUR")
    text(40, 162, "Terms of delivery:")
    text(140, 162, "DAP Basel")
    text(40, 200, "Bill to", 10, "F2")
    text(40, 214, "Optik Huber AG")
    text(40, 228, "Bahnhofstrasse 12")
    text(40, 242, "4051 Basel")
    text(40, 256, "Switzerland")
    y = 300
    text(40, y, "Description", 10, "F2")
    text(300, y, "Quantity", 10, "F2")
    text(380, y, "Unit Price", 10, "F2")
    text(480, y, "Amount", 10, "F2")
    for d, q, p, a in doc["lines"]:
        y += 18
        text(40, y, d)
        text(300, y, q)
        text(380, y, p)
        text(480, y, a)
    y += 36
    text(380, y, "Total", 10, "F2")
    text(480, y, doc["total"])
    return "\n".join(ops).encode("latin-1")


def pdf(content):
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {W} {H}] /Contents 4 0 R "
        f"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>".encode(),
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for o in offsets:
        out += f"{o:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, doc in DOCS.items():
        with open(os.path.join(OUT, name + ".pdf"), "wb") as f:
            f.write(pdf(page(doc)))


if __name__ == "__main__":
    main()
