#!/usr/bin/env python3
"""Writes Sources/CustomsModel/ISOTables.swift from the Debian iso-codes tables in Scripts/iso-codes.

The inputs are the iso-codes package's own JSON files (see Scripts/iso-codes/SOURCES.md), copied so
that the table can be regenerated and reviewed on any machine:

    python3 Scripts/generate-iso-tables.py            # rewrite the Swift file
    python3 Scripts/generate-iso-tables.py --check    # exit 1 if the committed file differs

What iso-codes does not carry is written here, with its source: ISO 4217 minor units (the list kept by
SIX, the maintenance agency) and the two currencies the 4.15.0 release predates.
"""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ROOT / "Scripts" / "iso-codes"
OUTPUT = ROOT / "Sources" / "CustomsModel" / "ISOTables.swift"

# ISO 4217 minor-unit digits that are not 2 (SIX's list); None for funds, metals and testing codes.
MINOR_UNITS = {
    **{code: 0 for code in "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split()},
    **{code: 3 for code in "BHD IQD JOD KWD LYD OMR TND".split()},
    **{code: 4 for code in "CLF UYW".split()},
    **{code: None for code in "XAG XAU XBA XBB XBC XBD XDR XPD XPT XSU XTS XUA XXX".split()},
}
# Currencies newer than iso-codes 4.15.0: the Caribbean guilder (2025) and Zimbabwe Gold (2024).
ADDED_CURRENCIES = [("XCG", "532", "Caribbean guilder"), ("ZWG", "924", "Zimbabwe Gold")]


def load(name, key):
    with open(INPUTS / name, encoding="utf-8") as f:
        return json.load(f)[key]


def swift_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render():
    out = [
        "// Written by Scripts/generate-iso-tables.py from the Debian iso-codes tables in Scripts/iso-codes",
        "// (ISO 3166-1, ISO 3166-2, ISO 4217); minor units from the ISO 4217 list. See ISO-SOURCES.md.",
        "// Do not edit by hand: change the generator or its inputs and run it again.",
        "",
        "enum ISOTables {",
        "    /// alpha-2, alpha-3, numeric, English short name.",
        "    static let countries: [(String, String, String, String)] = [",
    ]
    for c in load("iso_3166-1.json", "3166-1"):
        out.append(f'        ({swift_string(c["alpha_2"])}, {swift_string(c["alpha_3"])}, {swift_string(c["numeric"])}, {swift_string(c["name"])}),')
    out += [
        "    ]",
        "",
        "    /// code, numeric, name, minor-unit digits (nil where ISO 4217 says N.A.).",
        "    static let currencies: [(String, String, String, Int?)] = [",
    ]
    currencies = [(c["alpha_3"], c["numeric"], c["name"]) for c in load("iso_4217.json", "4217")] + ADDED_CURRENCIES
    for code, numeric, name in sorted(currencies):
        digits = MINOR_UNITS.get(code, 2)
        out.append(f'        ({swift_string(code)}, {swift_string(numeric)}, {swift_string(name)}, {"nil" if digits is None else digits}),')
    out += [
        "    ]",
        "",
        "    /// ISO 3166-2 subdivision codes, space separated.",
        '    static let subdivisions = """',
    ]
    codes = sorted(s["code"] for s in load("iso_3166-2.json", "3166-2"))
    line = ""
    for code in codes:
        # Lines of at most 120 characters: 8 of indent, the codes, and " \" to continue.
        if line and 8 + len(line) + 1 + len(code) + 2 > 120:
            out.append("        " + line + " \\")
            line = code
        else:
            line = code if not line else line + " " + code
    out.append("        " + line)
    out += ['        """', "}", ""]
    return "\n".join(out)


def main():
    text = render()
    if "--check" in sys.argv[1:]:
        if OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT.relative_to(ROOT)} differs from what Scripts/generate-iso-tables.py writes", file=sys.stderr)
            return 1
        print(f"{OUTPUT.relative_to(ROOT)} is what the generator writes")
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
