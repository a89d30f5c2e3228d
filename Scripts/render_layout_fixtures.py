#!/usr/bin/env python3
"""Renders the layout fixtures (Fixtures/documents/layouts) from the HTML documents beside them.

The generated fixtures (generate_document_fixtures.py) vary numbers, fonts and scan damage over a
few drawn layouts. These are invoices and packing lists written by hand in HTML the way shops, ERPs and small
exporters lay them out (a letterhead line with the address, labels inside a line, blocks side by
side, centred headers over left-aligned cells, cells that wrap), printed by a browser, so that the
reader is checked on layouts it was not drawn from. For every html/ID.html this writes
  layouts/text/ID.pdf    the page as Chromium prints it (a text PDF),
  layouts/scans/ID.EXT   the same page degraded as a scan (generate_document_fixtures.degrade:
                         100-150 DPI, rotated, noisy; PNG, JPEG, TIFF or an image-only PDF).
layouts/expected/ID.json is written by hand from the HTML, never from what the reader reads.

The output is committed; tests and benchmarks never run this script. It needs chromium, pdftoppm,
pdfinfo and Pillow. Usage: python3 Scripts/render_layout_fixtures.py [ID ...]
"""
import importlib.util
import os
import random
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE = os.path.join(ROOT, "Fixtures", "documents", "layouts")


def generator():
    spec = importlib.util.spec_from_file_location("generate_document_fixtures", os.path.join(ROOT, "Scripts", "generate_document_fixtures.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def page_count(pdf):
    info = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def main():
    only = set(sys.argv[1:])
    degrade = generator().degrade
    for sub in ("text", "scans"):
        os.makedirs(os.path.join(BASE, sub), exist_ok=True)
    formats = ["png", "jpg", "tif", "pdf"]
    for k, name in enumerate(sorted(os.listdir(os.path.join(BASE, "html")))):
        doc_id = name.rsplit(".", 1)[0]
        if only and doc_id not in only:
            continue
        pdf = os.path.join(BASE, "text", doc_id + ".pdf")
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        "--print-to-pdf=" + pdf, os.path.join(BASE, "html", name)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        rng = random.Random(doc_id)
        scan = {"dpi": rng.choice([100, 120, 150]), "rotate": round(rng.uniform(-1.5, 1.5), 1),
                "noise": rng.choice([0.01, 0.02, 0.03]), "format": formats[k % len(formats)]}
        # PNG, JPEG and TIFF hold one page here: a longer document is scanned to an image-only PDF.
        if page_count(pdf) > 1:
            scan["format"] = "pdf"
        for old in os.listdir(os.path.join(BASE, "scans")):
            if old.rsplit(".", 1)[0] == doc_id:
                os.remove(os.path.join(BASE, "scans", old))
        out = degrade(pdf, {"id": doc_id, "scan": scan}, os.path.join(BASE, "scans", doc_id))
        print(f"{doc_id}: {os.path.getsize(pdf)} B pdf, {os.path.getsize(out)} B {os.path.basename(out)} {scan}")


if __name__ == "__main__":
    main()
