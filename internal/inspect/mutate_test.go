package inspect_test

import (
	"debug/elf"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/binfile/binfiletest"
	"github.com/goforge/goforge/internal/inspect"
)

// baseline is what a whole, unmodified binary reads as.
type baseline struct {
	data   []byte
	funcs  []inspect.Func
	files  []string
	pclntb uint64 // file offset of .gopclntab
	shoff  uint64
	shnum  int
	phEnd  int // end of the program header table
}

func readBaseline(t *testing.T, path string) *baseline {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b := open(t, path)
	funcs, err := b.Funcs(inspect.FuncFilter{})
	if err != nil {
		t.Fatal(err)
	}
	fv, err := b.Files()
	if err != nil {
		t.Fatal(err)
	}
	ef, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ef.Close()
	bl := &baseline{data: data, funcs: funcs, files: fv.Files, pclntb: ef.Section(".gopclntab").Offset, shnum: len(ef.Sections)}
	bl.shoff = binary.LittleEndian.Uint64(data[0x28:])
	bl.phEnd = int(binary.LittleEndian.Uint64(data[0x20:])) + len(ef.Progs)*0x38
	return bl
}

// mutant writes data, changed by fn, to a new file.
func mutant(t *testing.T, bl *baseline, name string, fn func([]byte) []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, fn(slices.Clone(bl.data)), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func hasWarning(b *inspect.Binary, sub string) bool {
	return slices.ContainsFunc(b.Warnings, func(w string) bool { return strings.Contains(w, sub) })
}

// TestCorruptCountsInBinary sets the pclntab header's counts of a real Go
// binary to 0x40000000: the functions and files read are the real ones,
// with a warning naming the count.
func TestCorruptCountsInBinary(t *testing.T) {
	bl := readBaseline(t, binfiletest.Build(t, binfiletest.Spec{GOOS: "linux", GOARCH: "amd64"}))
	for word, what := range []string{"functions", "files"} {
		p := mutant(t, bl, what, func(d []byte) []byte {
			binary.LittleEndian.PutUint64(d[bl.pclntb+8+8*uint64(word):], 0x40000000)
			return d
		})
		b := open(t, p)
		if !hasWarning(b, "claims 1073741824 "+what) {
			t.Errorf("%s: warnings %q", what, b.Warnings)
		}
		funcs, err := b.Funcs(inspect.FuncFilter{})
		if err != nil || !slices.Equal(funcs, bl.funcs) {
			t.Errorf("%s: %d functions (%v), want the %d real ones", what, len(funcs), err, len(bl.funcs))
		}
		fv, err := b.Files()
		if err != nil || !slices.Equal(fv.Files, bl.files) {
			t.Errorf("%s: %d files (%v), want the %d real ones", what, len(fv.Files), err, len(bl.files))
		}
	}
}

// TestNoSectionHeaders zeroes the section header table (as packers do)
// or drops it (as sstrip does): the pclntab is found in the loaded
// segments and every function reads as before.
func TestNoSectionHeaders(t *testing.T) {
	bl := readBaseline(t, binfiletest.Build(t, binfiletest.Spec{GOOS: "linux", GOARCH: "amd64"}))
	for name, fn := range map[string]func([]byte) []byte{
		"zeroed": func(d []byte) []byte {
			clear(d[bl.shoff : bl.shoff+uint64(bl.shnum)*64])
			return d
		},
		"sstrip": func(d []byte) []byte {
			clear(d[0x28:0x30]) // e_shoff
			clear(d[0x3c:0x40]) // e_shnum, e_shstrndx
			return d
		},
	} {
		b := open(t, mutant(t, bl, name, fn))
		if !hasWarning(b, "no usable section headers") {
			t.Errorf("%s: warnings %q", name, b.Warnings)
		}
		if b.Build == nil {
			t.Errorf("%s: no build info", name)
		}
		funcs, err := b.Funcs(inspect.FuncFilter{})
		if err != nil || !slices.Equal(funcs, bl.funcs) {
			t.Errorf("%s: %d functions (%v), want %d as before", name, len(funcs), err, len(bl.funcs))
		}
	}
}

// TestTruncated cuts a real binary at many offsets: no panic; either a
// clear error (headers cut: the file cannot be read at all; a Go binary
// whose tables are cut says it is truncated) or the binary with a warning
// naming the cut, and never more functions or files than it has.
func TestTruncated(t *testing.T) {
	bl := readBaseline(t, binfiletest.Build(t, binfiletest.Spec{GOOS: "linux", GOARCH: "amd64"}))
	size := len(bl.data)
	var cuts []int
	for i := 1; i < 120; i++ {
		cuts = append(cuts, size*i/120+i%7)
	}
	cuts = append(cuts, 0, 3, 16, 63, bl.phEnd-1, bl.phEnd, size-1)
	readable := 0
	for _, n := range cuts {
		p := mutant(t, bl, fmt.Sprint("cut", n), func(d []byte) []byte { return d[:n] })
		b, err := inspect.Open(p)
		switch {
		case err != nil && n < bl.phEnd:
			// Nothing but a bare header: an error, and it says what.
			if !strings.Contains(err.Error(), "ELF") && !strings.Contains(err.Error(), "not an executable") {
				t.Errorf("cut at %d: %v", n, err)
			}
		case err != nil:
			if !strings.Contains(err.Error(), fmt.Sprintf("file truncated at %d bytes", n)) {
				t.Errorf("cut at %d: error does not name the truncation: %v", n, err)
			}
		default:
			readable++
			if !hasWarning(b, fmt.Sprintf("file truncated at %d bytes: sections ", n)) {
				t.Errorf("cut at %d: warnings %q", n, b.Warnings)
			}
			funcs, _ := b.Funcs(inspect.FuncFilter{})
			if len(funcs) > len(bl.funcs) {
				t.Errorf("cut at %d: %d functions, more than the %d there are", n, len(funcs), len(bl.funcs))
			}
			if len(funcs) == len(bl.funcs) && !slices.Equal(funcs, bl.funcs) {
				t.Errorf("cut at %d: functions differ from the whole file's", n)
			}
			if fv, err := b.Files(); err == nil && len(fv.Files) > len(bl.files) {
				t.Errorf("cut at %d: %d files, more than the %d there are", n, len(fv.Files), len(bl.files))
			}
			b.Summary()
			b.Info()
			b.Linkage()
			b.Close()
		}
	}
	// The pclntab and build info come before the DWARF and symbol table,
	// which are most of an unstripped binary: those cuts keep everything.
	if readable < len(cuts)/4 {
		t.Errorf("only %d of %d truncations readable", readable, len(cuts))
	}
	t.Logf("%d of %d truncations readable", readable, len(cuts))
}

// TestTruncatedPEAndMachO cuts a Windows and a macOS binary inside their
// symbol tables and DWARF, at the end of the file: the parsers' headers
// still read, and so do the functions.
func TestTruncatedPEAndMachO(t *testing.T) {
	for _, s := range []binfiletest.Spec{{GOOS: "windows", GOARCH: "amd64"}, {GOOS: "darwin", GOARCH: "arm64"}} {
		path := binfiletest.Build(t, s)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want, err := open(t, path).Funcs(inspect.FuncFilter{})
		if err != nil {
			t.Fatal(err)
		}
		n := len(data) * 9 / 10
		p := filepath.Join(t.TempDir(), "cut")
		if err := os.WriteFile(p, data[:n], 0o755); err != nil {
			t.Fatal(err)
		}
		b, err := inspect.Open(p)
		if err != nil {
			t.Fatalf("%s cut at %d: %v", s.Name(), n, err)
		}
		if !hasWarning(b, fmt.Sprintf("file truncated at %d bytes", n)) {
			t.Errorf("%s: warnings %q", s.Name(), b.Warnings)
		}
		got, err := b.Funcs(inspect.FuncFilter{})
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("%s: %d functions (%v), want the %d of the whole file", s.Name(), len(got), err, len(want))
		}
		b.Close()
	}
}

// TestLinkerEvidenceEntry strips a gcc-linked Go binary of every trace a
// C linker leaves in sections and segments; its entry point, crt's _start
// before the Go text, still says who linked it.
func TestLinkerEvidenceEntry(t *testing.T) {
	if _, err := exec.LookPath("objcopy"); err != nil {
		t.Skip("needs objcopy (binutils)")
	}
	path := binfiletest.Build(t, binfiletest.Spec{GOOS: "linux", GOARCH: "amd64", CgoDynamic: true})
	out := filepath.Join(t.TempDir(), "bare")
	cmd := exec.Command("objcopy", "-R", ".comment", "-R", ".init", "-R", ".fini", "-R", ".note.ABI-tag", path, out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("objcopy: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	// Turn PT_GNU_EH_FRAME into PT_NULL.
	phoff, phnum := binary.LittleEndian.Uint64(data[0x20:]), int(binary.LittleEndian.Uint16(data[0x38:]))
	for i := 0; i < phnum; i++ {
		at := phoff + uint64(i)*0x38
		if elf.ProgType(binary.LittleEndian.Uint32(data[at:])) == elf.PT_GNU_EH_FRAME {
			binary.LittleEndian.PutUint32(data[at:], uint32(elf.PT_NULL))
		}
	}
	if err := os.WriteFile(out, data, 0o755); err != nil {
		t.Fatal(err)
	}
	v := open(t, out).Linkage()
	if v.Linker != "external" || !strings.Contains(v.LinkerEvidence, "entry point") {
		t.Errorf("linker %q, evidence %q; want external, by the entry point", v.Linker, v.LinkerEvidence)
	}
	if v := open(t, binfiletest.Build(t, binfiletest.Spec{GOOS: "linux", GOARCH: "amd64"})).Linkage(); v.Linker != "internal" {
		t.Errorf("pure Go binary: linker %q (%s)", v.Linker, v.LinkerEvidence)
	}
}
