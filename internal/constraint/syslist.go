package constraint

// knownOS, unixOS and knownArch mirror go/build's internal/syslist: the
// names that make a file-name suffix such as _linux or _arm64 a
// constraint. The lists include retired and future ports on purpose, as
// go/build's do, so that "x_nacl.go" stays excluded everywhere.
var knownOS = map[string]bool{
	"aix": true, "android": true, "darwin": true, "dragonfly": true,
	"freebsd": true, "hurd": true, "illumos": true, "ios": true, "js": true,
	"linux": true, "nacl": true, "netbsd": true, "openbsd": true,
	"plan9": true, "solaris": true, "wasip1": true, "windows": true,
	"zos": true,
}

var unixOS = map[string]bool{
	"aix": true, "android": true, "darwin": true, "dragonfly": true,
	"freebsd": true, "hurd": true, "illumos": true, "ios": true,
	"linux": true, "netbsd": true, "openbsd": true, "solaris": true,
}

var knownArch = map[string]bool{
	"386": true, "amd64": true, "amd64p32": true, "arm": true, "armbe": true,
	"arm64": true, "arm64be": true, "loong64": true, "mips": true,
	"mipsle": true, "mips64": true, "mips64le": true, "mips64p32": true,
	"mips64p32le": true, "ppc": true, "ppc64": true, "ppc64le": true,
	"riscv": true, "riscv64": true, "s390": true, "s390x": true,
	"sparc": true, "sparc64": true, "wasm": true,
}

// KnownOS reports whether name is a GOOS that go/build recognizes in file
// names and build constraints.
func KnownOS(name string) bool { return knownOS[name] }

// KnownArch reports whether name is a GOARCH that go/build recognizes in
// file names and build constraints.
func KnownArch(name string) bool { return knownArch[name] }

// UnixOS reports whether the "unix" build tag is satisfied on goos.
func UnixOS(goos string) bool { return unixOS[goos] }
