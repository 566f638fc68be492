#!/bin/sh
# The quick start's run command. Until live capture and the rules engine
# exist, it replays a sample capture through harrier-inspect.
set -e
cd "$(dirname "$0")/.."
sample=../shared/conformance/traces/cat_write.scap
echo "harrier-inspect -r $sample (first 40 events)" >&2
exec build/harrier-inspect -r "$sample" -n 40
