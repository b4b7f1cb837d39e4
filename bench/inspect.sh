#!/usr/bin/env bash
# bench/inspect.sh: 'goforge inspect' against what a user would otherwise
# run, on a large real binary built here (the go command itself, ~16 MB),
# in one run:
#   - funcs with file:line of every entry  vs  'go tool addr2line' fed
#     every function entry (the only standard tool that gives file:line)
#   - size by package                      vs  'go tool nm -size -sort size'
#   - GoReSym and go-size-analyzer (gsa), when GORESYM / GSA point at them
#     (the module proxy here refuses both modules, so by default they are
#     skipped)
# Each command runs 3 times; the best wall time and its peak RSS
# (/usr/bin/time -v) are reported, with ratios.
#
# Usage: bench/inspect.sh    (writes bench/out/inspect-results.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/out/inspect
rm -rf "$OUT" && mkdir -p "$OUT"
go build -o "$OUT/goforge" ./cmd/goforge
go build -o "$OUT/go.bin" cmd/go
go build -ldflags='-s -w' -o "$OUT/go.stripped" cmd/go
go tool addr2line "$OUT/go.bin" </dev/null >/dev/null 2>&1 || true # build the tool once
go tool nm "$OUT/goforge" >/dev/null 2>&1 || true

# measure NAME CMD...: best of 3 wall seconds and that run's max RSS (MB).
declare -A WALL RSS
measure() {
	local name=$1; shift
	local best="" rss=""
	for _ in 1 2 3; do
		/usr/bin/time -v -o "$OUT/time.txt" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" || true
		local w m
		w=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$OUT/time.txt")
		m=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$OUT/time.txt")
		if [ -z "$best" ] || awk "BEGIN{exit !($w < $best)}"; then best=$w; rss=$m; fi
	done
	WALL[$name]=$best RSS[$name]=$rss
	printf '%-28s %8.3f s %9s MB   %s\n' "$name" "$best" "$rss" "$*"
}

"$OUT/goforge" inspect funcs "$OUT/go.bin" | awk '{print $1}' >"$OUT/entries.txt"
N=$(wc -l <"$OUT/entries.txt")
SIZE=$(stat -c %s "$OUT/go.bin")
{
	echo "binary: cmd/go built by $(go version | cut -d' ' -f3) ($SIZE bytes, $N functions); $(nproc) cores"
	measure goforge-funcs "$OUT/goforge" inspect funcs --json "$OUT/go.bin"
	measure goforge-funcs-stripped "$OUT/goforge" inspect funcs --json "$OUT/go.stripped"
	measure addr2line sh -c "go tool addr2line $OUT/go.bin <$OUT/entries.txt"
	measure addr2line-stripped sh -c "go tool addr2line $OUT/go.stripped <$OUT/entries.txt"
	measure goforge-size "$OUT/goforge" inspect size --top 0 "$OUT/go.bin"
	measure nm-size go tool nm -size -sort size "$OUT/go.bin"
	if [ -n "${GORESYM:-}" ]; then measure goresym "$GORESYM" -t -d -p "$OUT/go.bin"; fi
	if [ -n "${GSA:-}" ]; then measure gsa "$GSA" -f json "$OUT/go.bin"; fi
	echo
	awk -v a="${WALL[addr2line]}" -v b="${WALL[goforge-funcs]}" 'BEGIN{printf "funcs with file:line: goforge %.1fx faster than addr2line\n", a/b}'
	awk -v a="${RSS[addr2line]}" -v b="${RSS[goforge-funcs]}" 'BEGIN{printf "peak memory: goforge %.2fx of addr2line\n", b/a}'
	awk -v a="${WALL[nm-size]}" -v b="${WALL[goforge-size]}" 'BEGIN{printf "size: goforge %.1fx the speed of go tool nm -size (which gives no package totals)\n", a/b}'
	if grep -q . "$OUT/addr2line-stripped.err"; then echo "addr2line on the stripped binary: $(head -c 200 "$OUT/addr2line-stripped.err")"; fi
	echo "addr2line stripped output lines: $(wc -l <"$OUT/addr2line-stripped.out") (goforge: $(grep -c '"name"' "$OUT/goforge-funcs-stripped.out") functions)"
} | tee bench/out/inspect-results.txt
