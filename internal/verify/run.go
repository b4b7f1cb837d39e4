package verify

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/goforge/goforge/internal/procgroup"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"
)

// A Runner says how an output for one target is executed on this machine.
type Runner struct {
	// Kind is "native", "qemu", "node" or "wazero".
	Kind string `json:"kind"`
	// Path is the emulator or interpreter program, if any.
	Path string `json:"path,omitempty"`
	// Missing names the tool that would run the target but is not
	// installed ("qemu-riscv64-static"); Kind is then empty.
	Missing string `json:"missing,omitempty"`
	// Helper is node's wasm_exec_node.js for js/wasm.
	Helper string `json:"helper,omitempty"`
	// Sysroot, for qemu, holds a dynamically linked program's loader
	// and libraries (qemu-user -L).
	Sysroot string `json:"sysroot,omitempty"`
}

// RunnerEnv is what FindRunner needs to know about this machine.
type RunnerEnv struct {
	HostOS, HostArch string
	// GOROOT locates js/wasm's wasm_exec_node.js.
	GOROOT string
	// LookPath finds programs; exec.LookPath when nil.
	LookPath func(string) (string, error)
}

// qemuArch maps GOARCH to qemu-user's architecture names.
var qemuArch = map[string]string{
	"amd64": "x86_64", "386": "i386", "arm64": "aarch64", "arm": "arm",
	"riscv64": "riscv64", "ppc64": "ppc64", "ppc64le": "ppc64le",
	"s390x": "s390x", "mips": "mips", "mipsle": "mipsel", "mips64": "mips64",
	"mips64le": "mips64el", "loong64": "loongarch64",
}

// FindRunner picks how to execute a goos/goarch program here. A target
// that cannot run on this machine at all (darwin on a Linux host) gets a
// Runner with empty Kind and Missing; one whose runner is merely not
// installed gets Missing set, so callers can report it as skipped.
func FindRunner(env RunnerEnv, goos, goarch string) Runner {
	look := env.LookPath
	if look == nil {
		look = exec.LookPath
	}
	switch {
	case goos == "js" && goarch == "wasm":
		node, err := look("node")
		if err != nil {
			return Runner{Missing: "node"}
		}
		helper := wasmExecNode(env.GOROOT)
		if helper == "" {
			// The golang.org/toolchain zips before go1.24 leave misc/ out.
			return Runner{Missing: "wasm_exec_node.js, which this Go's GOROOT lacks (toolchain zips before go1.24 leave misc/wasm out)"}
		}
		return Runner{Kind: "node", Path: node, Helper: helper}
	case goos == "wasip1" && goarch == "wasm":
		return Runner{Kind: "wazero"}
	case goos == env.HostOS && goarch == env.HostArch:
		return Runner{Kind: "native"}
	case goos == "linux" && env.HostOS == "linux" && goarch == "386" && env.HostArch == "amd64":
		// The kernel runs i386 programs itself; and qemu-i386 up to at
		// least 7.2 crashes Go's 386 runtime as it starts threads
		// ("bad g in signal handler"), so native is also the reliable way.
		return Runner{Kind: "native"}
	case goos == "linux" && env.HostOS == "linux" && qemuArch[goarch] != "":
		for _, name := range []string{"qemu-" + qemuArch[goarch] + "-static", "qemu-" + qemuArch[goarch]} {
			if p, err := look(name); err == nil {
				return Runner{Kind: "qemu", Path: p}
			}
		}
		return Runner{Missing: "qemu-" + qemuArch[goarch] + "-static"}
	}
	return Runner{}
}

// wasmExecNode finds the node launcher for js/wasm: lib/wasm since Go
// 1.24, misc/wasm before.
func wasmExecNode(goroot string) string {
	for _, dir := range []string{"lib/wasm", "misc/wasm"} {
		p := filepath.Join(goroot, dir, "wasm_exec_node.js")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// RunResult is what happened when an output was executed.
type RunResult struct {
	ExitCode int           `json:"exit_code"`
	Output   string        `json:"output"`
	Duration time.Duration `json:"-"`
}

// Run executes the program at path with args under r, with a time limit,
// and returns its combined output and exit status. A non-zero exit is a
// result, not an error; errors mean the program could not be run.
func Run(ctx context.Context, r Runner, path string, args []string) (*RunResult, error) {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	start := time.Now()
	var res *RunResult
	var err error
	switch r.Kind {
	case "wazero":
		res, err = runWazero(ctx, path, args)
	case "native", "qemu", "node":
		res, err = runExec(ctx, r, path, args)
	default:
		return nil, errors.New("no runner for this target")
	}
	if res != nil {
		res.Duration = time.Since(start)
	}
	return res, err
}

func runExec(ctx context.Context, r Runner, path string, args []string) (*RunResult, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	var argv []string
	switch r.Kind {
	case "native":
		argv = append([]string{abs}, args...)
	case "qemu":
		argv = []string{r.Path}
		if r.Sysroot != "" {
			argv = append(argv, "-L", r.Sysroot)
		}
		argv = append(append(argv, abs), args...)
	case "node":
		if r.Helper == "" {
			return nil, errors.New("no wasm_exec_node.js in GOROOT")
		}
		argv = append([]string{r.Path, r.Helper, abs}, args...)
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 5 * time.Second
	err = procgroup.Run(cmd)
	var exit *exec.ExitError
	if errors.As(err, &exit) && ctx.Err() == nil {
		return &RunResult{ExitCode: exit.ExitCode(), Output: out.String()}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("running %s: %w", argv[0], err)
	}
	return &RunResult{Output: out.String()}, nil
}

// runWazero runs a wasip1 module in-process with the real clocks, the
// real random source and the given arguments, without any file system.
func runWazero(ctx context.Context, path string, args []string) (*RunResult, error) {
	code, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCloseOnContextDone(true))
	defer rt.Close(ctx)
	wasi_snapshot_preview1.MustInstantiate(ctx, rt)
	var out bytes.Buffer
	cfg := wazero.NewModuleConfig().
		WithArgs(append([]string{filepath.Base(path)}, args...)...).
		WithStdout(&out).WithStderr(&out).
		WithSysWalltime().WithSysNanotime().WithSysNanosleep().
		WithRandSource(rand.Reader)
	_, err = rt.InstantiateWithConfig(ctx, code, cfg)
	var exit *sys.ExitError
	if errors.As(err, &exit) {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("running under wazero: %w", ctx.Err())
		}
		return &RunResult{ExitCode: int(exit.ExitCode()), Output: out.String()}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("running under wazero: %w", err)
	}
	return &RunResult{Output: out.String()}, nil
}

// Host returns this machine's GOOS and GOARCH.
func Host() (string, string) { return runtime.GOOS, runtime.GOARCH }
