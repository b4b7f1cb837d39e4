package goenv

import "strings"

// unameArch maps a uname -m machine name to GOARCH.
func unameArch(m string) string {
	switch {
	case m == "x86_64" || m == "amd64":
		return "amd64"
	case m == "aarch64" || m == "arm64":
		return "arm64"
	case m == "i386" || m == "i486" || m == "i586" || m == "i686" || m == "i86pc":
		return "386"
	case strings.HasPrefix(m, "armv") || m == "arm":
		return "arm"
	case m == "riscv64" || m == "ppc64le" || m == "ppc64" || m == "s390x" || m == "mips64" || m == "mips":
		return m
	case m == "loongarch64":
		return "loong64"
	}
	return m
}
