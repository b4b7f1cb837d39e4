package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
