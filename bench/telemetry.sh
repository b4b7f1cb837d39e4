#!/usr/bin/env bash
# bench/telemetry.sh [RUNS]: the README's main job (goforge build --run of
# examples/hello, 9 targets, every target rebuilt with --force on a warm
# build cache) with telemetry off and on (OTLP to a loopback receiver,
# metrics to a textfile, the HTML timeline), alternating, and the export
# time of a 10-target build's trace. Prints medians and the overhead.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
work=$(mktemp -d)
sink_pid=
cleanup() { [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
go build -o "$work/goforge" ./cmd/goforge
go build -o "$work/otlpsink" ./bench/otlpsink
"$work/otlpsink" >"$work/sink.url" 2>"$work/sink.log" &
sink_pid=$!
for _ in $(seq 50); do [ -s "$work/sink.url" ] && break; sleep 0.1; done
url=$(cat "$work/sink.url")
cp -r examples/hello "$work/hello"
cd "$work/hello"
[ -f go.mod ] || printf 'module example.com/hello\n\ngo 1.22\n' >go.mod

now() { date +%s.%N; }
run() { # run MODE: prints the wall time of one main job
	local extra=()
	[ "$1" = on ] && extra=(--otlp "$url" --metrics-file "$work/m.prom" --trace-html "$work/t.html")
	local t0; t0=$(now)
	"$work/goforge" build --run --force "${extra[@]}" . >/dev/null 2>"$work/last.err"
	echo "$(now) - $t0" | bc
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

run off >/dev/null # warm the build cache for every target
off=() on=()
for i in $(seq "$runs"); do
	off+=("$(run off)")
	on+=("$(run on)")
done
moff=$(printf '%s\n' "${off[@]}" | median)
mon=$(printf '%s\n' "${on[@]}" | median)
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "main job, $runs runs each, alternating:"
echo "  telemetry off: median ${moff}s (${off[*]})"
echo "  telemetry on:  median ${mon}s (${on[*]})"
echo "  overhead: $(echo "scale=2; ($mon - $moff) * 100 / $moff" | bc)%"

# Export time of a 10-target build's trace, as goforge logs it.
"$work/goforge" build --force --no-archive --targets 'linux/amd64,linux/arm64,linux/arm/7,linux/386,linux/riscv64,linux/ppc64le,linux/s390x,darwin/arm64,windows/amd64,freebsd/amd64' \
	--otlp "$url" --log-format json . 2>"$work/ten.err" >/dev/null
grep '"msg":"trace exported"' "$work/ten.err" | sed 's/^/  10 targets: /'
