package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestShellInitImmutableRC: installing into an immutable rc file (chattr
// +i, which even root cannot rename over) fails with exit 1 and leaves
// the file byte for byte as it was and nothing new beside it: no backup,
// no temporary file.
func TestShellInitImmutableRC(t *testing.T) {
	t.Parallel()
	chattr, err := exec.LookPath("chattr")
	if err != nil {
		t.Skip("needs chattr")
	}
	sb := isolate(t)
	plain := filepath.Join(sb.dir, ".bashrc")
	hooked := filepath.Join(sb.dir, "hooked.rc")
	for _, p := range []string{plain, hooked} {
		if err := os.WriteFile(p, []byte("x=1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// hooked.rc has goforge's block (and its backup) before it is frozen.
	if code, _, errs := sb.run("shell-init", "bash", "--install", "--rc", hooked); code != 0 {
		t.Fatalf("install: exit %d: %s", code, errs)
	}
	want := map[string]string{}
	for _, p := range []string{plain, hooked} {
		data, _ := os.ReadFile(p)
		want[p] = string(data)
		if out, err := exec.Command(chattr, "+i", p).CombinedOutput(); err != nil {
			t.Skipf("chattr +i does not work here (needs root and a file system with the flag): %v: %s", err, out)
		}
		t.Cleanup(func() { exec.Command(chattr, "-i", p).Run() })
	}
	before := dirNames(t, sb.dir)
	for _, args := range [][]string{{"--install"}, {"--uninstall", "--rc", hooked}} {
		rc := plain
		if len(args) > 1 {
			rc = args[2]
		}
		code, out, errs := sb.run(append([]string{"shell-init", "bash"}, args...)...)
		if code != 1 || out != "" || !strings.Contains(errs, "goforge: writing "+rc+": ") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
		if data, _ := os.ReadFile(rc); string(data) != want[rc] {
			t.Errorf("%v: rc file now %q, was %q", args, data, want[rc])
		}
	}
	if after := dirNames(t, sb.dir); after != before {
		t.Errorf("left behind: before %s, after %s", before, after)
	}
}

func dirNames(t *testing.T, dir string) string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return strings.Join(names, " ")
}
