#!/usr/bin/env bash
# bench/cacheprog.sh: what a team cache saves, in one run, on this machine.
#
#   1. machine A (its own empty local cache) releases PKG for 10 targets
#      through 'goforge cacheprog --remote' and fills a real nginx (WebDAV PUT)
#   2. machine B (another empty local cache, same remote) releases the same:
#      served from the remote
#   3. machine B cold without a remote: plain 'go build' with an empty GOCACHE,
#      what B pays today
#   4. overhead on a warm build: cacheprog local-only (warm --dir) against the
#      go command's own warm GOCACHE
#
# Goals: (3)/(2) at least 5x wall and 10x CPU; (4) under 10%.
# PKG defaults to this repository's ./cmd/goforge (no network needed).
#
# Usage: bench/cacheprog.sh      (writes bench/out/cacheprog-results.txt)
# Env:   PKG=./cmd/goforge TARGETS="linux/amd64 ..." NGINX=/usr/sbin/nginx
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/bench/out/cacheprog
PKG=${PKG:-./cmd/goforge}
TARGETS=${TARGETS:-"linux/amd64 linux/arm64 linux/arm linux/386 linux/riscv64 linux/ppc64le darwin/amd64 darwin/arm64 windows/amd64 windows/arm64"}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
[ -x "$NGINX" ] || { echo "bench/cacheprog.sh needs nginx (apt-get install nginx)"; exit 1; }

rm -rf "$OUT" && mkdir -p "$OUT"/{nginx/data,nginx/logs,bin}
go build -o "$OUT/goforge" ./cmd/goforge
export CGO_ENABLED=0 GOFLAGS=-trimpath GOTOOLCHAIN=local
unset GOCACHEPROG GOFORGE_CACHE_REMOTE

# A real remote: nginx with WebDAV PUT on a free loopback port, stopped by pid.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
N=$OUT/nginx
cat >"$N/nginx.conf" <<CONF
daemon off;
master_process off;
pid $N/nginx.pid;
error_log $N/logs/error.log;
events { worker_connections 512; }
http {
	access_log off;
	client_body_temp_path $N/body;
	proxy_temp_path $N/proxy;
	fastcgi_temp_path $N/fastcgi;
	uwsgi_temp_path $N/uwsgi;
	scgi_temp_path $N/scgi;
	server {
		listen 127.0.0.1:$PORT;
		root $N/data;
		location / { dav_methods PUT; create_full_put_path on; client_max_body_size 0; }
	}
}
CONF
"$NGINX" -p "$N" -c "$N/nginx.conf" -e "$N/logs/error.log" &
NGINX_PID=$!
trap 'kill $NGINX_PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
REMOTE=http://127.0.0.1:$PORT

declare -A WALL CPU
release() { # name, then env assignments for the go command
	local name=$1; shift
	/usr/bin/time -f '%e %U %S' -o "$OUT/$name.time" bash -c '
		for t in $TARGETS; do
			env "$@" GOOS=${t%/*} GOARCH=${t#*/} go build -o "$OUT/bin/$t" "$PKG" || exit 1
		done' release "$@" >"$OUT/$name.log" 2>&1 || { echo "$name failed:"; tail -20 "$OUT/$name.log"; exit 1; }
	read -r w u s <"$OUT/$name.time"
	WALL[$name]=$w
	CPU[$name]=$(echo "$u + $s" | bc)
	printf '%-28s %8.2fs wall %8.2fs CPU\n' "$name" "$w" "${CPU[$name]}"
}
export TARGETS PKG OUT
prog() { echo "GOCACHEPROG=$OUT/goforge cacheprog --dir $OUT/$1 --stats-file $OUT/$1.stats"; }

{
	echo "# goforge cacheprog, $(date -u +%FT%TZ), $(go version | cut -d' ' -f3), PKG=$PKG"
	echo "# targets: $TARGETS"
	echo "# load: $(uptime)"
	release A-fills-remote "$(prog A)" GOFORGE_CACHE_REMOTE=$REMOTE GOCACHE="$OUT/gocache-A"
	release B-from-remote "$(prog B)" GOFORGE_CACHE_REMOTE=$REMOTE GOCACHE="$OUT/gocache-B"
	release B-cold-no-remote GOCACHE="$OUT/gocache-cold"
	release warm-go-cache GOCACHE="$OUT/gocache-cold"
	release warm-cacheprog-local "$(prog A)" GOCACHE="$OUT/gocache-A"
	echo "# load: $(uptime)"
	echo "B from remote vs B cold:  $(echo "scale=1; ${WALL[B-cold-no-remote]} / ${WALL[B-from-remote]}" | bc)x less wall, $(echo "scale=1; ${CPU[B-cold-no-remote]} / ${CPU[B-from-remote]}" | bc)x less CPU (goals 5x, 10x)"
	echo "cacheprog local vs go cache, warm: $(echo "scale=1; 100 * (${WALL[warm-cacheprog-local]} - ${WALL[warm-go-cache]}) / ${WALL[warm-go-cache]}" | bc)% wall overhead (goal under 10%)"
	echo "remote hits on B: $(grep -o '"remote_hits":[0-9]*' "$OUT/B.stats" | cut -d: -f2 | paste -sd+ | bc), remote size: $(du -sh "$N/data" | cut -f1)"
} | tee "$ROOT/bench/out/cacheprog-results.txt"
