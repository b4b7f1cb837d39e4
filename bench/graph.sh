#!/usr/bin/env bash
# bench/graph.sh: goforge graph and goforge constraints against what a user
# runs otherwise, in one run on this machine, as ratios.
#
#   1. import graph of std+cmd:  goforge graph --json std cmd
#                           vs   go list -deps -json std cmd
#      (edges compared: they must be identical)
#   2. constraint matrix of std over every target, cgo on and off:
#                                goforge constraints --json --targets all --cgo both std
#                           vs   for each target and cgo: GOOS=.. GOARCH=.. CGO_ENABLED=.. go list -e -json std
#
# Each side runs once after one warm-up run (page cache and go's module
# index warm for both). Usage: bench/graph.sh [goforge-binary]
set -euo pipefail
cd "$(dirname "$0")/.."
gf=${1:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -z "$gf" ]; then
	go build -o "$tmp/goforge" ./cmd/goforge
	gf=$tmp/goforge
fi
cd "$tmp" # outside any module, as go list std cmd runs in GOROOT mode

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l | xargs printf '%.3f'; }
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.1f'; }

echo "machine: $(nproc) cores, $(go version), load $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. graph
"$gf" graph --json std cmd >/dev/null
go list -deps -json std cmd >/dev/null
t0=$(now); "$gf" graph --json std cmd >"$tmp/ours.json"; t1=$(now)
go list -deps -json std cmd >"$tmp/golist.json"; t2=$(now)
go list -deps -json=ImportPath,Imports std cmd >/dev/null; t3=$(now)
ours=$(secs "$t0" "$t1"); theirs=$(secs "$t1" "$t2"); fields=$(secs "$t2" "$t3")
if command -v python3 >/dev/null; then
	python3 - "$tmp/golist.json" "$tmp/ours.json" <<'PY'
import json, re, sys
dec, s, i, want = json.JSONDecoder(), open(sys.argv[1]).read(), 0, set()
strip = lambda p: re.sub(r" \[.*\]$", "", p)
while True:
    while i < len(s) and s[i].isspace(): i += 1
    if i >= len(s): break
    o, i = dec.raw_decode(s, i)
    want |= {(strip(o["ImportPath"]), strip(x)) for x in o.get("Imports", []) if x != "C"}
got = {(e["from"], e["to"]) for e in json.load(open(sys.argv[2]))["edges"]}
print(f"edges: goforge {len(got)}, go list {len(want)}, identical: {got == want}")
PY
fi
echo "graph std+cmd:   goforge ${ours}s   go list -deps -json ${theirs}s   ratio $(ratio "$theirs" "$ours")x"
echo "                 (go list -deps -json=ImportPath,Imports ${fields}s   ratio $(ratio "$fields" "$ours")x)"

# 2. constraint matrix
targets=$(go tool dist list)
n=$(($(echo "$targets" | wc -l) * 2))
"$gf" constraints --json --targets all --cgo both std >/dev/null
t0=$(now); "$gf" constraints --json --targets all --cgo both std >"$tmp/matrix.json"; t1=$(now)
for t in $targets; do
	for cgo in 0 1; do
		GOOS=${t%/*} GOARCH=${t#*/} CGO_ENABLED=$cgo go list -e -json std >/dev/null
	done
done
t2=$(now)
ours=$(secs "$t0" "$t1"); theirs=$(secs "$t1" "$t2")
echo "matrix std x $n configurations:   goforge ${ours}s   go list loop ${theirs}s   ratio $(ratio "$theirs" "$ours")x"
