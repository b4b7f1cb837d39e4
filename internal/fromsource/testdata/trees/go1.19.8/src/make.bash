#!/usr/bin/env bash
# Excerpt of Go 1.19.8 src/make.bash (the lines goforge reads).
# GOROOT_FINAL: The expected final Go root, baked into binaries.
# GOROOT_BOOTSTRAP: A working Go tree >= Go 1.4 for bootstrap.
	echo "Set \$GOROOT_BOOTSTRAP to a working Go tree >= Go 1.4." >&2
	echo "Set \$GOROOT_BOOTSTRAP to a working Go tree >= Go 1.4." >&2
