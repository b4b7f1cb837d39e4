package pclntab_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/binfile"
	"github.com/goforge/goforge/internal/binfile/binfiletest"
	"github.com/goforge/goforge/internal/pclntab"
)

func TestMain(m *testing.M) {
	code := m.Run()
	binfiletest.Cleanup()
	os.Exit(code)
}

func find(t *testing.T, path string) (*binfile.File, *pclntab.Located) {
	t.Helper()
	f, err := binfile.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	loc, err := pclntab.Find(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return f, loc
}

type funcLine struct {
	Name       string
	Entry, End uint64
	File       string
	Line       int
}

func entryLines(t *testing.T, loc *pclntab.Located) []funcLine {
	t.Helper()
	funcs, err := loc.Funcs()
	if err != nil {
		t.Fatal(err)
	}
	var out []funcLine
	for _, fn := range funcs {
		// Assembly data in the text (go:buildid) has no line table;
		// addr2line prints ":-1" for it.
		file, line, err := loc.PCLine(fn, fn.Entry)
		if err != nil {
			file, line = "", -1
		}
		out = append(out, funcLine{fn.Name, fn.Entry, fn.End, file, line})
	}
	return out
}

// TestAddr2line compares every function entry's name and file:line with
// go tool addr2line on unstripped binaries.
func TestAddr2line(t *testing.T) {
	for _, s := range []binfiletest.Spec{
		{GOOS: "linux", GOARCH: "amd64"},
		{GOOS: "linux", GOARCH: "386"},
		{GOOS: "darwin", GOARCH: "arm64"},
		{GOOS: "linux", GOARCH: "s390x"}, // big-endian, 64-bit
		{GOOS: "linux", GOARCH: "mips"},  // big-endian, 32-bit
		{GOOS: "linux", GOARCH: "amd64", CgoDynamic: true},
		{GOOS: "linux", GOARCH: "amd64", MuslStatic: true},
		{GOOS: "linux", GOARCH: "amd64", CgoDynamic: true, PIE: true},
		{Go: binfiletest.Go119, GOOS: "linux", GOARCH: "amd64"},
		{Go: binfiletest.Go119, GOOS: "linux", GOARCH: "amd64", PIE: true},
		{Go: binfiletest.Go119, GOOS: "linux", GOARCH: "arm64"},
	} {
		t.Run(s.Name(), func(t *testing.T) {
			t.Parallel()
			path := binfiletest.Build(t, s)
			_, loc := find(t, path)
			got := entryLines(t, loc)
			if len(got) < 500 {
				t.Fatalf("only %d functions", len(got))
			}
			var in strings.Builder
			for _, fl := range got {
				fmt.Fprintf(&in, "%#x\n", fl.Entry)
			}
			cmd := exec.Command("go", "tool", "addr2line", path)
			cmd.Stdin = strings.NewReader(in.String())
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("go tool addr2line: %v", err)
			}
			sc := bufio.NewScanner(strings.NewReader(string(out)))
			bad := 0
			for i := 0; sc.Scan(); i++ {
				name := sc.Text()
				if !sc.Scan() {
					t.Fatal("odd addr2line output")
				}
				want := name + " " + sc.Text()
				g := fmt.Sprintf("%s %s:%d", got[i].Name, got[i].File, got[i].Line)
				if g != want && bad < 10 {
					bad++
					t.Errorf("entry %#x: got %q, addr2line %q", got[i].Entry, g, want)
				}
			}
		})
	}
}

// TestStrippedTwin checks that -s -w changes nothing the table says.
func TestStrippedTwin(t *testing.T) {
	for _, s := range binfiletest.All() {
		if s.Stripped {
			continue
		}
		t.Run(s.Name(), func(t *testing.T) {
			t.Parallel()
			_, a := find(t, binfiletest.Build(t, s))
			s.Stripped = true
			_, b := find(t, binfiletest.Build(t, s))
			fa, fb := entryLines(t, a), entryLines(t, b)
			if len(fa) != len(fb) {
				t.Fatalf("%d functions, stripped twin %d", len(fa), len(fb))
			}
			// Stripping moves nothing in the text, so addresses agree too.
			for i := range fa {
				if fa[i] != fb[i] {
					t.Fatalf("function %d: %+v vs stripped %+v", i, fa[i], fb[i])
				}
			}
			if a.Table.TextStart != b.Table.TextStart {
				t.Errorf("text start %#x vs stripped %#x (%s, %s)", a.Table.TextStart, b.Table.TextStart, a.TextStartFrom, b.TextStartFrom)
			}
			if b.Table.Version >= pclntab.Ver118 && b.Table.GoFunc() == 0 {
				t.Errorf("stripped: go:func.* not found: %v", b.Warnings)
			}
		})
	}
}

// TestCallersFrames runs the test program, which prints what
// runtime.CallersFrames makes of PCs inside inlined calls, and checks that
// Frames gives the same stacks.
func TestCallersFrames(t *testing.T) {
	for _, s := range []binfiletest.Spec{
		{GOOS: "linux", GOARCH: "amd64"},
		{GOOS: "linux", GOARCH: "amd64", Stripped: true},
		{GOOS: "linux", GOARCH: "amd64", CgoDynamic: true, Stripped: true},
		{GOOS: "linux", GOARCH: "amd64", MuslStatic: true, Stripped: true},
		{GOOS: "linux", GOARCH: "amd64", CgoDynamic: true, PIE: true, Stripped: true},
		{Go: binfiletest.Go119, GOOS: "linux", GOARCH: "amd64", PIE: true, Stripped: true},
		{Go: binfiletest.Go119, GOOS: "linux", GOARCH: "amd64"},
		{Go: binfiletest.Go119, GOOS: "linux", GOARCH: "amd64", Stripped: true},
	} {
		t.Run(s.Name(), func(t *testing.T) {
			t.Parallel()
			path := binfiletest.Build(t, s)
			out, err := exec.Command(path, "frames").Output()
			if err != nil {
				t.Fatalf("running %s: %v", path, err)
			}
			_, loc := find(t, path)
			type rec struct {
				pc    uint64
				frame string
			}
			var recs []rec
			slide := uint64(0)
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				fs := strings.Split(line, "\t")
				if fs[0] == "main.main" {
					slide = binfiletest.Slide(t, fs[1], loc.Table)
					continue
				}
				if line == "" {
					continue
				}
				pc, _ := strconv.ParseUint(fs[0], 0, 64)
				recs = append(recs, rec{pc - slide, fs[1] + " " + fs[2] + ":" + fs[3]})
			}
			// runtime.Callers gives one PC per logical frame, inlined
			// ones included; Frames expands one physical PC into all of
			// them, so its stack must match the run of records it covers.
			inlined := 0
			for i := 0; i < len(recs); {
				frames, err := loc.Frames(recs[i].pc - 1)
				if err != nil {
					t.Fatalf("pc %#x: %v", recs[i].pc, err)
				}
				for j, fr := range frames {
					got := fmt.Sprintf("%s %s:%d", fr.Func, fr.File, fr.Line)
					if i+j >= len(recs) || recs[i+j].frame != got {
						t.Fatalf("pc %#x frame %d: got %q, want record %d of %v", recs[i].pc, j, got, i+j, recs)
					}
					if fr.Inlined {
						inlined++
					}
				}
				i += len(frames)
			}
			if inlined < 2 {
				t.Errorf("only %d inlined frames: the program's inlining did not happen", inlined)
			}
		})
	}
}
