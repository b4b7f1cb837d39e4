package shellhook

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	b = BeginMarker + "\n"
	e = EndMarker + "\n"
)

// TestRCRefusesBrokenMarkers: an rc file whose markers are not one
// well-ordered block is refused, names the line and the fix, and is left
// byte for byte as it was, with no backup written.
func TestRCRefusesBrokenMarkers(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		line       int
		want       string
	}{
		{"stray start", "export A=1\n" + b + "export B=2\nexport C=3\n", 2, "start marker with no end marker"},
		{"end before start", "export A=1\n" + e + "export B=2\n" + b + "x\n" + e, 2, "end marker with no start marker"},
		{"only end", e + "export A=1\n", 1, "end marker with no start marker"},
		{"two starts", b + "x\n" + b + "y\n" + e, 3, "second goforge start marker (the first is on line 1)"},
		{"two blocks", b + e + "z\n" + b + e, 4, "second goforge start marker"},
		{"two ends", b + "x\n" + e + "y\n" + e, 5, "second goforge end marker"},
		{"crlf stray start", "A=1\r\n" + BeginMarker + "\r\nB=2\r\n", 2, "start marker with no end marker"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc := filepath.Join(t.TempDir(), ".bashrc")
			os.WriteFile(rc, []byte(tc.data), 0o644)
			for _, op := range []func(string) (string, error){
				func(p string) (string, error) { return Install(p, Block("bash", "/g")) },
				Uninstall,
			} {
				backup, err := op(rc)
				var me *MarkerError
				if !errors.As(err, &me) || me.Line != tc.line || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("err = %v (backup %q), want a MarkerError at line %d saying %q", err, backup, tc.line, tc.want)
				}
				if !strings.Contains(err.Error(), "then run again") || !strings.HasPrefix(err.Error(), rc+":") {
					t.Errorf("error does not say where and how to fix: %v", err)
				}
				if data, _ := os.ReadFile(rc); string(data) != tc.data {
					t.Errorf("the refused file changed: %q", data)
				}
				if _, err := os.Stat(rc + BackupSuffix); err == nil {
					t.Error("a refused edit wrote a backup")
				}
			}
		})
	}
}

// TestRCIssueSequence is the sequence from the issue: a stray start
// marker followed by user lines, then --install, --install, --uninstall.
// Nothing is lost: every step is refused and the file is unchanged.
func TestRCIssueSequence(t *testing.T) {
	rc := filepath.Join(t.TempDir(), ".bashrc")
	orig := "export A=1\n" + b + "export B=2\nexport C=3\n"
	os.WriteFile(rc, []byte(orig), 0o644)
	Install(rc, Block("bash", "/g"))
	Install(rc, Block("bash", "/g"))
	Uninstall(rc)
	if data, _ := os.ReadFile(rc); string(data) != orig {
		t.Fatalf("file now %q, want %q", data, orig)
	}
}

// TestRCUninstallNeverJoinsLines: a block the user placed between lines,
// with no blank line before it, goes without taking a newline that ends
// a user line.
func TestRCUninstallNeverJoinsLines(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"export A=1\n" + b + "x\n" + e + "export B=2\n", "export A=1\nexport B=2\n"},
		{"export A=1\n\n" + b + e + "export B=2\n", "export A=1\nexport B=2\n"},
		{b + e + "export B=2", "export B=2"},
		{"export A=1\n" + b + "x\n" + EndMarker, "export A=1"},
		{"A\r\n\r\n" + BeginMarker + "\r\n" + EndMarker + "\r\nB\r\n", "A\r\n\r\nB\r\n"},
	} {
		rc := filepath.Join(t.TempDir(), ".bashrc")
		os.WriteFile(rc, []byte(tc.in), 0o644)
		if _, err := Uninstall(rc); err != nil {
			t.Fatal(err)
		}
		if data, _ := os.ReadFile(rc); string(data) != tc.want {
			t.Errorf("uninstall of %q = %q, want %q", tc.in, data, tc.want)
		}
	}
}

// TestRCNumberedBackups: every change keeps its own backup.
func TestRCNumberedBackups(t *testing.T) {
	rc := filepath.Join(t.TempDir(), ".bashrc")
	os.WriteFile(rc, []byte("v0\n"), 0o644)
	var got []string
	for i := 0; i < 3; i++ {
		bk, err := Install(rc, Block("bash", "/g"+strings.Repeat("x", i)))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, bk)
	}
	want := []string{rc + BackupSuffix, rc + BackupSuffix + ".1", rc + BackupSuffix + ".2"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("backups %q, want %q", got, want)
	}
	if data, _ := os.ReadFile(want[0]); string(data) != "v0\n" {
		t.Errorf("first backup %q", data)
	}
	if data, _ := os.ReadFile(want[2]); !strings.Contains(string(data), "/gx") {
		t.Errorf("third backup %q does not hold the second install", data)
	}
}

// FuzzRC: install then uninstall gives back any accepted file byte for
// byte (or, for a file that had a block, the file minus only that
// block's lines); a refused file is unchanged on disk with no backup.
func FuzzRC(f *testing.F) {
	for _, s := range []string{"", "x", "x\n", "x\n\n", "A=1\n" + b + "B=2\n", e + b, b + "y\n" + e + "z",
		"A\r\n" + BeginMarker + "\r\n" + EndMarker + "\r\n", b + b + e, "a\n" + EndMarker + " trailing\n"} {
		f.Add([]byte(s))
	}
	block := Block("bash", "/g/goforge")
	dir := f.TempDir() // one per worker process, emptied for each input
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			os.Remove(filepath.Join(dir, e.Name()))
		}
		rc := filepath.Join(dir, "rc")
		if err := os.WriteFile(rc, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, had, ferr := findBlock(rc, data)
		bk, err := Install(rc, block)
		now, _ := os.ReadFile(rc)
		if err != nil {
			var me *MarkerError
			if !errors.As(err, &me) || ferr == nil {
				t.Fatalf("install refused with %v (findBlock: %v)", err, ferr)
			}
			if !bytes.Equal(now, data) || bk != "" {
				t.Fatalf("refused install changed the file to %q", now)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Fatalf("refused install left %d files", len(entries))
			}
			return
		}
		if _, _, ok, err := findBlock(rc, now); !ok || err != nil {
			t.Fatalf("after install no single block (%v): %q", err, now)
		}
		if again, err := Install(rc, block); again != "" || err != nil {
			t.Fatalf("second install changed the file (%q, %v)", again, err)
		}
		if _, err := Uninstall(rc); err != nil {
			t.Fatalf("uninstall after install: %v", err)
		}
		after, _ := os.ReadFile(rc)
		if !had && !bytes.Equal(after, data) {
			t.Fatalf("install+uninstall of %q gave %q", data, after)
		}
		if had {
			want, _, _ := withoutBlock(rc, data)
			if !bytes.Equal(after, want) {
				t.Fatalf("uninstall of %q gave %q, want %q", data, after, want)
			}
		}
		if bk == "" && !had {
			t.Fatal("a change without a backup")
		}
	})
}

// TestRCFailedRenameLeavesNothing: when the last step of a write fails
// (as renaming over an immutable file does), Install and Uninstall
// return the error, the rc file is byte for byte as it was, and nothing
// new is beside it: the backup made for this write is removed, earlier
// backups stay. Not parallel: it replaces the package's rename.
func TestRCFailedRenameLeavesNothing(t *testing.T) {
	failure := errors.New("operation not permitted")
	rename = func(string, string) error { return failure }
	t.Cleanup(func() { rename = os.Rename })
	for name, tc := range map[string]struct {
		data    string
		backups int // earlier backups already beside the file
		op      func(string) (string, error)
	}{
		"install":                  {"x=1\n", 0, func(p string) (string, error) { return Install(p, Block("bash", "/g")) }},
		"install, backups exist":   {"x=1\n", 2, func(p string) (string, error) { return Install(p, Block("bash", "/g")) }},
		"replace block":            {"x=1\n\n" + Block("bash", "/old"), 1, func(p string) (string, error) { return Install(p, Block("bash", "/g")) }},
		"uninstall":                {"x=1\n\n" + Block("bash", "/g"), 0, Uninstall},
		"uninstall, backups exist": {"x=1\n\n" + Block("bash", "/g"), 3, Uninstall},
	} {
		dir := t.TempDir()
		rc := filepath.Join(dir, ".bashrc")
		os.WriteFile(rc, []byte(tc.data), 0o640)
		for i := 0; i < tc.backups; i++ {
			p := rc + BackupSuffix
			if i > 0 {
				p += "." + string(rune('0'+i))
			}
			os.WriteFile(p, []byte("earlier"), 0o600)
		}
		before, _ := os.ReadDir(dir)
		bk, err := tc.op(rc)
		if !errors.Is(err, failure) || bk != "" {
			t.Errorf("%s: backup %q, err %v", name, bk, err)
		}
		if data, _ := os.ReadFile(rc); string(data) != tc.data {
			t.Errorf("%s: rc file now %q", name, data)
		}
		if after, _ := os.ReadDir(dir); len(after) != len(before) {
			t.Errorf("%s: before %v, after %v", name, before, after)
		}
	}
}
