#!/bin/sh
# Regenerates the golden outputs on purpose: only in the same commit as a model change that alters
# them, saying so in the message. Usage: test/golden/make.sh [scenario...]  (default: the catalog).
set -eu
cd "$(dirname "$0")/../.."
npm run build >/dev/null
names="$*"
if [ -z "$names" ]; then
  names=$(ls scenarios/catalog/*.yaml | sed 's#.*/##; s#\.yaml$##')
fi
for name in $names; do
  for seed in 1 7; do
    node dist/cli/main.js sim "$name" --seed "$seed" --json --no-history >"test/golden/$name.seed$seed.json"
  done
  echo "golden: $name"
done
