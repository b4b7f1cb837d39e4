package gocmd

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWorkDir(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	// A directory of a process that cannot exist (pid above pid_max) is
	// swept; this process's and a malformed name are kept.
	dead := filepath.Join(tmp, workDirPrefix+"2147483646-1")
	odd := filepath.Join(tmp, workDirPrefix+"x")
	for _, d := range []string{dead, odd} {
		os.MkdirAll(filepath.Join(d, "go-build1"), 0o755)
	}
	if d := workDir([]string{"GOTMPDIR=/x"}, []string{"build"}); d != "" {
		t.Errorf("a GOTMPDIR of the caller's was replaced by %s", d)
	}
	if d := workDir(nil, []string{"env", "-json"}); d != "" {
		t.Errorf("go env got a work directory: %s", d)
	}
	sweepWorkDirs() // what the first workDir of a process does
	d := workDir(nil, []string{"build"})
	if d == "" || filepath.Dir(d) != tmp {
		t.Fatalf("workDir = %q", d)
	}
	if _, err := os.Stat(dead); !os.IsNotExist(err) {
		t.Errorf("the dead process's directory was not swept: %v", err)
	}
	if _, err := os.Stat(odd); err != nil {
		t.Errorf("a directory goforge cannot attribute was removed: %v", err)
	}
}
