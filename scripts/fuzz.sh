#!/usr/bin/env bash
# Short fuzz runs of the parsers of untrusted bytes (check.sh runs this).
set -euo pipefail
cd "$(dirname "$0")/.."

# fuzz TARGET PKG [go test flags...] runs one fuzz target. A crash always
# writes a failing input under testdata/fuzz and fails the run. The fuzzing
# engine also reports a bare "context deadline exceeded", with no failing
# input, when -fuzztime ends while a worker is still busy with an input;
# that says nothing about the code under test, so it is reported, not failed.
fuzz() {
	local target=$1 pkg=$2 out
	shift 2
	out=$(mktemp)
	if go test -run '^$' -fuzz "^$target\$" "$@" "$pkg" >"$out" 2>&1; then
		cat "$out"
	elif grep -q 'context deadline exceeded' "$out" && ! grep -q 'Failing input written to' "$out"; then
		cat "$out"
		echo "fuzz.sh: $target: the run ended mid-input (context deadline exceeded, no failing input); not a failure"
	else
		cat "$out"
		rm -f "$out"
		return 1
	fi
	rm -f "$out"
}
fuzz FuzzParsePhase ./internal/fromsource -fuzztime 10s
fuzz FuzzParseRequirement ./internal/fromsource -fuzztime 10s
fuzz FuzzParseHeader ./internal/constraint -fuzztime 10s
fuzz FuzzOwner ./internal/ciconf -fuzztime 5s -fuzzminimizetime 2s
fuzz FuzzParse ./internal/pclntab -fuzztime 10s
fuzz FuzzFind ./internal/pclntab -fuzztime 10s -fuzzminimizetime 2s
fuzz FuzzNewFile ./internal/binfile -fuzztime 10s -fuzzminimizetime 2s
fuzz FuzzZip ./internal/unpack -fuzztime 5s -fuzzminimizetime 2s
fuzz FuzzTarGz ./internal/unpack -fuzztime 5s -fuzzminimizetime 2s
fuzz FuzzParseIndex ./internal/dl -fuzztime 5s
fuzz FuzzParseGoenv ./internal/pin -fuzztime 10s
fuzz FuzzParsePinFiles ./internal/pin -fuzztime 10s
fuzz FuzzReadWasm ./internal/verify/objinfo -fuzztime 10s
fuzz FuzzParseChecksums ./internal/release -fuzztime 5s
fuzz FuzzParseConfig ./internal/xbuild -fuzztime 10s
fuzz FuzzOutputCacheEntry ./internal/xbuild -fuzztime 5s -fuzzminimizetime 2s
fuzz FuzzIndex ./internal/cacheprog -fuzztime 5s -fuzzminimizetime 2s
fuzz FuzzStreamZip ./internal/unpack -fuzztime 10s -fuzzminimizetime 2s
fuzz FuzzRC ./internal/shellhook -fuzztime 10s -fuzzminimizetime 2s
fuzz FuzzOpenArchive ./internal/image -fuzztime 10s -fuzzminimizetime 2s
fuzz FuzzReadImage ./internal/firmware/fwimage -fuzztime 10s -fuzzminimizetime 2s
fuzz FuzzParseMap ./internal/firmware/fwimage -fuzztime 5s
fuzz FuzzParseTestJSON ./internal/matrix -fuzztime 5s
fuzz FuzzReader ./internal/cacheprog -fuzztime 10s -fuzzminimizetime 2s
fuzz FuzzParseRequest ./internal/cacheprog -fuzztime 5s -fuzzminimizetime 2s
fuzz FuzzAppendResponse ./internal/cacheprog -fuzztime 5s -fuzzminimizetime 2s
fuzz FuzzComplete ./internal/completion -fuzztime 5s -fuzzminimizetime 2s
fuzz FuzzParseEntry ./internal/cacheprog -fuzztime 5s
