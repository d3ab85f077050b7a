#!/usr/bin/env python3
"""Builds the hostile-cost bundles measured in docs/performance.md, each a sealed copy of a fixture bundle.

usage: tests/perf/make-hostile-cost-bundles.py TARGET_FOLDER [BASE_FIXTURE_FOLDER]

Every bundle verifies (the manifest is rewritten with the new sizes and hashes) except the one whose point is a
manifest of 200,000 absent files. Deterministic: the same bytes on every run.
"""
import hashlib
import json
import os
import shutil
import sys


def seal(folder, extra_records=()):
    with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    files = []
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, folder).replace(os.sep, "/")
            if rel == "manifest.json":
                continue
            with open(path, "rb") as f:
                data = f.read()
            files.append({"path": rel, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    files.sort(key=lambda r: r["path"])
    manifest["files"] = files + list(extra_records)
    with open(os.path.join(folder, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)


def copy(base, target):
    if os.path.exists(target):
        shutil.rmtree(target)
    shutil.copytree(base, target)
    return target


def csrss_rows(base, target, count):
    folder = copy(base, os.path.join(target, f"csrss-{count}"))
    with open(os.path.join(folder, "processes.csv"), "a", encoding="utf-8", newline="") as f:
        for i in range(count):
            path = f"C:\\Users\\Public\\x{i}\\csrss.exe"
            f.write(f"{20000 + i * 4},3120,csrss.exe,{path},{path},2026-11-20T07:04:10Z,1,CORP\\alice,1,0,4096\n")
    seal(folder)


def file_rows(base, target, count):
    folder = copy(base, os.path.join(target, f"files-{count}"))
    with open(os.path.join(folder, "files.csv"), "a", encoding="utf-8", newline="") as f:
        for i in range(count):
            digest = hashlib.sha256(str(i).encode()).hexdigest()
            f.write(f"C:\\Users\\Public\\f{i}\\csrss.exe,4096,{digest},2026-11-19T10:00:00Z,2026-11-19T10:00:00Z,"
                    "NotSigned,None,,,,,,same-name,\n")
    seal(folder)


def run_entries(base, target, count):
    folder = copy(base, os.path.join(target, f"autoruns-{count}"))
    entries = [{"kind": "RunKey",
                "location": "HKU\\S-1-5-21-1-2-3-1002\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
                "name": f"Updater {i}",
                "command": f"\"C:\\Users\\alice\\AppData\\Local\\u{i}\\upd.exe\" --run {i}",
                "user": "CORP\\alice"} for i in range(count)]
    with open(os.path.join(folder, "autoruns.json"), "w", encoding="utf-8") as f:
        json.dump({"entries": entries}, f, indent=2)
    seal(folder)


def absent_records(base, target, count):
    folder = copy(base, os.path.join(target, f"manifest-{count}"))
    seal(folder, ({"path": f"binaries/gone{i:06d}.bin", "size": 1, "sha256": "0" * 64} for i in range(count)))


def main():
    target = sys.argv[1]
    base = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures", "bundles", "fake-cpu-siblings")
    csrss_rows(base, target, 8000)
    file_rows(base, target, 5000)
    run_entries(base, target, 20000)
    absent_records(base, target, 200000)


if __name__ == "__main__":
    main()
