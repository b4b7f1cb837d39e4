#!/usr/bin/env bash
# bench/cacheprog-overhead.sh: what 'goforge cacheprog' (local tier only)
# costs on a warm build against the go command's own cache, in one run, as
# a ratio. Goal: under 10% more CPU.
#
# Both caches are filled first (untimed); then N alternating pairs of warm
# builds run: plain GOCACHE, then GOCACHEPROG="goforge cacheprog --dir D".
# CPU is user+sys of the go command AND every process it started, counted
# by bench/rusage, a child subreaper: the go command never waits for its
# cache program, so /usr/bin/time leaves the program's CPU out.
# The reported numbers are the medians of the N runs of each side.
#
# The module built is a snapshot of this repository's HEAD (./cmd/goforge,
# about 1,400 cache gets), so editing the tree does not disturb the run.
#
# Usage: bench/cacheprog-overhead.sh [N]   (default 9; writes
#        bench/out/cacheprog-overhead-results.txt)
# Env:   KEEP=1 reuses the filled caches of the last run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=${1:-9}
OUT=$ROOT/bench/out/cacheprog-overhead
export CGO_ENABLED=0 GOFLAGS=-trimpath GOTOOLCHAIN=local
unset GOCACHEPROG GOFORGE_CACHE_REMOTE

if [ "${KEEP:-0}" != 1 ]; then
	rm -rf "$OUT" && mkdir -p "$OUT/src"
	git archive HEAD | tar -x -C "$OUT/src"
fi
mkdir -p "$OUT/bin"
go build -o "$OUT/goforge" ./cmd/goforge
go build -o "$OUT/rusage" ./bench/rusage
cd "$OUT/src"

PROG="$OUT/goforge cacheprog --dir $OUT/prog-dir --quiet"
gocache() { env GOCACHE="$OUT/gocache" go build -o "$OUT/bin/a" ./cmd/goforge; }
cacheprog() { env GOCACHE="$OUT/gocache-prog" GOCACHEPROG="$PROG" go build -o "$OUT/bin/b" ./cmd/goforge; }
export -f gocache cacheprog
export OUT PROG

if [ "${KEEP:-0}" != 1 ] || [ ! -d "$OUT/prog-dir" ]; then
	echo "filling both caches (two cold builds)..." >&2
	gocache && cacheprog
	gocache && cacheprog
fi
GETS=$(env GOCACHE="$OUT/gocache-prog" GOCACHEPROG="$PROG --stats-file $OUT/stats.json" go build -o "$OUT/bin/b" ./cmd/goforge && grep -o '"gets":[0-9]*' "$OUT/stats.json" | tail -1 | cut -d: -f2)

: >"$OUT/gocache.times"
: >"$OUT/cacheprog.times"
: >"$OUT/prog.cpu"
# In the timed runs /usr/bin/time (which waits for its child) also records
# the cache program's own CPU, to split the overhead between it and the go
# command's side of the protocol.
[ -x /usr/bin/time ] && PROG="/usr/bin/time -a -o $OUT/prog.cpu -f %U+%S $PROG"
for i in $(seq "$N"); do
	for side in gocache cacheprog; do
		"$OUT/rusage" -o "$OUT/one.time" bash -c "$side" || { echo "$side failed"; exit 1; }
		cat "$OUT/one.time" >>"$OUT/$side.times"
	done
done

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
col() { awk -v c="$2" '{print (c=="cpu") ? $2+$3 : $1}' "$OUT/$1.times" | median; }
{
	echo "# cacheprog overhead, $(date -u +%FT%TZ), $(go version | cut -d' ' -f3), $(nproc) cores, $N alternating pairs, $GETS gets a build"
	echo "# load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
	gw=$(col gocache wall) gc=$(col gocache cpu) pw=$(col cacheprog wall) pc=$(col cacheprog cpu)
	printf 'go cache, warm:          %6.3fs wall %6.3fs CPU (median)\n' "$gw" "$gc"
	printf 'cacheprog local, warm:   %6.3fs wall %6.3fs CPU (median)\n' "$pw" "$pc"
	printf 'overhead: CPU %+.1f%%, wall %+.1f%% (goal: CPU under +10%%)\n' \
		"$(echo "100 * ($pc - $gc) / $gc" | bc -l)" "$(echo "100 * ($pw - $gw) / $gw" | bc -l)"
	if [ -s "$OUT/prog.cpu" ]; then
		own=$(bc <"$OUT/prog.cpu" | median)
		printf 'of which the cache program itself: %.3fs CPU (median, %+.1f%% of the go cache run); the go command'"'"'s side of the protocol: %+.1f%%\n' \
			"$own" "$(echo "100 * $own / $gc" | bc -l)" "$(echo "100 * ($pc - $own - $gc) / $gc" | bc -l)"
	fi
	echo "all runs (wall user sys), go cache:";  sed 's/^/  /' "$OUT/gocache.times"
	echo "all runs (wall user sys), cacheprog:"; sed 's/^/  /' "$OUT/cacheprog.times"
} | tee "$ROOT/bench/out/cacheprog-overhead-results.txt"
