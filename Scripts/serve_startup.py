#!/usr/bin/env python3
"""How long `customs-hub serve --demo` takes to be live and ready on a fresh data folder.

Usage: Scripts/serve_startup.py BIN [--runs N] [--keep-data]

Each run starts BIN with a new empty CUSTOMS_HUB_DATA (so a first start: no classifier model,
no screening index) and a new SQLite file, from the current directory (the content folder is
found from there, as the binary finds it), and polls `GET /livez`, `GET /healthz` and
`GET /readyz` every 50 ms. It prints, per run, the seconds from the process start to its first
HTTP answer (any status: it listens), to the first 200 of `/healthz` and of `/readyz`, the
first `/readyz` answer while not ready, and the process's CPU seconds (user + system) when it
is stopped. The trained-model cache is whatever CUSTOMS_HUB_CACHE says (set it to a new empty
folder, or `off`, for a first start with nothing cached). With --keep-data the second and later
runs reuse the first run's data folder (a warm start: the model and index saved by the first).
"""
import json, os, resource, shutil, socket, subprocess, sys, tempfile, time, urllib.error, urllib.request

def get(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), dict(e.headers)
    except Exception:
        return 0, '', {}

def one_run(binary, data):
    s = socket.socket(); s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]; s.close()
    scratch = tempfile.mkdtemp(prefix='serve-startup-')
    env = dict(os.environ, CUSTOMS_HUB_DATA=data, CUSTOMS_HUB_DEMO_KEY='startup-key')
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    proc = subprocess.Popen([binary, 'serve', '--demo', '--demo-orders', '0', '--port', str(port),
                             '--db', os.path.join(scratch, 'hub.sqlite')],
                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(scratch, 'err.log'), 'w'), env=env)
    base = f'http://127.0.0.1:{port}'
    answers = healthy = ready = None
    first_unready = None
    try:
        while ready is None and time.monotonic() - start < 600:
            if proc.poll() is not None:
                raise SystemExit('serve exited %s: %s' % (proc.returncode, open(os.path.join(scratch, 'err.log')).read()[-600:]))
            if answers is None and get(base + '/livez')[0]: answers = time.monotonic() - start
            if healthy is None:
                status, _, _ = get(base + '/healthz')
                if status == 200: healthy = time.monotonic() - start
            status, body, headers = get(base + '/readyz')
            if status == 200:
                ready = time.monotonic() - start
            elif status and first_unready is None:
                first_unready = (status, body, headers.get('Retry-After'))
            time.sleep(0.05)
    finally:
        proc.terminate()
        proc.wait(30)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    shutil.rmtree(scratch, ignore_errors=True)
    return answers, healthy, ready, cpu, first_unready

def main():
    args = sys.argv[1:]
    if not args or args[0].startswith('-'):
        print(__doc__.strip(), file=sys.stderr); sys.exit(2)
    binary = os.path.abspath(args[0])
    runs = int(args[args.index('--runs') + 1]) if '--runs' in args else 1
    keep = '--keep-data' in args
    print('load average: %.2f %.2f %.2f' % os.getloadavg())
    shared = tempfile.mkdtemp(prefix='serve-startup-data-') if keep else None
    try:
        for n in range(runs):
            data = shared or tempfile.mkdtemp(prefix='serve-startup-data-')
            try:
                answers, healthy, ready, cpu, unready = one_run(binary, data)
            finally:
                if not keep: shutil.rmtree(data, ignore_errors=True)
            kind = 'warm' if keep and n > 0 else 'fresh'
            seconds = lambda t: 'never' if t is None else f'{t:.2f} s'
            print(f'run {n + 1} ({kind} data folder): answers {seconds(answers)}, healthy {seconds(healthy)}, ready {seconds(ready)}, CPU {cpu:.1f} s')
            if unready:
                status, body, retry = unready
                print(f'  while not ready: /readyz {status}' + (f', Retry-After {retry}' if retry else '') + f': {body[:300]}')
    finally:
        if shared: shutil.rmtree(shared, ignore_errors=True)
    print('load average: %.2f %.2f %.2f' % os.getloadavg())

main()
