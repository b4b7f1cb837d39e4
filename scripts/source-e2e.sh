#!/usr/bin/env bash
# source-e2e.sh: the real from-source build of issue 8, as its own timed CI
# step. It copies $(go env GOROOT), builds it with make.bash through
# 'goforge install --from-source --verify-reproducible', installs it as a
# managed version, builds and runs a hello-world with it, and compares
# bin/go, bin/gofmt and pkg/tool/*/* with the binary distribution.
# Several minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
GOFORGE_SOURCE_TEST=1 go test -count=1 -timeout 60m -run '^TestSourceE2E$' -v ./internal/cli/
echo "source-e2e: wall time $(( $(date +%s) - start ))s"
