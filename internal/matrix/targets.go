package matrix

import (
	"errors"
	"fmt"
	"go/version"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// A Target is a GOOS/GOARCH pair tests are built for.
type Target struct {
	GOOS, GOARCH string
}

func (t Target) String() string { return t.GOOS + "/" + t.GOARCH }

// ParseTargets parses "linux/amd64,linux/arm64,js/wasm". An empty list is
// this machine's platform.
func ParseTargets(list string) ([]Target, error) {
	if strings.TrimSpace(list) == "" {
		return []Target{{runtime.GOOS, runtime.GOARCH}}, nil
	}
	var out []Target
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		goos, goarch, ok := strings.Cut(f, "/")
		if !ok || goos == "" || goarch == "" || strings.ContainsAny(goarch, "/*?[") || strings.ContainsAny(goos, "*?[") {
			return nil, fmt.Errorf("target %q is not GOOS/GOARCH", f)
		}
		t := Target{goos, goarch}
		if !containsTarget(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

func containsTarget(ts []Target, t Target) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

// An Exec says how the tests of one target run on this machine: Env is
// added to the go command's environment, Args to its flags (-exec ...).
// Skip, when set, says why the target cannot run here.
type Exec struct {
	Env  []string
	Args []string
	Skip string
}

// qemuArch maps GOARCH to the name qemu-user uses.
var qemuArch = map[string]string{
	"amd64": "x86_64", "386": "i386", "arm64": "aarch64", "arm": "arm",
	"riscv64": "riscv64", "ppc64le": "ppc64le", "ppc64": "ppc64", "s390x": "s390x",
	"mips": "mips", "mipsle": "mipsel", "mips64": "mips64", "mips64le": "mips64el",
	"loong64": "loongarch64",
}

// ExecFor finds how to run t's tests with the toolchain at goroot of Go
// version goVersion: natively, under qemu-user, or through the toolchain's
// WebAssembly exec wrappers. lookPath finds programs on PATH.
func ExecFor(t Target, goroot, goVersion string, lookPath func(string) (string, error)) Exec {
	host := Target{runtime.GOOS, runtime.GOARCH}
	cross := []string{"GOOS=" + t.GOOS, "GOARCH=" + t.GOARCH}
	switch {
	case t == host:
		return Exec{}
	case t.GOOS == "linux" && host.GOOS == "linux" && host.GOARCH == "amd64" && t.GOARCH == "386":
		return Exec{Env: append(cross, "CGO_ENABLED=0")}
	case t.GOOS == "linux" && host.GOOS == "linux":
		q, ok := qemuArch[t.GOARCH]
		if !ok {
			return Exec{Skip: fmt.Sprintf("no emulator known for %s", t)}
		}
		name := "qemu-" + q + "-static"
		path, err := lookPath(name)
		if err != nil {
			return Exec{Skip: fmt.Sprintf("needs %s, which is not installed", name)}
		}
		return Exec{Env: append(cross, "CGO_ENABLED=0"), Args: []string{"-exec", path}}
	case t == Target{"js", "wasm"}:
		return wasmExec(t, goroot, "go_js_wasm_exec", "node", lookPath)
	case t == Target{"wasip1", "wasm"}:
		if version.Compare(goVersion, "go1.21") < 0 {
			return Exec{Skip: "wasip1 needs Go 1.21 or later"}
		}
		for _, rt := range []string{"wasmtime", "wazero", "wasmedge"} {
			if _, err := lookPath(rt); err == nil {
				e := wasmExec(t, goroot, "go_wasip1_wasm_exec", rt, lookPath)
				e.Env = append(e.Env, "GOWASIRUNTIME="+rt)
				return e
			}
		}
		return Exec{Skip: "needs wasmtime, wazero or wasmedge on PATH"}
	}
	return Exec{Skip: fmt.Sprintf("no runner for %s on %s", t, host)}
}

// wasmExec uses the toolchain's own wrapper script: lib/wasm since Go 1.24,
// misc/wasm before.
func wasmExec(t Target, goroot, script, runtimeName string, lookPath func(string) (string, error)) Exec {
	if _, err := lookPath(runtimeName); err != nil {
		return Exec{Skip: fmt.Sprintf("needs %s, which is not installed", runtimeName)}
	}
	for _, dir := range []string{"lib/wasm", "misc/wasm"} {
		p := filepath.Join(goroot, dir, script)
		if _, err := os.Stat(p); err == nil {
			return Exec{Env: []string{"GOOS=" + t.GOOS, "GOARCH=" + t.GOARCH, "CGO_ENABLED=0"}, Args: []string{"-exec", p}}
		} else if !errors.Is(err, os.ErrNotExist) {
			return Exec{Skip: fmt.Sprintf("reading %s: %v", p, err)}
		}
	}
	return Exec{Skip: fmt.Sprintf("the toolchain has no %s", script)}
}
