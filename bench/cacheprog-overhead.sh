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
# Two workloads (WORKLOAD=):
#   release  the 10-target release of mvdan.cc/gofumpt (bench/build.sh's
#            module, targets and flags), each target built into a new
#            directory: what a warm CI release job does (ten go commands,
#            ten cache programs, every binary linked again).
#   nolink   (default) this repository's HEAD, ./cmd/goforge, into an
#            output that is already up to date: about 1,400 cache gets and
#            nothing else, the worst case for a cache program (no compile,
#            no link to hide its cost behind).
#
# Usage: bench/cacheprog-overhead.sh [N]   (default 9; writes
#        bench/out/cacheprog-overhead[-release]-results.txt)
# Env:   KEEP=1 reuses the filled caches of the last run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=${1:-9}
WORKLOAD=${WORKLOAD:-nolink}
OUT=$ROOT/bench/out/cacheprog-overhead
RESULTS=$ROOT/bench/out/cacheprog-overhead-results.txt
export CGO_ENABLED=0 GOFLAGS=-trimpath GOTOOLCHAIN=local
unset GOCACHEPROG GOFORGE_CACHE_REMOTE
case $WORKLOAD in
nolink) ;;
release)
	OUT=$OUT-release RESULTS=${RESULTS%-results.txt}-release-results.txt
	PROGRAM=${PROGRAM:-mvdan.cc/gofumpt@v0.9.2}
	TARGETS="linux/amd64 linux/arm64 linux/arm linux/386 linux/riscv64 linux/ppc64le darwin/amd64 darwin/arm64 windows/amd64 windows/arm64"
	export GOFLAGS="-trimpath -mod=mod" TARGETS ;;
*) echo "WORKLOAD must be nolink or release" >&2; exit 2 ;;
esac

if [ "${KEEP:-0}" != 1 ]; then
	rm -rf "$OUT" && mkdir -p "$OUT/src"
	if [ "$WORKLOAD" = release ]; then
		dir=$(go mod download -json "$PROGRAM" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
		cp -r "$dir/." "$OUT/src" && chmod -R u+w "$OUT/src"
		(cd "$OUT/src" && go mod download && git init -q && git add -A &&
			git -c user.email=b@x -c user.name=bench commit -qm bench)
	else
		git archive HEAD | tar -x -C "$OUT/src"
	fi
fi
mkdir -p "$OUT/bin"
go build -o "$OUT/goforge" ./cmd/goforge
go build -o "$OUT/rusage" ./bench/rusage
cd "$OUT/src"

PROG="$OUT/goforge cacheprog --dir $OUT/prog-dir --quiet"
if [ "$WORKLOAD" = release ]; then
	# build DIR: every target into a new directory, one go command each.
	build() {
		rm -rf "$1" && mkdir -p "$1"
		for t in $TARGETS; do
			GOOS=${t%/*} GOARCH=${t#*/} go build "-ldflags=-s -w" -o "$1/gofumpt_${t%/*}_${t#*/}" . || return 1
		done
	}
else
	build() { go build -o "$1" ./cmd/goforge; }
fi
gocache() { GOCACHE="$OUT/gocache" build "$OUT/bin/a"; }
cacheprog() { GOCACHE="$OUT/gocache-prog" GOCACHEPROG="$PROG" build "$OUT/bin/b"; }
export -f build gocache cacheprog
export OUT PROG

if [ "${KEEP:-0}" != 1 ] || [ ! -d "$OUT/prog-dir" ]; then
	echo "filling both caches (two cold builds)..." >&2
	gocache && cacheprog
	gocache && cacheprog
fi
rm -f "$OUT/stats.json"
GOCACHE="$OUT/gocache-prog" GOCACHEPROG="$PROG --stats-file $OUT/stats.json" build "$OUT/bin/b"
GETS=$(grep -o '"gets":[0-9]*' "$OUT/stats.json" | cut -d: -f2 | paste -sd+ | bc)
PROGS=$(wc -l <"$OUT/stats.json")

: >"$OUT/gocache.times"
: >"$OUT/cacheprog.times"
: >"$OUT/prog.cpu"
# In the timed runs /usr/bin/time (which waits for its child) also records
# the cache program's own CPU, to split the overhead between it and the go
# command's side of the protocol (summed over a build's cache programs).
[ -x /usr/bin/time ] && PROG="/usr/bin/time -a -o $OUT/one.prog -f %U+%S $PROG"
for i in $(seq "$N"); do
	for side in gocache cacheprog; do
		rm -f "$OUT/one.prog"
		"$OUT/rusage" -o "$OUT/one.time" bash -c "$side" || { echo "$side failed"; exit 1; }
		cat "$OUT/one.time" >>"$OUT/$side.times"
		[ ! -s "$OUT/one.prog" ] || paste -sd+ "$OUT/one.prog" >>"$OUT/prog.cpu"
	done
done

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
col() { awk -v c="$2" '{print (c=="cpu") ? $2+$3 : $1}' "$OUT/$1.times" | median; }
{
	echo "# cacheprog overhead, workload $WORKLOAD, $(date -u +%FT%TZ), $(go version | cut -d' ' -f3), $(nproc) cores, $N alternating pairs, $GETS gets over $PROGS go command(s) a build"
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
} | tee "$RESULTS"
