#!/usr/bin/env bash
# bench/image.sh: goforge image against ko, in one run, on this machine:
# a small HTTP server built for linux/amd64 + linux/arm64 and pushed to the
# same local registry (docker-registry on 127.0.0.1, its own config and
# storage, stopped by its pid), each tool RUNS times with a warm build
# cache, on the same base: a two-platform static base image that goforge
# pushes first (ko cannot build on "scratch" and its default base is on
# the internet). Reports the median wall time, the amd64 image's
# compressed size, whether the index digest is the same on every run,
# and the ratios.
#
# Usage: bench/image.sh [RUNS]      (default 5; writes bench/out/image-results.txt)
# Env:   KO=/path/to/ko (default: ko on PATH or in $(go env GOPATH)/bin)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${1:-5}
OUT=$ROOT/bench/out/image
KO=${KO:-$(command -v ko || echo "$(go env GOPATH)/bin/ko")}
rm -rf "$OUT" && mkdir -p "$OUT"
go build -o "$OUT/goforge" ./cmd/goforge
for tool in docker-registry skopeo python3; do
	command -v $tool >/dev/null || { echo "needs $tool"; exit 1; }
done

# The registry, on a free loopback port.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
REG=127.0.0.1:$PORT
mkdir -p "$OUT/registry"
cat >"$OUT/registry/config.yml" <<CFG
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $OUT/registry/storage}, delete: {enabled: true}}
http: {addr: $REG}
CFG
docker-registry serve "$OUT/registry/config.yml" >"$OUT/registry/log" 2>&1 &
REGPID=$!
trap 'kill $REGPID 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf "http://$REG/v2/" >/dev/null && break; sleep 0.1; done

# The program: a small HTTP server, committed so that both tools stamp it.
mkdir -p "$OUT/src" "$OUT/base"
cd "$OUT/src"
cat >go.mod <<'GO'
module example.com/server

go 1.22
GO
cat >main.go <<'GO'
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	addr := ":8080"
	if a := os.Getenv("ADDR"); a != "" {
		addr = a
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintf(w, "hello from %s\n", r.URL.Path) })
	log.Fatal(http.ListenAndServe(addr, nil))
}
GO
cat >.ko.yaml <<KO
defaultBaseImage: $REG/bench/base:v1
builds:
- id: server
  main: .
  ldflags: ["-s", "-w"]
KO
printf '*\n!go.mod\n!main.go\n!.ko.yaml\n!.gitignore\n' >.gitignore
git init -q && git add -A && git -c user.email=b@x -c user.name=bench commit -qm bench
# The shared base: goforge's scratch image of a do-nothing program.
(cd "$OUT/base" && printf 'module example.com/base\n\ngo 1.22\n' >go.mod &&
	printf 'package main\n\nfunc main() {}\n' >main.go &&
	SOURCE_DATE_EPOCH=1700000000 "$OUT/goforge" image --dist "$OUT/base/dist" --push "$REG/bench/base:v1" . >/dev/null 2>&1)

export GOFLAGS=-mod=mod CGO_ENABLED=0
# Warm the build cache for both targets, as a developer's machine is.
for a in amd64 arm64; do GOOS=linux GOARCH=$a go build -trimpath -ldflags='-s -w' -o /dev/null .; done

now() { date +%s.%N; }
digest_of() { skopeo inspect --tls-verify=false --raw "docker://$1" | sha256sum | cut -d' ' -f1; }
size_of() { # compressed bytes of the amd64 image: its layers and config
	local d
	d=$(skopeo inspect --tls-verify=false --raw "docker://$1" |
		python3 -c 'import json,sys; print([m["digest"] for m in json.load(sys.stdin)["manifests"] if m.get("platform",{}).get("architecture")=="amd64"][0])')
	skopeo inspect --tls-verify=false --raw "docker://${1%:*}@$d" |
		python3 -c 'import json,sys; m=json.load(sys.stdin); print(sum(l["size"] for l in m["layers"])+m["config"]["size"])'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

run_goforge() { "$OUT/goforge" image --dist "$OUT/gf-dist" --push "$REG/bench/goforge:v1" --base "$REG/bench/base:v1" . ; }
run_ko() { KO_DOCKER_REPO=$REG/bench/ko "$KO" build --bare --platform=linux/amd64,linux/arm64 --tags v1 . ; }

declare -A TIMES DIGESTS
tools=(goforge)
if [ -x "$KO" ]; then tools+=(ko); else echo "ko not found: install with 'go install github.com/google/ko@latest'"; fi
for i in $(seq "$RUNS"); do
	for t in "${tools[@]}"; do
		s=$(now)
		run_$t >"$OUT/$t-$i.log" 2>&1 || { echo "$t failed:"; tail -5 "$OUT/$t-$i.log"; exit 1; }
		e=$(now)
		TIMES[$t]+="$(echo "$e - $s" | bc) "
		DIGESTS[$t]+="$(digest_of "$REG/bench/$t:v1") "
	done
done

{
	echo "bench/image.sh: $RUNS runs each, warm build cache, push of linux/amd64+linux/arm64 to docker-registry on loopback"
	echo "machine: $(nproc) cores; $(uptime)"
	echo "go: $(go env GOVERSION); ko: $([ -x "$KO" ] && "$KO" version || echo none)"
	echo "(goforge's runs after the first find the binaries' inputs unchanged and do not rebuild; ko runs go build every time)"
	printf '%-8s %10s %14s %s\n' tool median_s amd64_bytes reproducible_digest
	for t in "${tools[@]}"; do
		m=$(echo "${TIMES[$t]}" | tr ' ' '\n' | grep . | median)
		n=$(echo "${DIGESTS[$t]}" | tr ' ' '\n' | grep . | sort -u | wc -l)
		repro=$([ "$n" = 1 ] && echo "yes ($RUNS runs, one digest)" || echo "no ($n digests in $RUNS runs)")
		printf '%-8s %10.2f %14s %s\n' "$t" "$m" "$(size_of "$REG/bench/$t:v1")" "$repro"
		echo "  times: ${TIMES[$t]}"
		eval "M_$t=$m; S_$t=$(size_of "$REG/bench/$t:v1")"
	done
	if [ -x "$KO" ]; then
		echo "ratio time goforge/ko: $(echo "scale=2; $M_goforge / $M_ko" | bc)"
		echo "ratio size goforge/ko: $(echo "scale=3; $S_goforge / $S_ko" | bc)"
	fi
} | tee "$ROOT/bench/out/image-results.txt"
