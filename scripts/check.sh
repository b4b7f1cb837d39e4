#!/usr/bin/env bash
# check.sh: install what goforge's tests need on a fresh Debian machine
# (as root, with apt-get), then vet and test everything, then prove that
# goforge cross-compiles for every platform it ships on.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s (%s)\n' "$*" "$(date +%T)"; }

install_packages() {
	local want=() missing=()
	mapfile -t want < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' .ci/packages.txt)
	for p in "${want[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		echo "all ${#want[@]} packages present"
		return
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "check.sh: missing packages (${missing[*]}); run as root to install them" >&2
		return
	fi
	echo "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

step "system packages"
install_packages

export PATH="$PATH:$(go env GOPATH)/bin"

step "go mod download"
go mod download

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

step "go vet"
go vet ./...

step "cross-compile goforge"
for t in linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64; do
	GOOS=${t%/*} GOARCH=${t#*/} CGO_ENABLED=0 go build -o /dev/null ./cmd/goforge
	echo "ok $t"
done

step "go test"
go test -count=1 -timeout 40m ./...

if [ -x scripts/fuzz.sh ]; then
	step "short fuzz runs"
	scripts/fuzz.sh
fi
if [ -f scripts/source-e2e.sh ]; then
	# Its own step so its minutes are visible: a real make.bash of the
	# installed Go, installed as a managed version and checked for
	# reproducibility against the binary distribution.
	step "build Go from source (end to end)"
	start=$(date +%s)
	bash scripts/source-e2e.sh
	echo "source build step took $(($(date +%s) - start)) s"
fi
step "done"
