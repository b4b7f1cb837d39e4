package xbuild

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/goforge/goforge/internal/verify"
)

// CrossCC is Debian's cross C toolchain for one Linux architecture: the
// compiler, the apt packages that install it with its C library, and the
// sysroot those put under /usr/<triplet>.
type CrossCC struct {
	Triplet string `json:"triplet"`
	// Packages are what 'apt-get install' needs: the compiler and the
	// C library's development files for the architecture.
	Packages []string `json:"packages"`
	// Interp is the dynamic loader a glibc program for the architecture
	// names in PT_INTERP.
	Interp string `json:"interp"`
}

// Compiler is the cross gcc's name.
func (c CrossCC) Compiler() string { return c.Triplet + "-gcc" }

// Sysroot is where Debian's libc6-*-cross packages put the target's
// loader and libraries; qemu-user runs programs with -L Sysroot.
func (c CrossCC) Sysroot() string { return "/usr/" + c.Triplet }

func crossCC(triplet, debArch, interp string) CrossCC {
	return CrossCC{Triplet: triplet, Interp: interp,
		Packages: []string{"gcc-" + triplet, "libc6-dev-" + debArch + "-cross"}}
}

// crossCCs maps GOARCH to the Debian cross toolchain for linux/GOARCH.
var crossCCs = map[string]CrossCC{
	"amd64":    crossCC("x86-64-linux-gnu", "amd64", "/lib64/ld-linux-x86-64.so.2"),
	"386":      crossCC("i686-linux-gnu", "i386", "/lib/ld-linux.so.2"),
	"arm":      crossCC("arm-linux-gnueabihf", "armhf", "/lib/ld-linux-armhf.so.3"),
	"arm64":    crossCC("aarch64-linux-gnu", "arm64", "/lib/ld-linux-aarch64.so.1"),
	"riscv64":  crossCC("riscv64-linux-gnu", "riscv64", "/lib/ld-linux-riscv64-lp64d.so.1"),
	"ppc64le":  crossCC("powerpc64le-linux-gnu", "ppc64el", "/lib64/ld64.so.2"),
	"s390x":    crossCC("s390x-linux-gnu", "s390x", "/lib/ld64.so.1"),
	"mips64le": crossCC("mips64el-linux-gnuabi64", "mips64el", "/lib64/ld.so.1"),
}

// CrossCCFor returns Debian's cross toolchain for a linux target. GOARM=5
// and soft-float ARM take armel (arm-linux-gnueabi); other ARM levels the
// hard-float armhf, whose ABI GOARM=6 and 7 programs use.
func CrossCCFor(t Target) (CrossCC, bool) {
	if t.GOOS != "linux" {
		return CrossCC{}, false
	}
	if t.GOARCH == "arm" && (strings.HasPrefix(t.Variant, "5") || strings.Contains(t.Variant, "softfloat")) {
		return crossCC("arm-linux-gnueabi", "armel", "/lib/ld-linux.so.3"), true
	}
	c, ok := crossCCs[t.GOARCH]
	return c, ok
}

// missingCrossCC is the error for a cgo build of a foreign linux target
// with no C compiler: which one to install, and how.
func missingCrossCC(t Target) error {
	c, ok := CrossCCFor(t)
	if !ok || t.GOARCH == runtime.GOARCH {
		return nil
	}
	return fmt.Errorf("%s: cgo needs a C cross compiler for %s: install %s (apt-get install %s), or set CC_FOR_%s_%s or cc in [build.target.%q]",
		t, t, c.Compiler(), strings.Join(c.Packages, " "), t.GOOS, t.GOARCH, t.GOOS+"/"+t.GOARCH)
}

// crossLinkage checks a dynamically linked cgo output for a foreign linux
// target built with Debian's cross toolchain: it names the architecture's
// loader, and every library it needs is in the sysroot, where the target
// system (and qemu-user -L) will look for it.
func crossLinkage(j *Job, info *verify.Info, hostArch string) []string {
	c, ok := CrossCCFor(j.Target)
	if !ok || !j.Cgo || info.Static || info.Format != "elf" {
		return nil
	}
	var probs []string
	if info.Interpreter != c.Interp {
		probs = append(probs, fmt.Sprintf("interpreter is %q, want %s for %s", info.Interpreter, c.Interp, j.Target))
	}
	if j.Target.GOARCH == hostArch {
		return probs
	}
	if _, err := os.Stat(c.Sysroot()); err != nil {
		return probs // not Debian's cross toolchain: no sysroot to check against
	}
	for _, lib := range info.Needed {
		if !inSysroot(c.Sysroot(), lib) {
			probs = append(probs, fmt.Sprintf("needs %s, which is not in the %s sysroot %s", lib, j.Target, c.Sysroot()))
		}
	}
	return probs
}

func inSysroot(root, lib string) bool {
	for _, dir := range []string{"lib", "lib64", "usr/lib"} {
		if _, err := os.Stat(filepath.Join(root, dir, lib)); err == nil {
			return true
		}
	}
	return false
}

// CrossSysroot is the sysroot qemu-user needs (-L) to run a dynamically
// linked cgo output for a foreign linux target, or "" when it needs none.
func CrossSysroot(j *Job) string {
	c, ok := CrossCCFor(j.Target)
	if !ok || !j.Cgo || j.Static {
		return ""
	}
	if _, err := os.Stat(c.Sysroot()); err != nil {
		return ""
	}
	return c.Sysroot()
}
