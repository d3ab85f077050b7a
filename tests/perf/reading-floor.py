#!/usr/bin/env python3
"""Issue 13's reading floor as a plain script: the least any analyzer of a bundle must do.

Every file is SHA-256'd (the manifest check needs that much), every CSV row is split into cells with the csv module,
every XML file is parsed into a tree and every JSON part is parsed; nothing is kept and nothing is judged.
`csrss-forensics bench analyze --floor-script tests/perf/reading-floor.py` runs it beside the built-in floor
(`bench floor`, the same work in C#) and prints the analysis time as a ratio to both.

Usage: reading-floor.py BUNDLE_FOLDER
"""
import csv
import hashlib
import io
import json
import os
import sys
import xml.etree.ElementTree as ElementTree


def main(bundle: str) -> None:
    files = size = rows = xml_documents = json_documents = 0
    for folder, _, names in os.walk(bundle):
        for name in sorted(names):
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                data = handle.read()
            files += 1
            size += len(data)
            hashlib.sha256(data).digest()
            lower = name.lower()
            if lower.endswith(".csv"):
                text = io.StringIO(data.decode("utf-8-sig", errors="replace"), newline="")
                rows += sum(1 for _ in csv.reader(text))
            elif lower.endswith(".xml"):
                ElementTree.fromstring(data)
                xml_documents += 1
            elif lower.endswith(".json"):
                json.loads(data.decode("utf-8-sig"))
                json_documents += 1
    print(f"script floor: {files} files, {size} bytes, {rows} CSV rows, {xml_documents} XML, {json_documents} JSON")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: reading-floor.py BUNDLE_FOLDER")
    main(sys.argv[1])
