package verify

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	static := &Info{Format: "elf", Arch: "arm64", Static: true}
	dynamic := &Info{Format: "elf", Arch: "amd64", Interpreter: "/lib64/ld-linux-x86-64.so.2", Needed: []string{"libc.so.6"}}
	tests := []struct {
		info         *Info
		goos, goarch string
		static       bool
		want         string
	}{
		{static, "linux", "arm64", true, ""},
		{static, "linux", "amd64", true, "architecture is arm64, want amd64"},
		{static, "windows", "arm64", false, "object format is elf, want pe for windows"},
		{dynamic, "linux", "amd64", true, "not static: interpreter /lib64/ld-linux-x86-64.so.2; needs libc.so.6"},
		{dynamic, "linux", "amd64", false, ""},
		{&Info{Format: "wasm", Arch: "wasm", OS: "js"}, "wasip1", "wasm", false, "WebAssembly module is for js, want wasip1"},
		{&Info{Format: "macho", Arch: "arm64"}, "darwin", "arm64", false, ""},
	}
	for _, tt := range tests {
		got := strings.Join(Check(tt.info, tt.goos, tt.goarch, tt.static), "; ")
		if got != tt.want {
			t.Errorf("Check(%+v, %s/%s, %v) = %q, want %q", *tt.info, tt.goos, tt.goarch, tt.static, got, tt.want)
		}
	}
}

func TestFindRunner(t *testing.T) {
	have := map[string]bool{"qemu-aarch64-static": true, "qemu-riscv64": true, "node": true}
	look := func(name string) (string, error) {
		if have[name] {
			return "/usr/bin/" + name, nil
		}
		return "", errors.New("not found")
	}
	goroot := t.TempDir()
	helper := filepath.Join(goroot, "lib", "wasm", "wasm_exec_node.js")
	os.MkdirAll(filepath.Dir(helper), 0o755)
	os.WriteFile(helper, nil, 0o644)
	env := RunnerEnv{HostOS: "linux", HostArch: "amd64", GOROOT: goroot, LookPath: look}
	tests := []struct {
		goos, goarch string
		want         Runner
	}{
		{"linux", "amd64", Runner{Kind: "native"}},
		{"linux", "386", Runner{Kind: "native"}},
		{"linux", "arm64", Runner{Kind: "qemu", Path: "/usr/bin/qemu-aarch64-static"}},
		{"linux", "riscv64", Runner{Kind: "qemu", Path: "/usr/bin/qemu-riscv64"}},
		{"linux", "arm", Runner{Missing: "qemu-arm-static"}},
		{"linux", "mips64le", Runner{Missing: "qemu-mips64el-static"}},
		{"js", "wasm", Runner{Kind: "node", Path: "/usr/bin/node", Helper: helper}},
		{"wasip1", "wasm", Runner{Kind: "wazero"}},
		{"darwin", "arm64", Runner{}},
		{"windows", "amd64", Runner{}},
	}
	for _, tt := range tests {
		if got := FindRunner(env, tt.goos, tt.goarch); got != tt.want {
			t.Errorf("FindRunner(%s/%s) = %+v, want %+v", tt.goos, tt.goarch, got, tt.want)
		}
	}
	// A GOROOT without the node launcher (the golang.org/toolchain zips
	// before go1.24 leave misc/ out): skipped, saying so, not failed.
	noHelper := env
	noHelper.GOROOT = t.TempDir()
	if got := FindRunner(noHelper, "js", "wasm"); !strings.HasPrefix(got.Missing, "wasm_exec_node.js") || got.Kind != "" {
		t.Errorf("js/wasm without wasm_exec_node.js: %+v", got)
	}
	have = map[string]bool{}
	if got := FindRunner(env, "js", "wasm"); got.Missing != "node" {
		t.Errorf("js/wasm without node: %+v", got)
	}
}

// TestRunEachRunner builds a tiny program per runner with the real go
// command and runs it with arguments, checking output and exit status.
func TestRunEachRunner(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("needs go")
	}
	goroot, _ := exec.Command(goCmd, "env", "GOROOT").Output()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module m\ngo 1.22\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.go"), []byte(`package main

import ("fmt"; "os"; "runtime")

func main() {
	fmt.Println(runtime.GOOS+"/"+runtime.GOARCH, os.Args[1:])
	if len(os.Args) > 2 { os.Exit(3) }
}
`), 0o644)
	env := RunnerEnv{HostOS: "linux", HostArch: "amd64", GOROOT: strings.TrimSpace(string(goroot))}
	host, arch := Host()
	if host != "linux" || arch != "amd64" {
		t.Skip("runner table assumes a linux/amd64 host")
	}
	for _, target := range []string{"linux/amd64", "linux/arm64", "js/wasm", "wasip1/wasm"} {
		goos, goarch, _ := strings.Cut(target, "/")
		r := FindRunner(env, goos, goarch)
		if r.Missing != "" {
			t.Logf("%s: skipped, needs %s", target, r.Missing)
			continue
		}
		bin := filepath.Join(dir, goos+"_"+goarch)
		cmd := exec.Command(goCmd, "build", "-trimpath", "-o", bin, ".") // -trimpath: share the cache with the build scripts
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: go build: %v\n%s", target, err, out)
		}
		info, err := Inspect(bin)
		if err != nil || len(Check(info, goos, goarch, goos == "linux")) > 0 {
			t.Errorf("%s: Inspect = %+v, %v", target, info, err)
		}
		res, err := Run(context.Background(), r, bin, []string{"--version"})
		if err != nil || res.ExitCode != 0 || strings.TrimSpace(res.Output) != target+" [--version]" {
			t.Errorf("%s under %s: %+v, %v", target, r.Kind, res, err)
		}
		res, err = Run(context.Background(), r, bin, []string{"a", "b"})
		if err != nil || res.ExitCode != 3 {
			t.Errorf("%s under %s with exit 3: %+v, %v", target, r.Kind, res, err)
		}
	}
}
