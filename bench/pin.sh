#!/usr/bin/env bash
# bench/pin.sh: the cost of goforge's bash hook, in one run, against what a
# user would otherwise run: direnv's bash hook (direnv export at every
# prompt) and 'direnv exec'. goenv's shims are not measured: goenv is not
# packaged for Debian and cannot be fetched without the internet.
#
#   idle prompt   the hook at a prompt when nothing changed (1,000 prompts)
#   cd            cd into a pinned project and the prompt after it (100 times)
#
# Usage: bash bench/pin.sh [prompts]   (default 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
go build -o "$tmp/goforge" ./cmd/goforge
export HOME=$tmp/home GOFORGE_HOME=$tmp/gf XDG_CONFIG_HOME=$tmp/home/.config \
	XDG_DATA_HOME=$tmp/home/.local/share XDG_CACHE_HOME=$tmp/home/.cache
mkdir -p "$HOME"
"$tmp/goforge" adopt "$(go env GOROOT)" >/dev/null
pinned=latest
if [ -x /usr/lib/go-1.19/bin/go ]; then
	"$tmp/goforge" adopt /usr/lib/go-1.19 >/dev/null
	pinned=1.19
fi
"$tmp/goforge" use latest 2>/dev/null
# A project at a usual depth: ~/src/github.com/org/proj/pkg.
proj=$HOME/src/github.com/org/proj
mkdir -p "$proj/pkg"
printf 'GO_VERSION="%s"\nGO_BUILD_TAGS="bench"\n' "$pinned" >"$proj/.goenv"
printf 'module example.com/proj\n\ngo 1.19\n' >"$proj/go.mod"
printf '#!/bin/sh\necho x >> %s/spawns\nexec %s/goforge "$@"\n' "$tmp" "$tmp" >"$tmp/count.sh"
chmod +x "$tmp/count.sh"
: >"$tmp/spawns"

cat >"$tmp/goforge.bash" <<SH
eval "\$('$tmp/goforge' shell-init bash --no-path)"
_goforge_bin=$tmp/count.sh
us() { local a=\${1/./} b=\${2/./}; echo \$(( 10#\$b - 10#\$a )); }
cd $proj/pkg; _goforge_hook
: > $tmp/spawns
t0=\$EPOCHREALTIME
for ((i = 0; i < $n; i++)); do _goforge_hook; done
t1=\$EPOCHREALTIME
echo "idle \$(us \$t0 \$t1) \$(wc -l < $tmp/spawns)"
total=0
for ((i = 0; i < 100; i++)); do
	cd $HOME; _goforge_hook
	t0=\$EPOCHREALTIME; cd $proj/pkg; _goforge_hook; t1=\$EPOCHREALTIME
	total=\$(( total + \$(us \$t0 \$t1) ))
done
echo "cd \$total \$(go version)"
SH

have_direnv=false
if command -v direnv >/dev/null; then
	have_direnv=true
	"$tmp/goforge" direnv install 2>/dev/null
	echo 'use goforge' >"$proj/.envrc"
	direnv allow "$proj"
	cat >"$tmp/direnv.bash" <<SH
eval "\$(direnv hook bash)"
us() { local a=\${1/./} b=\${2/./}; echo \$(( 10#\$b - 10#\$a )); }
cd $proj/pkg; _direnv_hook 2>/dev/null
t0=\$EPOCHREALTIME
for ((i = 0; i < $n; i++)); do _direnv_hook 2>/dev/null; done
t1=\$EPOCHREALTIME
echo "idle \$(us \$t0 \$t1)"
total=0
for ((i = 0; i < 100; i++)); do
	cd $HOME; _direnv_hook 2>/dev/null
	t0=\$EPOCHREALTIME; cd $proj/pkg; _direnv_hook 2>/dev/null; t1=\$EPOCHREALTIME
	total=\$(( total + \$(us \$t0 \$t1) ))
done
echo "cd \$total \$(go version)"
t0=\$EPOCHREALTIME
for ((i = 0; i < 100; i++)); do direnv exec $proj true 2>/dev/null; done
t1=\$EPOCHREALTIME
echo "exec \$(us \$t0 \$t1)"
SH
fi

# Floors for the cd case: starting goforge at all, and a hello-world Go
# program, under the same load.
mkdir -p "$tmp/hello"
printf 'package main\n\nfunc main() { println("hi") }\n' >"$tmp/hello/main.go"
(cd "$tmp/hello" && GO111MODULE=off go build -o "$tmp/hello/hello" main.go)
start_us() {
	local t0 t1
	t0=$(date +%s%N)
	for ((i = 0; i < 100; i++)); do "$@" >/dev/null 2>&1; done
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000))
}
gf_start=$(start_us "$tmp/goforge" version)
hello_start=$(start_us "$tmp/hello/hello")

read -r _ gf_idle gf_spawns < <(bash --norc --noprofile "$tmp/goforge.bash" 2>/dev/null | grep '^idle')
read -r _ gf_cd gf_go < <(bash --norc --noprofile "$tmp/goforge.bash" 2>/dev/null | grep '^cd')
ms() { awk -v us="$1" -v n="$2" 'BEGIN { printf "%.3f", us / n / 1000 }'; }
printf 'project %s pins go %s (%s)\n\n' "$proj/pkg" "$pinned" "$gf_go"
printf '%-44s %10s\n' "what" "ms each"
printf '%-44s %10s   (%d prompts, %s processes spawned)\n' "goforge hook, idle prompt" "$(ms "$gf_idle" "$n")" "$n" "$gf_spawns"
printf '%-44s %10s\n' "goforge hook, cd into the project + prompt" "$(ms "$gf_cd" 100)"
printf '%-44s %10s\n' "  floor: start 'goforge version'" "$(ms "$gf_start" 100)"
printf '%-44s %10s\n' "  floor: start a hello-world Go program" "$(ms "$hello_start" 100)"
if $have_direnv; then
	out=$(bash --norc --noprofile "$tmp/direnv.bash" 2>/dev/null)
	d_idle=$(awk '$1=="idle"{print $2}' <<<"$out")
	d_cd=$(awk '$1=="cd"{print $2}' <<<"$out")
	d_exec=$(awk '$1=="exec"{print $2}' <<<"$out")
	printf '%-44s %10s   (%.0fx goforge)\n' "direnv hook (use goforge), idle prompt" "$(ms "$d_idle" "$n")" "$(awk -v a="$d_idle" -v b="$gf_idle" 'BEGIN{print a/b}')"
	printf '%-44s %10s   (%.1fx goforge)\n' "direnv hook (use goforge), cd + prompt" "$(ms "$d_cd" 100)" "$(awk -v a="$d_cd" -v b="$gf_cd" 'BEGIN{print a/b}')"
	printf '%-44s %10s   (%.0fx a goforge idle prompt)\n' "direnv exec DIR true" "$(ms "$d_exec" 100)" "$(awk -v a="$d_exec" -v b="$gf_idle" -v n="$n" 'BEGIN{print (a/100)/(b/n)}')"
else
	echo "direnv: not installed (apt-get install direnv)"
fi
echo "goenv shims: not measured (goenv is not in Debian's apt and needs a git clone from GitHub)"
