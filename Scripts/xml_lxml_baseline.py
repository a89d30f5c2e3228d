#!/usr/bin/env python3
"""lxml's parse and XSD validation of the same documents, best of N passes: the baseline xml-bench runs beside
SecureXML (`pip install lxml`). Arguments: a folder of documents, the XSD, the number of passes."""
import sys, os, time, json
from lxml import etree
d, xsd, passes = sys.argv[1], sys.argv[2], int(sys.argv[3])
docs = [open(os.path.join(d, f), 'rb').read() for f in sorted(os.listdir(d))]
parser = etree.XMLParser(resolve_entities=False, no_network=True)
schema = etree.XMLSchema(etree.parse(xsd))
def best(fn):
    b = 1e9
    for _ in range(passes):
        t = time.perf_counter(); fn(); b = min(b, time.perf_counter() - t)
    return b
p = best(lambda: [etree.fromstring(x, parser) for x in docs])
v = best(lambda: [schema.validate(etree.fromstring(x, parser)) for x in docs])
ok = all(schema.validate(etree.fromstring(x, parser)) for x in docs[:3])
print(json.dumps({"parse": p, "validate": v, "ok": ok, "libxml2": ".".join(map(str, etree.LIBXML_VERSION))}))
