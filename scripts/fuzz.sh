#!/usr/bin/env bash
# Short fuzz runs of the parsers of untrusted bytes (check.sh runs this).
set -euo pipefail
cd "$(dirname "$0")/.."
go test -run '^$' -fuzz '^FuzzParsePhase$' -fuzztime 10s ./internal/fromsource
go test -run '^$' -fuzz '^FuzzParseRequirement$' -fuzztime 10s ./internal/fromsource
go test -run '^$' -fuzz '^FuzzParseHeader$' -fuzztime 10s ./internal/constraint
go test -run '^$' -fuzz '^FuzzParse$' -fuzztime 10s ./internal/pclntab
go test -run '^$' -fuzz '^FuzzFind$' -fuzztime 10s -fuzzminimizetime 2s ./internal/pclntab
go test -run '^$' -fuzz '^FuzzNewFile$' -fuzztime 10s -fuzzminimizetime 2s ./internal/binfile
go test -run '^$' -fuzz '^FuzzZip$' -fuzztime 5s -fuzzminimizetime 2s ./internal/unpack
go test -run '^$' -fuzz '^FuzzTarGz$' -fuzztime 5s -fuzzminimizetime 2s ./internal/unpack
go test -run '^$' -fuzz '^FuzzParseIndex$' -fuzztime 5s ./internal/dl
go test -run '^$' -fuzz '^FuzzParseGoenv$' -fuzztime 10s ./internal/pin
go test -run '^$' -fuzz '^FuzzParsePinFiles$' -fuzztime 10s ./internal/pin
go test -run '^$' -fuzz '^FuzzReadWasm$' -fuzztime 10s ./internal/verify/objinfo
go test -run '^$' -fuzz '^FuzzParseChecksums$' -fuzztime 5s ./internal/release
go test -run '^$' -fuzz '^FuzzParseConfig$' -fuzztime 10s ./internal/xbuild
go test -run '^$' -fuzz '^FuzzStreamZip$' -fuzztime 10s -fuzzminimizetime 2s ./internal/unpack
