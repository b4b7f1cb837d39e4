#!/usr/bin/env bash
# bench/graph.sh: goforge graph and goforge constraints against what a user
# runs otherwise, in one run on this machine, as ratios of wall time and
# of CPU time (user+sys, children included; the fairer number when other
# work shares the machine).
#
#   1. import graph of std+cmd:  goforge graph --json std cmd
#                           vs   go list -deps -json std cmd
#      (edges compared: they must be identical)
#   2. constraint matrix of std over every target, cgo on and off:
#                                goforge constraints --json --targets all --cgo both std
#                           vs   for each target and cgo: GOOS=.. GOARCH=.. CGO_ENABLED=.. go list -e -json std
#
# Each side runs once after one warm-up run (page cache and the go
# command's module index warm for both). Usage: bench/graph.sh [goforge]
set -euo pipefail
cd "$(dirname "$0")/.."
gf=${1:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -z "$gf" ]; then
	go build -o "$tmp/goforge" ./cmd/goforge
	gf=$tmp/goforge
fi
gf=$(realpath "$gf")
cd "$tmp" # outside any module: go list std cmd runs in GOROOT mode

# measure NAME CMD...: runs CMD, stores "wall cpu" seconds in $NAME.
measure() {
	local name=$1; shift
	/usr/bin/time -f '%e %U %S' -o "$tmp/t" "$@" >/dev/null
	read -r w u s <"$tmp/t"
	printf -v "$name" '%s %s' "$w" "$(echo "$u + $s" | bc -l)"
}
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.1f'; }
row() { # label ours theirs
	local ow oc tw tc
	read -r ow oc <<<"$2"; read -r tw tc <<<"$3"
	printf '%-28s goforge %6.2fs wall %5.2fs cpu | %-26s %6.2fs wall %5.2fs cpu | ratio %sx wall, %sx cpu\n' \
		"$1" "$ow" "$oc" "$4" "$tw" "$tc" "$(ratio "$tw" "$ow")" "$(ratio "$tc" "$oc")"
}

echo "machine: $(nproc) cores, $(go version), load $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. graph
"$gf" graph --json std cmd >/dev/null
go list -deps -json std cmd >/dev/null
measure ours "$gf" graph --json std cmd -o "$tmp/ours.json"
measure full go list -deps -json std cmd
measure fields go list -deps -json=ImportPath,Imports -e std cmd
go list -deps -json=ImportPath,Imports std cmd >"$tmp/golist.json"
python3 - "$tmp/golist.json" "$tmp/ours.json" <<'PY'
import json, re, sys
dec, s, i, want = json.JSONDecoder(), open(sys.argv[1]).read(), 0, set()
strip = lambda p: re.sub(r" \[.*\]$", "", p)  # PGO variants: same imports
while True:
    while i < len(s) and s[i].isspace(): i += 1
    if i >= len(s): break
    o, i = dec.raw_decode(s, i)
    want |= {(strip(o["ImportPath"]), strip(x)) for x in o.get("Imports", []) if x != "C"}
got = {(e["from"], e["to"]) for e in json.load(open(sys.argv[2]))["edges"]}
print(f"edges: goforge {len(got)}, go list {len(want)}, identical: {got == want}")
PY
row "graph std+cmd" "$ours" "$full" "go list -deps -json"
row "" "$ours" "$fields" "go list -json=<2 fields>"

# 2. constraint matrix
targets=$(go tool dist list)
n=$(($(echo "$targets" | wc -l) * 2))
"$gf" constraints --json --targets all --cgo both std >/dev/null
measure ours "$gf" constraints --json --targets all --cgo both std
measure loop bash -c '
for t in $(go tool dist list); do
	for cgo in 0 1; do
		GOOS=${t%/*} GOARCH=${t#*/} CGO_ENABLED=$cgo go list -e -json std >/dev/null
	done
done'
row "matrix std x $n configs" "$ours" "$loop" "go list loop"
