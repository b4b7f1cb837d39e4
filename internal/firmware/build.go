package firmware

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/goforge/goforge/internal/firmware/fwimage"
	"github.com/goforge/goforge/internal/release"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
)

// BuildResult is what a firmware build produced and found.
type BuildResult struct {
	Board    Board               `json:"board"`
	Core     Core                `json:"core"`
	ELF      string              `json:"elf"`
	BIN      string              `json:"bin,omitempty"`
	HEX      string              `json:"hex,omitempty"`
	Map      string              `json:"map"`
	CFlags   []string            `json:"cflags"`
	Size     *fwimage.SizeReport `json:"size"`
	Problems []fwimage.Problem   `json:"problems"`
}

// CheckError says the firmware linked but failed its checks; the result
// still carries the size report, and no BIN or HEX was written.
type CheckError struct{ Problems []fwimage.Problem }

func (e *CheckError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Message
	}
	return "firmware checks failed: " + strings.Join(msgs, "; ")
}

// Tools locates the cross toolchain; the zero value looks for
// arm-none-eabi-gcc on PATH.
type Tools struct {
	// GCC is the arm-none-eabi-gcc to run.
	GCC string
	// Env is the tools' environment; nil means the process's.
	Env []string
}

// FindTools finds arm-none-eabi-gcc, naming the Debian packages to
// install when it is missing.
func FindTools(lookPath func(string) (string, error)) (Tools, error) {
	gcc, err := lookPath("arm-none-eabi-gcc")
	if err != nil {
		return Tools{}, errors.New("arm-none-eabi-gcc is not installed (apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi)")
	}
	return Tools{GCC: gcc}, nil
}

// Build compiles and links the project in dir into build/NAME.elf with a
// map file, checks it against the board, and writes build/NAME.bin and
// build/NAME.hex when every check passes.
func Build(ctx context.Context, tools Tools, p *Project) (*BuildResult, error) {
	out := filepath.Join(p.Dir, "build")
	objDir := filepath.Join(out, "obj")
	// A fresh object directory, so a deleted source leaves nothing behind.
	if err := os.RemoveAll(objDir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(objDir, 0o755); err != nil {
		return nil, err
	}
	base := filepath.Join(out, p.Config.Name)
	res := &BuildResult{Board: p.Board, Core: p.Core, ELF: base + ".elf", Map: base + ".map"}
	res.CFlags = append(p.Core.Flags(), "-Os", "-g", "-Wall", "-ffunction-sections", "-fdata-sections", "-I", p.Dir)
	res.CFlags = append(res.CFlags, p.Config.CFlags...)
	// Stale images must not outlive a failed build.
	for _, ext := range []string{".elf", ".bin", ".hex", ".map"} {
		if err := os.Remove(base + ext); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	objs, err := compile(ctx, tools, res.CFlags, p.Sources, objDir)
	if err != nil {
		return nil, err
	}
	if err := link(ctx, tools, p, res, objs); err != nil {
		return nil, err
	}
	im, err := res.analyse(p)
	if err != nil {
		return res, err
	}
	if len(res.Problems) > 0 {
		return res, &CheckError{Problems: res.Problems}
	}
	return res, res.writeImages(im, base)
}

// compile runs gcc -c for each source at once, up to one per CPU: the
// sources are independent, and one gcc -c with many files compiles them
// one after the other.
func compile(ctx context.Context, tools Tools, cflags, srcs []string, objDir string) ([]string, error) {
	objs := make([]string, len(srcs))
	errs := make([]error, len(srcs))
	sem := make(chan struct{}, runtime.NumCPU())
	var wg sync.WaitGroup
	for i, src := range srcs {
		objs[i] = filepath.Join(objDir, strings.TrimSuffix(filepath.Base(src), filepath.Ext(src))+".o")
		args := append(append([]string{}, cflags...), "-c", src, "-o", objs[i])
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = runTool(ctx, objDir, tools, args)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("compiling: %w", err)
	}
	return objs, nil
}

// link links the objects with the project's linker script, keeping only
// the sections something references, and writes the map file.
func link(ctx context.Context, tools Tools, p *Project, res *BuildResult, objs []string) error {
	args := append(p.Core.Flags(), "-T", filepath.Join(p.Dir, p.Config.LinkerScript),
		"-nostartfiles", "-Wl,--gc-sections", "-Wl,-Map="+res.Map, "-o", res.ELF)
	args = append(args, p.Config.LDFlags...)
	args = append(args, objs...)
	for _, l := range p.Config.Libs {
		if !filepath.IsAbs(l) {
			l = filepath.Join(p.Dir, l)
		}
		args = append(args, l)
	}
	if err := runTool(ctx, p.Dir, tools, args); err != nil {
		return fmt.Errorf("linking: %w", explainLinkError(err, p))
	}
	return nil
}

// analyse reads the linked ELF and its map file, then runs the checks.
func (res *BuildResult) analyse(p *Project) (*fwimage.Image, error) {
	data, err := os.ReadFile(res.ELF)
	if err != nil {
		return nil, err
	}
	im, err := fwimage.ReadImage(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", res.ELF, err)
	}
	mf, err := os.Open(res.Map)
	if err != nil {
		return nil, err
	}
	defer mf.Close()
	contrib, err := fwimage.ParseMap(mf)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", res.Map, err)
	}
	res.Size = fwimage.Sizes(im, p.Board.Memory(), contrib)
	res.Problems = append(fwimage.Check(im, p.Board.Memory()), res.Size.Overflows(p.Board.Name)...)
	if res.Problems == nil {
		res.Problems = []fwimage.Problem{}
	}
	return im, nil
}

// writeImages writes NAME.bin and NAME.hex from the checked image.
func (res *BuildResult) writeImages(im *fwimage.Image, base string) error {
	var hex bytes.Buffer
	if err := fwimage.WriteHex(&hex, im); err != nil {
		return fmt.Errorf("writing %s.hex: %w", base, err)
	}
	bin, err := im.Binary()
	if err != nil {
		return fmt.Errorf("writing %s.bin: %w", base, err)
	}
	for _, w := range []struct {
		path string
		data []byte
	}{{base + ".bin", bin}, {base + ".hex", hex.Bytes()}} {
		if err := release.WriteFileAtomic(w.path, w.data, 0o644); err != nil {
			return err
		}
	}
	res.BIN, res.HEX = base+".bin", base+".hex"
	return nil
}

// ToolError is a tool that ran and failed, with what it printed.
type ToolError struct {
	Tool   string
	Stderr string
	Err    error
}

func (e *ToolError) Error() string {
	return fmt.Sprintf("%s: %v\n%s", filepath.Base(e.Tool), e.Err, strings.TrimRight(e.Stderr, "\n"))
}

func (e *ToolError) Unwrap() error { return e.Err }

func runTool(ctx context.Context, dir string, tools Tools, args []string) error {
	tool := tools.GCC
	cmd := exec.CommandContext(ctx, tool, args...)
	cmd.Dir, cmd.Env = dir, tools.Env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = &stderr
	if err := cmd.Run(); err != nil {
		return &ToolError{Tool: tool, Stderr: stderr.String(), Err: err}
	}
	return nil
}

var (
	vfpMismatch = regexp.MustCompile(`error: (\S+) uses VFP register arguments, (\S+) does not`)
	overflowed  = regexp.MustCompile("region [`'](\\w+)' overflowed by (\\d+) bytes?")
)

// explainLinkError puts what the linker means in front of what it said,
// for the failures people meet on Cortex-M.
func explainLinkError(err error, p *Project) error {
	var te *ToolError
	if !errors.As(err, &te) {
		return err
	}
	if m := vfpMismatch.FindStringSubmatch(te.Stderr); m != nil {
		return fmt.Errorf("float ABI mismatch: %s is built for the hard-float ABI (%s, core %s: %s) but %s uses the soft-float ABI; rebuild %s with the same -mfloat-abi/-mfpu, or set core to one without an FPU in %s: %w",
			filepath.Base(m[1]), p.Board.Name, p.Core.Name, strings.Join(p.Core.Flags(), " "),
			fwimage.ObjectName(m[2]), fwimage.ObjectName(m[2]), ConfigFile, err)
	}
	if m := overflowed.FindStringSubmatch(te.Stderr); m != nil {
		return fmt.Errorf("the firmware does not fit: region %s overflowed by %s bytes: %w", m[1], m[2], err)
	}
	return err
}
