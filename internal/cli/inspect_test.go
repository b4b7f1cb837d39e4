package cli

import (
	"bytes"
	"context"
	"debug/elf"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/binfile/binfiletest"
)

// TestInspectPCMatchesCallersFrames runs a program that records
// runtime.CallersFrames at PCs inside inlined calls, then asks
// 'goforge inspect pc --json' about the same PCs in the stripped twin.
func TestInspectPCMatchesCallersFrames(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.go"), []byte(binfiletest.Program), 0o644)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/inspectme\n\ngo 1.19\n"), 0o644)
	bin, stripped := filepath.Join(dir, "prog"), filepath.Join(dir, "prog-stripped")
	for _, args := range [][]string{{"build", "-o", bin}, {"build", "-ldflags=-s -w", "-o", stripped}} {
		cmd := exec.Command("go", args...)
		cmd.Dir, cmd.Env = dir, append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %v: %v\n%s", args, err, out)
		}
	}
	out, err := exec.Command(bin, "frames").Output()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	args := []string{"inspect", "pc", "--json", stripped}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		// The binary is not PIE: run-time PCs are link-time PCs, and the
		// main.main address line is not needed.
		if line == "" || strings.HasPrefix(line, "main.main\t") {
			continue
		}
		fs := strings.Split(line, "\t")
		pc, _ := strconv.ParseUint(fs[0], 0, 64)
		args = append(args, fmt.Sprintf("%#x", pc-1))
		want = append(want, fs[1]+" "+fs[2]+":"+fs[3])
	}
	var stdout, stderr bytes.Buffer
	if code := Run(context.Background(), &Stdio{Out: &stdout, Err: &stderr}, args); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var res struct {
		PCs []struct {
			Frames []struct {
				Func, File string
				Line       int
				Inlined    bool
			}
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	// One PC per logical frame from runtime.Callers; the innermost frame
	// at each must be that frame, and inlined PCs expand to more.
	inlined := 0
	for i, r := range res.PCs {
		fr := r.Frames[0]
		if got := fmt.Sprintf("%s %s:%d", fr.Func, fr.File, fr.Line); got != want[i] {
			t.Errorf("pc %s: got %q, want %q", args[4+i], got, want[i])
		}
		if fr.Inlined {
			inlined++
		}
	}
	if inlined == 0 {
		t.Error("no inlined frame among the PCs")
	}
}

// TestInspectCorruptFiles runs the commands on mutated copies of a real
// binary: a corrupt count and a cut in the DWARF give the real results, a
// warning on stderr and exit 0; a file cut inside its tables or headers
// gives one error line naming the truncation and exit 1.
func TestInspectCorruptFiles(t *testing.T) {
	path := binfiletest.Build(t, binfiletest.Spec{GOOS: "linux", GOARCH: "amd64"})
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ef, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	tab := ef.Section(".gopclntab").Offset
	dwarf := ef.Section(".debug_info").Offset
	ef.Close()
	run := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := Run(context.Background(), &Stdio{Out: &stdout, Err: &stderr}, args)
		return code, stdout.String(), stderr.String()
	}
	_, wantFiles, _ := run("inspect", "files", path)
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	huge := bytes.Clone(data)
	binary.LittleEndian.PutUint64(huge[tab+16:], 0x40000000)
	code, out, errOut := run("inspect", "files", write("huge", huge))
	if code != 0 || out != wantFiles || !strings.Contains(errOut, "goforge: warning: pclntab header claims 1073741824 files") {
		t.Errorf("files count 0x40000000: exit %d, %d bytes of output (want %d), stderr %q", code, len(out), len(wantFiles), errOut)
	}
	cut := write("cut-dwarf", data[:dwarf+100])
	code, _, errOut = run("inspect", "funcs", cut)
	if code != 0 || !strings.Contains(errOut, fmt.Sprintf("goforge: warning: file truncated at %d bytes: sections ", dwarf+100)) {
		t.Errorf("cut in the DWARF: exit %d, stderr %q", code, errOut)
	}
	// A function record offset out of range halfway: the functions before
	// it, then one error line, exit 1.
	_, all, _ := run("inspect", "funcs", path)
	nfunc := strings.Count(all, "\n")
	bad := bytes.Clone(data)
	ftab := tab + binary.LittleEndian.Uint64(bad[tab+8+7*8:])
	binary.LittleEndian.PutUint32(bad[ftab+uint64(2*(nfunc/2)+1)*4:], 0xffffffff)
	code, out, errOut = run("inspect", "funcs", write("bad-record", bad))
	got, want := strings.Fields(out), strings.Fields(all)
	if code != 1 || strings.Count(out, "\n") != nfunc/2 || !slices.Equal(got, want[:len(got)]) || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, fmt.Sprintf("reading the function table: function %d: ", nfunc/2)) {
		t.Errorf("bad record %d of %d: exit %d, %d lines, stderr %q", nfunc/2, nfunc, code, strings.Count(out, "\n"), errOut)
	}
	for name, n := range map[string]uint64{"cut-table": tab + 1000, "cut-headers": 100} {
		code, out, errOut = run("inspect", "funcs", write(name, data[:n]))
		if code != 1 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "truncated") && !strings.Contains(errOut, "reading ELF headers") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", name, code, out, errOut)
		}
	}
}
