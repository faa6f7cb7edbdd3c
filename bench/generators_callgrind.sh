#!/bin/sh
# Instructions per item of each generator variant in bench/generators.rs, counted by
# callgrind inside the variant's own function only, and the ratio to the hand-written
# enum iterator. Usage: bench/generators_callgrind.sh [items]   (default 100000)
set -eu
cd "$(dirname "$0")/.."
items="${1:-100000}"
bin=$(cargo bench --bench generators --no-run 2>&1 | sed -n 's/.*Executable.*(\(.*\))$/\1/p' | tail -1)
[ -x "$bin" ] || { echo "could not build the bench binary" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
count() {
    valgrind --tool=callgrind --callgrind-out-file="$out/$1" \
        --toggle-collect="*bench_$1*" "$bin" "$1" "$items" >/dev/null 2>"$out/$1.log"
    sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$out/$1"
}
base=$(count by_hand)
printf '%-23s %14s %10s %10s\n' variant instructions per_item vs_by_hand
for v in by_hand resumable genawaiter resumable_stream async_stream \
    by_hand_opaque resumable_opaque genawaiter_opaque resumable_stream_opaque async_stream_opaque; do
    n=$(count "$v")
    awk -v v="$v" -v n="$n" -v b="$base" -v i="$items" \
        'BEGIN { printf "%-23s %14d %10.2f %10.2f\n", v, n, n / i, n / b }'
done
