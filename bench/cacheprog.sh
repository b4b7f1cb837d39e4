#!/usr/bin/env bash
# bench/cacheprog.sh: what a team cache saves on a release, in one run.
#
# The release is bench/build.sh's: mvdan.cc/gofumpt (a real mid-size module
# with dependencies) for 10 targets, built by 'goforge build'.
#
#   A  machine A, its own empty local cache and an empty remote: builds the
#      release with --cache URL and fills a real nginx (WebDAV PUT) on
#      127.0.0.1, started and stopped by pid
#   B  machine B, another empty local cache, same remote: the same release,
#      served from the remote
#   C  machine B cold without a remote: empty GOCACHE, no --cache, what B
#      pays today
#
# Goal: C/B at least 5x less wall time and 10x less CPU. CPU is user+sys of
# goforge and every process it started, cache programs included (counted by
# bench/rusage, a child subreaper; /usr/bin/time misses the cache programs,
# which the go command never waits for). Remote hits are counted from
# nginx's access log (GET /ac/ answered 200 during B).
#
# Only the module's source is fetched from the network (the module proxy).
# Usage: bench/cacheprog.sh        (writes bench/out/cacheprog-results.txt)
# Env:   PROGRAM=mod@version, TARGETS="os/arch ...", NGINX=/usr/sbin/nginx
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/bench/out/cacheprog
PROGRAM=${PROGRAM:-mvdan.cc/gofumpt@v0.9.2}
TARGETS=${TARGETS:-"linux/amd64 linux/arm64 linux/arm linux/386 linux/riscv64 linux/ppc64le darwin/amd64 darwin/arm64 windows/amd64 windows/arm64"}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
[ -x "$NGINX" ] || { echo "bench/cacheprog.sh needs nginx (apt-get install nginx)"; exit 1; }

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
rm -rf "$OUT" && mkdir -p "$OUT"/nginx/{data,logs}
go build -o "$OUT/goforge" ./cmd/goforge
go build -o "$OUT/rusage" ./bench/rusage
unset GOCACHEPROG GOFORGE_CACHE_REMOTE GOFORGE_CACHE_DIR

# The program's source, as a writable module of its own (as bench/build.sh).
dir=$(go mod download -json "$PROGRAM" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
cp -r "$dir" "$OUT/src" && chmod -R u+w "$OUT/src"
cd "$OUT/src"
go mod download
git init -q && git add -A && git -c user.email=b@x -c user.name=bench commit -qm bench
export SOURCE_DATE_EPOCH=1700000000 CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local

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
	log_format cache '\$request_method \$uri \$status';
	access_log $N/logs/access.log cache;
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
release() { # machine, then goforge build flags
	local m=$1; shift
	mkdir -p "$OUT/$m"
	env GOCACHE="$OUT/$m/gocache" GOFORGE_CACHE="$OUT/$m/fcache" GOFORGE_CACHE_DIR="$OUT/$m/cacheprog" \
		"$OUT/rusage" -o "$OUT/$m.time" "$OUT/goforge" build --targets "${TARGETS// /,}" -o "$OUT/$m/dist" --version bench "$@" . \
		>"$OUT/$m.log" 2>&1 || { echo "$m failed:"; tail -20 "$OUT/$m.log"; exit 1; }
	read -r w u s <"$OUT/$m.time"
	WALL[$m]=$w
	CPU[$m]=$(echo "$u + $s" | bc)
	printf '%-18s %8.2fs wall %8.2fs CPU\n' "$m" "$w" "${CPU[$m]}"
}
acgets() { grep -c '^GET /ac/[^ ]* 200$' "$N/logs/access.log" || true; }

{
	echo "# goforge cacheprog team cache, $(date -u +%FT%TZ), $(go version | cut -d' ' -f3), $(nproc) cores, $PROGRAM"
	echo "# targets: $TARGETS"
	echo "# load at start: $LOAD_START"
	release A-fills-remote --cache "$REMOTE"
	hitsA=$(acgets)
	release B-from-remote --cache "$REMOTE"
	hitsB=$(( $(acgets) - hitsA ))
	release B-cold-no-remote
	echo "# load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
	cmp -s <(cd "$OUT/B-from-remote/dist" && find . -type f ! -name '*.json' -exec sha256sum {} + | sort) \
		<(cd "$OUT/B-cold-no-remote/dist" && find . -type f ! -name '*.json' -exec sha256sum {} + | sort) &&
		echo "B from remote and B cold made identical files" || echo "B from remote and B cold differ (see dist/)"
	echo "remote: $(du -sh "$N/data" | cut -f1), $(grep -c '^PUT ' "$N/logs/access.log" || true) PUTs by A; $hitsB action hits served to B"
	echo "B from remote vs B cold: $(echo "scale=1; ${WALL[B-cold-no-remote]} / ${WALL[B-from-remote]}" | bc)x less wall, $(echo "scale=1; ${CPU[B-cold-no-remote]} / ${CPU[B-from-remote]}" | bc)x less CPU (goals 5x, 10x)"
} | tee "$ROOT/bench/out/cacheprog-results.txt"
