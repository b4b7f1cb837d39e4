#!/usr/bin/env bash
# bench/doctor.sh: time 'goforge doctor' and 'goforge env' against a single
# 'go env -json' on the same machine, in one run, as a ratio.
# Usage: bash bench/doctor.sh [runs]   (default 50 runs each, after a warm-up)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-50}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/goforge" ./cmd/goforge

# mean_ms runs a command n times and prints the mean wall time in ms.
mean_ms() {
	"$@" >/dev/null 2>&1 || true # warm-up
	local start end
	start=$(date +%s%N)
	for ((i = 0; i < n; i++)); do "$@" >/dev/null 2>&1 || true; done
	end=$(date +%s%N)
	awk -v ns=$((end - start)) -v n="$n" 'BEGIN { printf "%.1f", ns / n / 1e6 }'
}

goenv=$(mean_ms go env -json)
doctor=$(mean_ms "$tmp/goforge" doctor)
env=$(mean_ms "$tmp/goforge" env --json)
printf '%-22s %8s ms\n' "go env -json" "$goenv"
printf '%-22s %8s ms  (%.2fx go env -json)\n' "goforge doctor" "$doctor" "$(awk -v a="$doctor" -v b="$goenv" 'BEGIN{print a/b}')"
printf '%-22s %8s ms  (%.2fx go env -json)\n' "goforge env --json" "$env" "$(awk -v a="$env" -v b="$goenv" 'BEGIN{print a/b}')"
