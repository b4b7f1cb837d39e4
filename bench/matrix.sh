#!/usr/bin/env bash
# bench/matrix.sh: 'goforge matrix' over 2 Go versions × 1 target against
# the loop a user would write instead, one toolchain after the other:
#   for v in ...; do GOTOOLCHAIN=$v go test ./...; done
# (here each toolchain's own go with GOTOOLCHAIN=local, which is what
# GOTOOLCHAIN=goX.Y.Z switches to, without the network).
#
# Both start cold (empty build caches), then run again with nothing
# changed. Reports the four wall times and the ratios loop/matrix.
#
#   bash bench/matrix.sh [MODULE_DIR]
#
# MODULE_DIR defaults to a copy of github.com/BurntSushi/toml v1.6.0 from
# the module cache (a real module whose go line, 1.18, both toolchains
# accept). GOROOTS lists the toolchains (default: Debian's Go 1.19 and the
# go on PATH).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

goroots=${GOROOTS:-"/usr/lib/go-1.19 $(go env GOROOT)"}
mod=${1:-}
if [ -z "$mod" ]; then
	src="$(go env GOMODCACHE)/github.com/!burnt!sushi/toml@v1.6.0"
	[ -d "$src" ] || (cd "$repo" && go mod download github.com/BurntSushi/toml)
	cp -r "$src" "$work/mod" && chmod -R u+w "$work/mod"
	mod="$work/mod"
fi

(cd "$repo" && go build -o "$work/goforge" ./cmd/goforge)
export GOFORGE_HOME="$work/home" GOPROXY=off GOFLAGS= GOTOOLCHAIN=local
versions=()
for root in $goroots; do
	"$work/goforge" adopt "$root" >/dev/null
	versions+=("$("$root/bin/go" env GOVERSION)")
done
list=$(IFS=,; echo "${versions[*]}")

now() { date +%s.%N; }
loop() {
	for root in $goroots; do
		(cd "$mod" && GOCACHE="$work/loopcache" GOROOT="$root" PATH="$root/bin:$PATH" go test ./... >/dev/null 2>&1) || true
	done
}
matrix() {
	(cd "$mod" && "$work/goforge" matrix --go "$list" --cache-dir "$work/mcache" >/dev/null 2>&1) || true
}
timed() { local s; s=$(now); "$@"; echo "$(now) - $s" | bc; }

echo "# uptime: $(uptime)"
echo "# module: $mod; versions: $list; target: $(go env GOOS)/$(go env GOARCH)"
loop_cold=$(timed loop)
matrix_cold=$(timed matrix)
loop_warm=$(timed loop)
matrix_warm=$(timed matrix)
printf 'loop   cold %7.2fs  re-run %7.2fs\n' "$loop_cold" "$loop_warm"
printf 'matrix cold %7.2fs  re-run %7.2fs\n' "$matrix_cold" "$matrix_warm"
printf 'ratio (loop/matrix): cold %.2fx  re-run %.1fx\n' \
	"$(echo "$loop_cold / $matrix_cold" | bc -l)" "$(echo "$loop_warm / $matrix_warm" | bc -l)"
(cd "$mod" && "$work/goforge" matrix --go "$list" --cache-dir "$work/mcache") || true
