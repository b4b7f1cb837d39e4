#!/usr/bin/env bash
# bench/firmware.sh: 'goforge firmware build' of the scaffold against the
# hand-written three-command flow a user would otherwise run:
#   arm-none-eabi-gcc -c ...; arm-none-eabi-gcc -T linker.ld ...; objcopy -O binary
# with the same flags. goforge also writes the map file and the Intel HEX,
# checks the vector table and sections, and reports sizes per section and
# object, so the ratio shows what all of that costs.
#
# Each side runs N times alternately (the machine is shared); the medians
# are compared. The acceptance bar is goforge within 10% of the hand flow.
#
# Usage: bench/firmware.sh            (writes bench/out/firmware-results.txt)
# Env:   BOARD=lm3s6965evb N=15
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/bench/out/firmware
BOARD=${BOARD:-lm3s6965evb}
N=${N:-15}
command -v arm-none-eabi-gcc >/dev/null || { echo "needs arm-none-eabi-gcc (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi)"; exit 1; }

rm -rf "$OUT" && mkdir -p "$OUT"
go build -o "$OUT/goforge" ./cmd/goforge
"$OUT/goforge" firmware new "$OUT/fw" --board "$BOARD" >/dev/null
cd "$OUT/fw"

# The flags goforge uses, as it reports them, so both sides compile the same.
read -r -a CFLAGS < <("$OUT/goforge" firmware build --json | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["cflags"]))')
read -r -a CORE < <("$OUT/goforge" firmware build --json | python3 -c 'import json,sys; c=json.load(sys.stdin)["cflags"]; print(" ".join(c[:c.index("-Os")]))')

hand() {
	rm -rf hand && mkdir hand && cd hand
	arm-none-eabi-gcc "${CFLAGS[@]}" -c ../main.c ../semihost.c ../startup.c
	arm-none-eabi-gcc "${CORE[@]}" -T ../linker.ld -nostartfiles -Wl,--gc-sections main.o semihost.o startup.o -o firmware.elf
	arm-none-eabi-objcopy -O binary firmware.elf firmware.bin
	cd ..
}
forge() { "$OUT/goforge" firmware build >/dev/null; }

now() { date +%s%N; }
declare -a H G
for i in $(seq "$N"); do
	s=$(now); hand; e=$(now); H+=($(((e - s) / 1000)))
	s=$(now); forge; e=$(now); G+=($(((e - s) / 1000)))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
h=$(median "${H[@]}")
g=$(median "${G[@]}")
{
	echo "firmware build of the $BOARD scaffold, median of $N alternating runs"
	echo "load: $(uptime)"
	printf '%-40s %8.1f ms\n' "hand: gcc -c, gcc -T, objcopy -O binary" "$(echo "$h / 1000" | bc -l)"
	printf '%-40s %8.1f ms\n' "goforge firmware build (+HEX, map, checks)" "$(echo "$g / 1000" | bc -l)"
	printf 'ratio goforge/hand: %.3f (acceptance: <= 1.10)\n' "$(echo "$g / $h" | bc -l)"
	cmp hand/firmware.bin build/firmware.bin && echo "BIN identical to the hand flow's"
} | tee "$ROOT/bench/out/firmware-results.txt"
