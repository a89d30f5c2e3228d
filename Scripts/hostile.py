#!/usr/bin/env python3
"""Replays Fixtures/hostile/cases.tsv against a customs-hub binary: one line per input with the exit
code, wall time, CPU time and peak memory of the process (getrusage of the child), and whether the
door refused or answered within the budget (2 s, 256 MB) with an allowed exit code. The doors run
over a scratch data folder in which `customs-hub data index` first builds the screening index, as
installing or updating the lists does; that set-up line is printed first, with its own cost.

    python3 Scripts/hostile.py BINARY [CASE-ID-PREFIX...]

Exit status 0 when every case is within budget and exits as allowed, 1 otherwise."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import hostile_inputs  # noqa: E402

BUDGET_SECONDS = 2.0
BUDGET_BYTES = 256 << 20


def cases():
    with open(os.path.join(ROOT, "Fixtures/hostile/cases.tsv")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cid, finding, allowed, stdin, args = line.rstrip("\n").split("\t")
            yield cid, finding, {int(x) for x in allowed.split(",")}, stdin, args


def content_folder(tmp, name, gen):
    """A scratch content root: the repo's content, plus one hostile mapping or adapter file."""
    folder = tempfile.mkdtemp(dir=tmp, prefix="content-")
    for part in ("Mappings", "Adapters"):
        shutil.copytree(os.path.join(ROOT, part), os.path.join(folder, part))
    for part in ("Schemas", "Data"):
        os.symlink(os.path.join(ROOT, part), os.path.join(folder, part))
    source = os.path.join(gen, name[4:]) if name.startswith("gen:") else os.path.join(ROOT, "Fixtures/hostile/inputs", name)
    kind = "Adapters" if os.path.basename(source).startswith("adapter-") else "Mappings/hostile"
    os.makedirs(os.path.join(folder, kind), exist_ok=True)
    shutil.copy(source, os.path.join(folder, kind, os.path.basename(source)))
    return folder


def expand(word, tmp, gen):
    out = word.replace("{tmp}", tmp)
    if out.startswith("{in:"):
        return os.path.join(ROOT, "Fixtures/hostile/inputs", out[4:-1])
    if out.startswith("{gen:"):
        return os.path.join(gen, out[5:-1])
    if out.startswith("{content:"):
        return content_folder(tmp, out[9:-1], gen)
    return out


def run(binary, args, stdin, tmp, gen):
    argv = [binary] + [expand(w, tmp, gen) for w in args.split(" ")]
    if stdin == "closed":
        stdin_file = None
        close = True
    elif stdin == "zero":
        stdin_file, close = open("/dev/zero", "rb"), False
    elif stdin == "-":
        stdin_file, close = subprocess.DEVNULL, False
    else:
        stdin_file, close = open(expand(stdin, tmp, gen), "rb"), False
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(ROOT)
            if close:
                os.close(0)
            elif stdin_file is subprocess.DEVNULL:
                fd = os.open(os.devnull, os.O_RDONLY)
                os.dup2(fd, 0)
            else:
                os.dup2(stdin_file.fileno(), 0)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            err = os.open(os.path.join(tmp, "stderr.txt"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(err, 2)
            # A hard ceiling so a regression cannot take the machine: 30 s of CPU, 2 GB of memory.
            import resource
            resource.setrlimit(resource.RLIMIT_CPU, (30, 30))
            resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
            os.execv(binary, argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    with open(os.path.join(tmp, "stderr.txt"), errors="replace") as f:
        first = f.readline().strip()
    return code, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, first


def main():
    binary = os.path.abspath(sys.argv[1])
    only = sys.argv[2:]
    tmp = tempfile.mkdtemp(prefix="customshub-hostile-")
    gen = os.path.join(tmp, "gen")
    hostile_inputs.main(gen)
    # The EDIFACT JSON tree with UTF-8 under UNOA, made with the binary itself.
    tree = subprocess.run([binary, "edifact", "parse", os.path.join(ROOT, "Fixtures/hostile/inputs/edifact-write-utf8-under-unoa.edi")],
                          capture_output=True, cwd=ROOT).stdout.decode()
    with open(os.path.join(gen, "edifact-write-utf8-under-unoa.json"), "w") as f:
        f.write(tree.replace('"UNOC"', '"UNOA"'))
    failed = 0
    print("%-32s %-7s %4s %8s %8s %9s  %s" % ("case", "finding", "exit", "wall s", "cpu s", "peak MB", "verdict / first stderr line"))
    # A scratch data folder, prepared as installing customs-hub prepares it: `data index` builds the
    # screening index there once (its cost is the set-up's, printed here, not a door's).
    os.environ["CUSTOMS_HUB_DATA"] = os.path.join(tmp, "data")
    code, wall, cpu, peak, first = run(binary, "data index", "-", tmp, gen)
    failed += code != 0
    print("%-32s %-7s %4d %8.3f %8.3f %9.1f  %s  %s" % ("set-up: data index", "-", code, wall, cpu, peak / 1048576,
                                                        "set-up (not a door)" if code == 0 else "FAIL (allowed 0)", first[:110]))
    for cid, finding, allowed, stdin, args in cases():
        if only and not any(cid.startswith(p) for p in only):
            continue
        code, wall, cpu, peak, first = run(binary, args, stdin, tmp, gen)
        ok = code in allowed and wall <= BUDGET_SECONDS and peak <= BUDGET_BYTES
        failed += not ok
        verdict = "ok" if ok else "FAIL (allowed %s)" % ",".join(map(str, sorted(allowed)))
        print("%-32s %-7s %4d %8.3f %8.3f %9.1f  %s  %s" % (cid, finding, code, wall, cpu, peak / 1048576, verdict, first[:110]))
    shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
