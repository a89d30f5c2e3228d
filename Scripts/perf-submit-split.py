#!/usr/bin/env python3
"""Where `Hub.submit`'s CPU goes, from a `perf record` of `pipeline-bench`.

The bench's accounting subtracts the engines and the commit, each timed in loops of their own, from
`submit`'s CPU. This script reads the samples taken while the submit loops ran and splits them by
what was on the stack: an engine, the store's commit (GRDB/SQLite, on any thread), or the pipeline's
own code (evaluate's glue, `Hub.newOrder`, the rest of `submit`). Set beside the engines' and the
commit's own loops, it tells apart the pipeline's code from the engines and the commit costing more
inside `submit` than in their loops.

    perf record -F 1999 --call-graph=fp -o perf.data .build/release/pipeline-bench 1500 --rounds 5
    perf script -i perf.data -F comm,tid,time,ip,sym --no-demangle > perf.txt
    Scripts/perf-submit-split.py perf.txt 1500      # orders in the measured rounds (the warm-up is too short to count as a loop)

Samples are assigned to a submit loop by time: loops are the spans of samples with `Hub.submit` on
the stack (gaps under 50 ms joined). Frames that libxml2, SQLite and malloc leave without frame
pointers break some stacks; those samples are counted by thread ("unattributed").
"""
import collections
import subprocess
import sys

ENGINES = [('validate', 'OrderValidator.check('), ('classify', 'Classifier.classify('),
           ('screen', 'ScreeningService.screenOrder('), ('risk', 'RiskAssessor.assess('),
           ('quote', 'QuoteEngine.quote('), ('render', 'AdapterCatalog.render('), ('order JSON', 'Order.jsonValue')]
STORE = ['GroupCommit', 'SQLiteStore', 'GRDB', 'sqlite3', 'inTransaction']


def read(path):
    samples, current = [], None
    for line in open(path, errors='replace'):
        if not line.strip():
            if current is not None:
                samples.append(current)
            current = None
        elif not line.startswith('\t'):
            fields = line.split()
            current = {'tid': fields[-2], 'time': float(fields[-1].rstrip(':')), 'frames': []}
        else:
            parts = line.strip().split(None, 1)
            current['frames'].append(parts[1] if len(parts) > 1 else '?')
    if current is not None:
        samples.append(current)
    names = sorted({f for s in samples for f in s['frames']})
    demangled = subprocess.run(['swift', 'demangle', '--simplified'], input='\n'.join(names),
                               capture_output=True, text=True, check=True).stdout.split('\n')
    table = dict(zip(names, demangled))
    for s in samples:
        s['frames'] = [table.get(f, f) for f in s['frames']]
    return samples


def category(frames):
    has = lambda key: any(key in f for f in frames)
    for f in frames:
        for name, key in ENGINES:
            if key in f:
                return 'engine: ' + name
    if any(has(k) for k in STORE):
        return 'store: commit'
    if not has('Hub.submit('):
        return 'bench' if has('run()') else None
    if has('Hub.newOrder'):
        return 'pipeline: Hub.newOrder (records, JSON texts, references)'
    if has('Pipeline.evaluate'):
        return "pipeline: evaluate's own work"
    if has('reserveReferences'):
        return 'pipeline: reference numbers'
    return "pipeline: the rest of submit (the evaluation freed, stage timers)"


def windows(samples, member, gap=0.05, shortest=0.3):
    """Spans of time in which samples for which `member` holds follow each other (a loop)."""
    spans = []
    for t in sorted(s['time'] for s in samples if member(s)):
        if spans and t - spans[-1][1] < gap:
            spans[-1][1] = t
        else:
            spans.append([t, t])
    return [w for w in spans if w[1] - w[0] > shortest]


def split(samples, spans):
    """Samples inside `spans` counted by category. A sample whose stack was cut: libxml2's and
    SQLite's own frames name their engine; the rest goes by its thread, when that thread's samples
    are mostly the store's (GRDB's writer queue)."""
    inside = [s for s in samples if any(a <= s['time'] <= b for a, b in spans)]
    by_thread = collections.defaultdict(collections.Counter)
    for s in inside:
        by_thread[s['tid']][(category(s['frames']) or '').split(':')[0]] += 1
    writers = {t for t, c in by_thread.items() if c['store'] > sum(v for k, v in c.items() if k not in ('store', ''))}
    counts = collections.Counter()
    for s in inside:
        c = category(s['frames'])
        if c is None:
            leaf = s['frames'][0] if s['frames'] else ''
            if leaf.startswith('xml'):
                c = 'engine: render (libxml2, stack cut)'
            elif leaf.startswith('sqlite3') or s['tid'] in writers:
                c = 'store: commit (stack cut, or the writer thread)'
            else:
                c = 'unattributed (malloc, kernel, runtime; stack cut)'
        counts[c] += 1
    return counts


def main():
    samples = read(sys.argv[1])
    orders = int(sys.argv[2])
    rate = 1999.0
    has = lambda s, key: any(key in f for f in s['frames'])
    submit = windows(samples, lambda s: has(s, 'Hub.submit('))
    # The engines' loop: engine frames under the bench's own closures, no submit and no store
    # anywhere in the span (the loop of engines and commit together has store samples in its span;
    # the engines alone, and the warm-up's, run before the store's first commit).
    first_store = min((s['time'] for s in samples if (category(s['frames']) or '').startswith('store')), default=0)
    engine_spans = windows(samples, lambda s: s['time'] > first_store and not has(s, 'Hub.submit(') and not has(s, 'Pipeline.evaluate')
                           and any(key in f for f in s['frames'] for _, key in ENGINES), gap=0.02)
    engine_spans = [w for w in engine_spans if not any(w[0] <= s['time'] <= w[1] and category(s['frames']) and
                                                       category(s['frames']).startswith('store') for s in samples)]
    a, b = split(samples, submit), split(samples, engine_spans)
    na = sum(v for k, v in a.items() if k != 'bench')
    nb = sum(v for k, v in b.items() if k != 'bench')
    per = lambda v: 1000.0 * v / rate / orders
    print('submit loops: %d spans, %.2f s; engines-in-sequence loops: %d spans, %.2f s' %
          (len(submit), sum(y - x for x, y in submit), len(engine_spans), sum(y - x for x, y in engine_spans)))
    print('| samples (%d orders in each loop kind; bench work left out) | submit: samples | share | ms per order | engines in sequence: ms per order |' % orders)
    print('| --- | --- | --- | --- | --- |')
    for k, v in sorted(a.items(), key=lambda kv: -kv[1]):
        if k == 'bench':
            continue
        print('| %s | %d | %.1f %% | %.3f | %s |' % (k, v, 100.0 * v / na, per(v), ('%.3f' % per(b[k])) if b[k] else '—'))
    print('| total | %d | 100 %% | %.3f | %.3f |' % (na, per(na), per(nb)))


if __name__ == '__main__':
    main()
