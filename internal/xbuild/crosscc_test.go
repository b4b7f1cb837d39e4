package xbuild

import (
	"os"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/verify"
)

func TestCrossCCFor(t *testing.T) {
	for _, tc := range []struct {
		target, cc, pkgs, interp string
	}{
		{"linux/arm64", "aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu libc6-dev-arm64-cross", "/lib/ld-linux-aarch64.so.1"},
		{"linux/arm/7", "arm-linux-gnueabihf-gcc", "gcc-arm-linux-gnueabihf libc6-dev-armhf-cross", "/lib/ld-linux-armhf.so.3"},
		{"linux/arm", "arm-linux-gnueabihf-gcc", "gcc-arm-linux-gnueabihf libc6-dev-armhf-cross", "/lib/ld-linux-armhf.so.3"},
		{"linux/arm/5", "arm-linux-gnueabi-gcc", "gcc-arm-linux-gnueabi libc6-dev-armel-cross", "/lib/ld-linux.so.3"},
		{"linux/riscv64", "riscv64-linux-gnu-gcc", "gcc-riscv64-linux-gnu libc6-dev-riscv64-cross", "/lib/ld-linux-riscv64-lp64d.so.1"},
		{"darwin/arm64", "", "", ""},
		{"linux/loong64", "", "", ""},
	} {
		parts := strings.SplitN(tc.target+"/", "/", 3)
		tg := Target{GOOS: parts[0], GOARCH: parts[1], Variant: strings.TrimSuffix(parts[2], "/")}
		c, ok := CrossCCFor(tg)
		if ok != (tc.cc != "") || (ok && (c.Compiler() != tc.cc || strings.Join(c.Packages, " ") != tc.pkgs || c.Interp != tc.interp)) {
			t.Errorf("%s: %+v %v, want %s (%s) %s", tc.target, c, ok, tc.cc, tc.pkgs, tc.interp)
		}
	}
}

func TestCrossLinkage(t *testing.T) {
	if _, err := os.Stat("/usr/aarch64-linux-gnu/lib/libc.so.6"); err != nil {
		t.Skip("needs the arm64 sysroot (apt-get install libc6-dev-arm64-cross)")
	}
	arm64 := &Job{Target: Target{GOOS: "linux", GOARCH: "arm64"}, Cgo: true}
	for _, tc := range []struct {
		name string
		job  *Job
		info verify.Info
		want []string
	}{
		{"good", arm64, verify.Info{Format: "elf", Interpreter: "/lib/ld-linux-aarch64.so.1", Needed: []string{"libc.so.6"}}, nil},
		{"x86 loader", arm64, verify.Info{Format: "elf", Interpreter: "/lib64/ld-linux-x86-64.so.2", Needed: []string{"libc.so.6"}},
			[]string{`interpreter is "/lib64/ld-linux-x86-64.so.2", want /lib/ld-linux-aarch64.so.1 for linux/arm64`}},
		{"library not in the sysroot", arm64, verify.Info{Format: "elf", Interpreter: "/lib/ld-linux-aarch64.so.1", Needed: []string{"libc.so.6", "libfoo.so.1"}},
			[]string{"needs libfoo.so.1, which is not in the linux/arm64 sysroot /usr/aarch64-linux-gnu"}},
		{"static", arm64, verify.Info{Format: "elf", Static: true}, nil},
		{"no cgo", &Job{Target: arm64.Target}, verify.Info{Format: "elf", Interpreter: "/x"}, nil},
	} {
		got := crossLinkage(tc.job, &tc.info, "amd64")
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}
