#!/usr/bin/env bash
# bench/inspect.sh: 'goforge inspect' against what a user would otherwise
# run, on large real binaries built here - the go command itself (~20 MB)
# and gopls (~41 MB, fetched through the module proxy; skipped if that
# fails) - each normal and stripped, in one run:
#   - funcs with file:line of every entry  vs  addr2line fed every function
#     entry (the only standard tool that gives file:line for all of them)
#   - size by package                      vs  go tool nm -size -sort size
#   - GoReSym and go-size-analyzer (gsa), when GORESYM / GSA point at
#     them (the module proxy here refuses both modules: 403)
# addr2line and nm run as the tool binaries ('go tool -n' says where they
# are cached), not through 'go tool', so the go command's start-up is not
# counted.
# Each command runs 5 times; the best wall time and that run's peak RSS
# (/usr/bin/time -v) are reported, with ratios.
#
# Usage: bench/inspect.sh    (writes bench/out/inspect-results.txt)
# Env:   GOPLS=gopls@version (default golang.org/x/tools/gopls@v0.21.0)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/out/inspect
rm -rf "$OUT" && mkdir -p "$OUT"
ADDR2LINE=$(go tool -n addr2line)
NM=$(go tool -n nm)
go build -o "$OUT/goforge" ./cmd/goforge
go build -o "$OUT/go" cmd/go
go build -ldflags='-s -w' -o "$OUT/go-stripped" cmd/go
BINS="go go-stripped"
if GOBIN=$PWD/$OUT/gobin GOFLAGS= go install "${GOPLS:-golang.org/x/tools/gopls@v0.21.0}" 2>"$OUT/gopls-install.err"; then
	mv "$OUT/gobin/gopls" "$OUT/gopls"
	GOBIN=$PWD/$OUT/gobin GOFLAGS= go install -ldflags='-s -w' "${GOPLS:-golang.org/x/tools/gopls@v0.21.0}"
	mv "$OUT/gobin/gopls" "$OUT/gopls-stripped"
	BINS="$BINS gopls gopls-stripped"
else
	echo "gopls: not built: $(tail -1 "$OUT/gopls-install.err")"
fi

# measure NAME CMD...: best of 5 wall seconds and that run's max RSS (MB).
declare -A WALL RSS
measure() {
	local name=$1; shift
	local best="" rss=""
	for _ in 1 2 3 4 5; do
		/usr/bin/time -v -o "$OUT/time.txt" "$@" >"$OUT/${name////_}.out" 2>"$OUT/${name////_}.err" || true
		local w m
		w=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$OUT/time.txt")
		m=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$OUT/time.txt")
		if [ -z "$best" ] || awk "BEGIN{exit !($w < $best)}"; then best=$w; rss=$m; fi
	done
	WALL[$name]=$best RSS[$name]=$rss
	printf '  %-22s %7.3f s %8s MB\n' "$name" "$best" "$rss"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.1f", a/b; else print "inf" }'; }

{
	echo "goforge inspect benchmark, $(go version | cut -d' ' -f3), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"; echo "load average before: $(cut -d" " -f1-3 /proc/loadavg) (other jobs share the machine; /usr/bin/time has 10 ms resolution)"
	for b in $BINS; do
		bin=$OUT/$b
		"$OUT/goforge" inspect funcs "$bin" | awk '{print $1}' >"$OUT/$b.entries"
		echo
		echo "$b: $(stat -c %s "$bin") bytes, $(wc -l <"$OUT/$b.entries") functions"
		measure "$b/goforge-funcs" "$OUT/goforge" inspect funcs --json "$bin"
		measure "$b/addr2line" sh -c "$ADDR2LINE $bin <$OUT/$b.entries"
		measure "$b/goforge-size" "$OUT/goforge" inspect size --top 0 "$bin"
		measure "$b/nm-size" "$NM" -size -sort size "$bin"
		if [ -n "${GORESYM:-}" ]; then measure "$b/goresym" "$GORESYM" -t -d -p "$bin"; fi
		if [ -n "${GSA:-}" ]; then measure "$b/gsa" "$GSA" -f json "$bin"; fi
		echo "  funcs: goforge $(ratio "${WALL[$b/addr2line]}" "${WALL[$b/goforge-funcs]}")x faster than addr2line, peak memory $(ratio "${RSS[$b/goforge-funcs]}" "${RSS[$b/addr2line]}")x of it"
		echo "  size:  goforge $(ratio "${WALL[$b/nm-size]}" "${WALL[$b/goforge-size]}")x the speed of nm -size (which has no package totals, and nothing on stripped binaries)"
		if [ -s "$OUT/${b}_nm-size.err" ]; then echo "  nm: $(head -1 "$OUT/${b}_nm-size.err")"; fi
	done
} | tee bench/out/inspect-results.txt
