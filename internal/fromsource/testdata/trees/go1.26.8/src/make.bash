#!/usr/bin/env bash
# Excerpt of Go 1.26.8 src/make.bash (the lines goforge reads).
bootgo=1.24.6
	for d in sdk/go$bootgo go$bootgo; do
	echo "Set \$GOROOT_BOOTSTRAP to a working Go tree >= Go $bootgo." >&2
	echo "Set \$GOROOT_BOOTSTRAP to a working Go tree >= Go $bootgo." >&2
