#!/usr/bin/env bash
# bench/toolchain_install.sh: install the real go1.22.0 linux/amd64
# toolchain zip (about 70 MB) from a local module proxy on 127.0.0.1 with
#   goforge install go1.22.0 --os linux --arch amd64
# and with what the go command does for GOTOOLCHAIN switching,
#   go mod download golang.org/toolchain@v0.0.1-go1.22.0.linux-amd64
# from the same proxy, into empty homes/caches each run; then time
# 'goforge use' switches. Prints medians and the ratios.
#
# Usage: bash bench/toolchain_install.sh [runs]   (default 5)
# The zip is fetched once through the machine's GOPROXY. Both tools
# check the checksum database (the go command insists for toolchains)
# through the local proxy's /sumdb/, which forwards to the machine's
# proxy: that part is network time for both. With FILE=1 the proxy is
# GOPROXY=file://DIR instead, the one setting under which both skip the
# database, so the numbers are download-and-extract only.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5}
mv=v0.0.1-go1.22.0.linux-amd64
tmp=$(mktemp -d)
server=
cleanup() {
	[[ -n $server ]] && kill "$server" 2>/dev/null || true
	chmod -R u+w "$tmp" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
go build -o "$tmp/goforge" ./cmd/goforge
go build -o "$tmp/localproxy" ./bench/localproxy

echo "fetching golang.org/toolchain@$mv once through $(go env GOPROXY)" >&2
GOMODCACHE=$tmp/src GOFLAGS=-modcacherw go mod download golang.org/toolchain@$mv
zip=$tmp/src/cache/download/golang.org/toolchain/@v/$mv.zip
upstream=$(go env GOPROXY | cut -d, -f1 | cut -d'|' -f1)
"$tmp/localproxy" "$tmp/src/cache/download" "$upstream" >"$tmp/url" &
server=$!
for _ in $(seq 50); do [[ -s $tmp/url ]] && break; sleep 0.1; done
proxy=$(head -1 "$tmp/url")

sumdb=$(go env GOSUMDB)
if [[ ${FILE:-0} == 1 ]]; then
	proxy=file://$tmp/src/cache/download
	sumdb=off
	export GOSUMDB=off
fi
export GOPROXY=$proxy GONOSUMDB= GOPRIVATE= GONOPROXY= GOFLAGS=-modcacherw

# timed prints "wall_ms cpu_ms" (cpu = user + sys, which the machine's
# other load disturbs less than wall time) for one run of a command.
timed() {
	local TIMEFORMAT='%R %U %S' t
	t=$({ time "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }; } 2>&1)
	awk '{ printf "%.0f %.0f\n", $1 * 1000, ($2 + $3) * 1000 }' <<<"$t"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
gf_wall=() gf_cpu=() go_wall=() go_cpu=()
for ((i = 0; i < n; i++)); do
	rm -rf "$tmp/h" "$tmp/mc"
	read -r w c < <(GOFORGE_HOME=$tmp/h timed "$tmp/goforge" install go1.22.0 --os linux --arch amd64)
	gf_wall+=("$w") gf_cpu+=("$c")
	read -r w c < <(GOMODCACHE=$tmp/mc timed go mod download golang.org/toolchain@$mv)
	go_wall+=("$w") go_cpu+=("$c")
done
gw=$(printf '%s\n' "${gf_wall[@]}" | median) gc=$(printf '%s\n' "${gf_cpu[@]}" | median)
ow=$(printf '%s\n' "${go_wall[@]}" | median) oc=$(printf '%s\n' "${go_cpu[@]}" | median)
size=$(stat -c %s "$zip")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf 'zip: %s bytes, GOPROXY=%s, checksum database: %s, %d runs each, medians\n' "$size" "$proxy" "$sumdb" "$n"
printf '%-66s wall %6s ms  cpu %6s ms   wall runs: %s\n' "goforge install go1.22.0 --os linux --arch amd64" "$gw" "$gc" "${gf_wall[*]}"
printf '%-66s wall %6s ms  cpu %6s ms   wall runs: %s\n' "go mod download golang.org/toolchain@$mv" "$ow" "$oc" "${go_wall[*]}"
printf 'ratio goforge/go: wall %s, cpu %s (below 1 means goforge is faster)\n' "$(ratio "$gw" "$ow")" "$(ratio "$gc" "$oc")"

# 'goforge use' switch time, against re-pointing a symlink with ln -sfn
# (what hand-made setups do; not atomic: it unlinks, then links).
export GOFORGE_HOME=$tmp/h
"$tmp/goforge" adopt --name go1.26.0 "$(go env GOROOT)" >/dev/null 2>&1 || true
host=$(ls "$tmp/h/versions" | grep -v linux-amd64 | head -1 || true)
if [[ -n $host && $(go env GOOS)/$(go env GOARCH) == linux/amd64 ]]; then
	"$tmp/goforge" adopt --name go1.22.0x "$tmp/h/versions/go1.22.0" >/dev/null 2>&1 || true
fi
a=$(ls "$tmp/h/versions" | head -1)
b=$(ls "$tmp/h/versions" | tail -1)
m=200
s=$(date +%s%N)
for ((i = 0; i < m; i++)); do "$tmp/goforge" use "$a" 2>/dev/null; "$tmp/goforge" use "$b" 2>/dev/null; done
e=$(date +%s%N)
use=$(awk -v d=$((e - s)) -v m=$m 'BEGIN { printf "%.2f", d / (2 * m) / 1e6 }')
s=$(date +%s%N)
for ((i = 0; i < m; i++)); do ln -sfn "versions/$a" "$tmp/lnk"; ln -sfn "versions/$b" "$tmp/lnk"; done
e=$(date +%s%N)
ln=$(awk -v d=$((e - s)) -v m=$m 'BEGIN { printf "%.2f", d / (2 * m) / 1e6 }')
printf '%-58s %6s ms per switch (%d switches)\n' "goforge use VERSION" "$use" $((2 * m))
printf '%-58s %6s ms per switch; ratio %s\n' "ln -sfn (not atomic)" "$ln" "$(awk -v a="$use" -v b="$ln" 'BEGIN { printf "%.2f", a / b }')"
