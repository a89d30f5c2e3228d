#!/usr/bin/env python3
"""pydifact's parse and serialize of one interchange file, timed: the baseline edifact-bench runs beside its own
(`pip install pydifact`). Prints one JSON object: wall and CPU seconds, messages, peak MB."""
import json, sys, time, resource
from pydifact.segmentcollection import Interchange
text = open(sys.argv[1], encoding="latin-1").read()
t0, c0 = time.perf_counter(), time.process_time()
ic = Interchange.from_str(text)
n = sum(1 for _ in ic.get_messages())
t1, c1 = time.perf_counter(), time.process_time()
out = ic.serialize()
t2, c2 = time.perf_counter(), time.process_time()
print(json.dumps({"parse": t1 - t0, "serialize": t2 - t1, "parse_cpu": c1 - c0, "serialize_cpu": c2 - c1, "messages": n,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
