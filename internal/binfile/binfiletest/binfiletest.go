// Package binfiletest builds small real Go programs for the tests of
// goforge's binary readers: for several targets, with the installed Go and
// Debian's Go 1.19, normal and stripped, cgo-dynamic and musl-static.
package binfiletest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Go119 is where Debian's golang-1.19-go package installs its go command.
const Go119 = "/usr/lib/go-1.19/bin/go"

// Spec says how to build one test binary.
type Spec struct {
	// Go is the go command; "" means "go" on PATH.
	Go           string
	GOOS, GOARCH string
	Stripped     bool // -ldflags=-s -w
	CgoDynamic   bool // CGO_ENABLED=1, default (dynamic) linking
	MuslStatic   bool // CC=musl-gcc, external static linking
	PIE          bool // -buildmode=pie
}

// Name is a short, file-name-safe description of s.
func (s Spec) Name() string {
	n := s.GOOS + "-" + s.GOARCH
	if s.Go == Go119 {
		n = "go119-" + n
	}
	switch {
	case s.CgoDynamic:
		n += "-cgo"
	case s.MuslStatic:
		n += "-musl"
	}
	if s.PIE {
		n += "-pie"
	}
	if s.Stripped {
		n += "-stripped"
	}
	return n
}

// Program is the source of the test program. Inlined helpers call
// runtime.Callers so that the program, run with the argument "frames",
// prints the run-time address of main.main ("main.main\tADDR", to undo
// the load offset of a PIE), then for every PC it saw the frames
// runtime.CallersFrames expands from it: "PC\tFUNC\tFILE\tLINE" lines, a
// blank line between PCs.
// MiddleCallLine is the line of Program where middle calls leaf: the
// code inlined into outer and (*T).Method.
const MiddleCallLine = 20

const Program = `package main

import (
	"fmt"
	"os"
	"reflect"
	"runtime"
)

var sink int

func leaf(n int) []uintptr {
	pcs := make([]uintptr, 64)
	k := runtime.Callers(1, pcs)
	sink += n
	return pcs[:k]
}

func middle(n int) []uintptr {
	return leaf(n + 1)
}

//go:noinline
func outer(n int) []uintptr {
	return middle(n * 2)
}

type T struct{ x int }

//go:noinline
func (t *T) Method() []uintptr { return middle(t.x) }

func main() {
	if len(os.Args) > 1 && os.Args[1] == "frames" {
		fmt.Printf("main.main\t%#x\n\n", reflect.ValueOf(main).Pointer())
		var t T
		for _, pcs := range [][]uintptr{outer(1), t.Method()} {
			for _, pc := range pcs {
				fr := runtime.CallersFrames([]uintptr{pc})
				for {
					f, more := fr.Next()
					fmt.Printf("%#x\t%s\t%s\t%d\n", pc, f.Function, f.File, f.Line)
					if !more {
						break
					}
				}
				fmt.Println()
			}
		}
		return
	}
	fmt.Println("hello", sink)
}
`

var (
	mu    sync.Mutex
	built = map[string]*result{}
	dir   string

	srcOnce sync.Once
	srcErr  error
)

type result struct {
	once sync.Once
	path string
	err  error
}

// Build builds s (once per test process) and returns the binary's path.
// It skips the test when a tool it needs is missing.
func Build(t testing.TB, s Spec) string {
	t.Helper()
	goCmd := s.Go
	if goCmd == "" {
		goCmd = "go"
	}
	if _, err := exec.LookPath(goCmd); err != nil {
		t.Skipf("needs %s (Debian package golang-1.19-go)", goCmd)
	}
	if s.MuslStatic {
		if _, err := exec.LookPath("musl-gcc"); err != nil {
			t.Skip("needs musl-gcc (Debian package musl-tools)")
		}
	}
	if s.CgoDynamic {
		if _, err := exec.LookPath("gcc"); err != nil {
			t.Skip("needs gcc")
		}
	}
	mu.Lock()
	if dir == "" {
		d, err := os.MkdirTemp("", "goforge-binfiletest-")
		if err != nil {
			mu.Unlock()
			t.Fatal(err)
		}
		dir = d
	}
	r := built[s.Name()]
	if r == nil {
		r = &result{}
		built[s.Name()] = r
	}
	mu.Unlock()
	r.once.Do(func() { r.path, r.err = build(s, goCmd) })
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.path
}

func build(s Spec, goCmd string) (string, error) {
	// One source directory for all builds, so that binaries differing
	// only in flags record the same file names.
	src := filepath.Join(dir, "src")
	srcOnce.Do(func() {
		files := map[string]string{"main.go": Program, "go.mod": "module example.com/inspectme\n\ngo 1.19\n"}
		srcErr = os.MkdirAll(src, 0o755)
		for name, body := range files {
			if srcErr == nil {
				srcErr = os.WriteFile(filepath.Join(src, name), []byte(body), 0o644)
			}
		}
	})
	if srcErr != nil {
		return "", srcErr
	}
	out := filepath.Join(dir, s.Name())
	if s.GOOS == "windows" {
		out += ".exe"
	}
	ldflags := ""
	if s.Stripped {
		ldflags += " -s -w"
	}
	env := append(os.Environ(), "GOOS="+s.GOOS, "GOARCH="+s.GOARCH, "GOFLAGS=", "GOTOOLCHAIN=local", "GOPROXY=off", "CGO_ENABLED=0")
	switch {
	case s.CgoDynamic:
		env = append(env, "CGO_ENABLED=1")
		ldflags += " -linkmode external"
	case s.MuslStatic:
		env = append(env, "CGO_ENABLED=1", "CC=musl-gcc")
		ldflags += " -linkmode external -extldflags -static"
	}
	args := []string{"build", "-o", out, "-ldflags=" + strings.TrimSpace(ldflags)}
	if s.PIE {
		args = append(args, "-buildmode=pie")
	}
	cmd := exec.Command(goCmd, args...)
	cmd.Dir = src
	cmd.Env = env
	if s.Go == Go119 {
		// Go 1.19 has its own GOROOT; drop the newer one from the env.
		cmd.Env = append(cmd.Env, "GOROOT=/usr/lib/go-1.19")
	}
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building %s: %v\n%s", s.Name(), err, b)
	}
	return out, nil
}

// Matrix is the set of targets every toolchain builds for the oracles.
var Matrix = [][2]string{
	{"linux", "amd64"}, {"linux", "arm64"}, {"windows", "amd64"}, {"darwin", "arm64"}, {"linux", "386"},
}

// All returns the full matrix of specs: both toolchains, every target,
// normal and stripped, plus cgo-dynamic and musl-static linux/amd64.
func All() []Spec {
	var specs []Spec
	for _, goCmd := range []string{"", Go119} {
		for _, tg := range Matrix {
			for _, stripped := range []bool{false, true} {
				specs = append(specs, Spec{Go: goCmd, GOOS: tg[0], GOARCH: tg[1], Stripped: stripped})
			}
		}
	}
	specs = append(specs,
		Spec{GOOS: "linux", GOARCH: "amd64", CgoDynamic: true},
		Spec{GOOS: "linux", GOARCH: "amd64", CgoDynamic: true, Stripped: true},
		Spec{GOOS: "linux", GOARCH: "amd64", MuslStatic: true},
		Spec{GOOS: "linux", GOARCH: "amd64", MuslStatic: true, Stripped: true},
	)
	return specs
}

// Cleanup removes the binaries built by this process. Call it from
// TestMain after m.Run.
func Cleanup() {
	mu.Lock()
	defer mu.Unlock()
	if dir != "" {
		os.RemoveAll(dir)
	}
}

// FuncTable is what Slide needs of a function table.
type FuncTable interface {
	NumFuncs() int
	FuncEntry(name string) (uint64, bool)
}

// Slide returns how far the program was loaded from its link address,
// from the "main.main" address the program printed.
func Slide(t testing.TB, runtimeAddr string, tab FuncTable) uint64 {
	t.Helper()
	var addr uint64
	if _, err := fmt.Sscanf(runtimeAddr, "0x%x", &addr); err != nil {
		t.Fatalf("bad main.main address %q", runtimeAddr)
	}
	entry, ok := tab.FuncEntry("main.main")
	if !ok {
		t.Fatal("no main.main in the table")
	}
	return addr - entry
}
