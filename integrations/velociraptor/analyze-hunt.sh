#!/usr/bin/env bash
# Server-side companion of Custom.Windows.CsrssForensics.Collect: analyses every bundle a hunt uploaded into one case.
#   analyze-hunt.sh HUNT_EXPORT_DIR CASE_DIR [csrss-forensics binary]
# HUNT_EXPORT_DIR is the hunt's downloaded results (unzipped) or the server's datastore folder of the hunt's clients;
# every csrss-bundle-*.zip under it is analysed into CASE_DIR/<bundle name>/, then the ECS events and Timesketch rows of
# all hosts are concatenated into CASE_DIR/events.jsonl and CASE_DIR/timeline.jsonl for Elastic and Timesketch.
# Exit code: 0 when every bundle was analysed (whatever the verdicts), 1 when a bundle could not be analysed.
set -uo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 HUNT_EXPORT_DIR CASE_DIR [csrss-forensics binary]" >&2
  exit 64
fi
export_dir=$1
case_dir=$2
tool=${3:-csrss-forensics}

mkdir -p "$case_dir"
: > "$case_dir/events.jsonl"
: > "$case_dir/timeline.jsonl"
failed=0
count=0
# Sorted, NUL-separated: client folder names come from the endpoints and may hold any character.
while IFS= read -r -d '' bundle; do
  name=$(basename "$bundle" .zip)
  out="$case_dir/$name"
  count=$((count + 1))
  "$tool" analyze "$bundle" --out "$out" --format md,html,json,csv,jsonl,timesketch --force --quiet
  status=$?
  # Exit codes 0-3 are verdicts (docs/exit-codes.md); anything else means the bundle was not analysed.
  if [ "$status" -gt 3 ]; then
    echo "analyze-hunt: $bundle could not be analysed (exit $status)" >&2
    failed=1
    continue
  fi
  cat "$out/report.jsonl" >> "$case_dir/events.jsonl"
  cat "$out/report.timesketch.jsonl" >> "$case_dir/timeline.jsonl"
done < <(find "$export_dir" -type f -name 'csrss-bundle-*.zip' -print0 | sort -z)

echo "analyze-hunt: $count bundle(s) analysed into $case_dir (events.jsonl, timeline.jsonl)"
exit "$failed"
