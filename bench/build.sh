#!/usr/bin/env bash
# bench/build.sh: goforge build against what a user would otherwise run to
# release one real program for 10 targets, on this machine, in one run:
#   - a sequential shell loop of 'go build'
#   - the same builds through 'xargs -P2'
#   - goreleaser 'build --snapshot' (when GORELEASER points at one)
# each cold (its own empty GOCACHE) and warm (cache filled, fresh output
# directory: goforge then copies the outputs from its output cache; the
# row "goforge-warm-nooutcache" is the same run linking every target
# again), plus goforge's no-op rebuild (nothing changed) against the
# loop's warm rebuild over existing outputs (go's own up-to-date check).
#
# The program is mvdan.cc/gofumpt (a real mid-size module with
# dependencies), fetched through the module proxy; this script is the only
# place that needs the network.
#
# Usage: bench/build.sh            (writes bench/out/build-results.txt)
#        COLD=0 bench/build.sh     warm and no-op rows only (one shared cache)
# Env:   PROGRAM=mod@version, GORELEASER=/path/to/goreleaser
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/bench/out/build
PROGRAM=${PROGRAM:-mvdan.cc/gofumpt@v0.9.2}
TARGETS="linux/amd64 linux/arm64 linux/arm linux/386 linux/riscv64 linux/ppc64le darwin/amd64 darwin/arm64 windows/amd64 windows/arm64"
FLAGS=(-trimpath "-ldflags=-s -w")

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
rm -rf "$OUT" && mkdir -p "$OUT"
go build -o "$OUT/goforge" ./cmd/goforge

# The program's source, as a writable module of its own.
dir=$(go mod download -json "$PROGRAM" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
cp -r "$dir" "$OUT/src" && chmod -R u+w "$OUT/src"
cd "$OUT/src"
go mod download
git init -q && git add -A && git -c user.email=b@x -c user.name=bench commit -qm bench
export SOURCE_DATE_EPOCH=1700000000 CGO_ENABLED=0 GOFLAGS=-mod=mod

now() { date +%s.%N; }
declare -A T
timeit() { # name command...
	local s e
	s=$(now)
	"${@:2}" >"$OUT/$1.log" 2>&1 || { echo "$1 failed:"; tail -20 "$OUT/$1.log"; exit 1; }
	e=$(now)
	T[$1]=$(echo "$e - $s" | bc)
	printf '%-22s %8.2fs\n' "$1" "${T[$1]}"
}

loop() { # outdir
	mkdir -p "$1"
	for t in $TARGETS; do
		GOOS=${t%/*} GOARCH=${t#*/} go build "${FLAGS[@]}" -o "$1/gofumpt_${t%/*}_${t#*/}" .
	done
}
one() { GOOS=${2%/*} GOARCH=${2#*/} go build "${FLAGS[@]}" -o "$1/gofumpt_${2%/*}_${2#*/}" .; }
export -f one
export FLAGS_STR="${FLAGS[*]}"
xargsP2() { mkdir -p "$1"; printf '%s\n' $TARGETS | xargs -P2 -I{} bash -c "$(declare -p FLAGS); $(declare -f one); one $1 {}"; }
goforge() { "$OUT/goforge" build --targets "${TARGETS// /,}" -o "$1" --version bench .; }
goforge_noarchive() { "$OUT/goforge" build --no-archive --targets "${TARGETS// /,}" -o "$1" --version bench .; }
# The go build path of a warm release: the output cache off, so every
# target is linked and archived again (what the listing cache and the
# overlapped archives alone give).
goforge_nooutcache() { GOFORGE_OUTPUT_CACHE=off "$OUT/goforge" build --targets "${TARGETS// /,}" -o "$1" --version bench .; }

goreleaser_cfg() {
	cat >"$OUT/goreleaser.yaml" <<EOF
version: 2
project_name: gofumpt
dist: $OUT/goreleaser-dist
builds:
  - main: .
    env: [CGO_ENABLED=0]
    flags: [-trimpath]
    ldflags: ["-s -w"]
    targets: [$(echo $TARGETS | sed 's#/#_#g; s/ /, /g')]
archives:
  - formats: [tar.gz]
EOF
}
goreleaser() { "$GORELEASER" build --snapshot --clean --config "$OUT/goreleaser.yaml" >/dev/null; }

if [ "${COLD:-1}" = 1 ]; then
	for tool in loop xargsP2 goforge ${GORELEASER:+goreleaser}; do
		export GOCACHE=$OUT/cache-$tool GOFORGE_CACHE=$OUT/fcache-$tool
		rm -rf "$GOCACHE" "$GOFORGE_CACHE"
		[ "$tool" = goreleaser ] && goreleaser_cfg
		timeit "$tool-cold" "$tool" "$OUT/$tool-cold"
		timeit "$tool-warm" "$tool" "$OUT/$tool-warm"
	done
	export GOCACHE=$OUT/cache-loop
	timeit loop-warm-rebuild loop "$OUT/loop-warm"
	export GOCACHE=$OUT/cache-goforge GOFORGE_CACHE=$OUT/fcache-goforge
else
	# COLD=0: warm and no-op rows only, for a loaded machine where three
	# cold matrices do not fit. One go build cache (the user's, else
	# $GOCACHE) is filled first, untimed, and goforge's listing cache too.
	export GOFORGE_CACHE=$OUT/fcache-goforge
	timeit prime-xargsP2 xargsP2 "$OUT/prime"
	timeit prime-goforge goforge "$OUT/goforge-prime"
	for tool in loop xargsP2 goforge; do
		timeit "$tool-warm" "$tool" "$OUT/$tool-warm"
	done
	timeit loop-warm-rebuild loop "$OUT/loop-warm"
fi
timeit goforge-warm-noarchive goforge_noarchive "$OUT/goforge-warm-noarchive"
timeit goforge-warm-nooutcache goforge_nooutcache "$OUT/goforge-warm-nooutcache"
timeit goforge-noop goforge "$OUT/goforge-warm"
grep -q '0 built, 10 reused' "$OUT/goforge-warm.log" || { echo "the warm release did not come from the output cache:"; tail -3 "$OUT/goforge-warm.log"; exit 1; }
grep -q '0 built, 10 unchanged' "$OUT/goforge-noop.log" || { echo "no-op rebuild rebuilt something"; cat "$OUT/goforge-noop.log"; exit 1; }

best_cold=$(printf '%s\n' "${T[loop-cold]:-0}" "${T[xargsP2-cold]:-0}" | sort -g | head -1)
ratio() { echo "scale=2; $1 / $2" | bc; }
{
	echo "program: $PROGRAM, 10 targets, $(nproc) cores, $(go version | cut -d' ' -f3), load at start: $LOAD_START, at end: $(cut -d' ' -f1-3 /proc/loadavg)"
	for k in ${T[loop-cold]:+loop-cold xargsP2-cold goforge-cold} ${GORELEASER:+goreleaser-cold} loop-warm xargsP2-warm goforge-warm goforge-warm-noarchive goforge-warm-nooutcache ${GORELEASER:+goreleaser-warm} loop-warm-rebuild goforge-noop; do
		printf '%-22s %8.2fs\n' "$k" "${T[$k]}"
	done
	[ -n "${T[goforge-cold]:-}" ] && echo "cold: best loop / goforge = $(ratio "$best_cold" "${T[goforge-cold]}")x"
	echo "warm: xargs -P2 / goforge = $(ratio "${T[xargsP2-warm]}" "${T[goforge-warm]}")x, loop / goforge = $(ratio "${T[loop-warm]}" "${T[goforge-warm]}")x (without archives: $(ratio "${T[xargsP2-warm]}" "${T[goforge-warm-noarchive]}")x; output cache off, every target linked and archived: $(ratio "${T[xargsP2-warm]}" "${T[goforge-warm-nooutcache]}")x)"
	echo "no-op: loop warm rebuild / goforge no-op = $(ratio "${T[loop-warm-rebuild]}" "${T[goforge-noop]}")x"
	if [ -n "${GORELEASER:-}" ]; then
		echo "goreleaser cold / goforge cold = $(ratio "${T[goreleaser-cold]}" "${T[goforge-cold]}")x, warm = $(ratio "${T[goreleaser-warm]}" "${T[goforge-warm]}")x"
	fi
} | tee "$ROOT/bench/out/build-results.txt"
