package shellhook

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestRestoreApply(t *testing.T) {
	orig := map[string]string{"PATH": "/usr/bin:/bin", "GOFLAGS": "-v", "HOME": "/h"}
	pre := []string{"/g/go1.19/bin", "/g/bin"}
	vars := []KV{{"GOROOT", "/g/go1.19"}, {"GOFLAGS", "-tags=x"}, {"GOTOOLCHAIN", "local"}}
	applied, st := Apply(orig, pre, vars)
	if applied["PATH"] != "/g/go1.19/bin:/g/bin:/usr/bin:/bin" || applied["GOROOT"] != "/g/go1.19" || applied["GOFLAGS"] != "-tags=x" {
		t.Fatalf("Apply = %v", applied)
	}
	st = DecodeState(st.Encode())
	// Leaving the project untouched restores everything exactly.
	if got := Restore(applied, st); !sameEnv(got, orig) {
		t.Errorf("Restore = %v, want %v", got, orig)
	}
	// A user's own change while in the project survives; PATH loses only
	// the entries the hook put in front.
	edited := copyEnv(applied)
	edited["GOFLAGS"] = "-mine"
	edited["PATH"] = "/mine:" + applied["PATH"]
	got := Restore(edited, st)
	want := map[string]string{"PATH": "/mine:/usr/bin:/bin", "GOFLAGS": "-mine", "HOME": "/h"}
	if !sameEnv(got, want) {
		t.Errorf("Restore after edits = %v, want %v", got, want)
	}
	// Applying twice does not grow PATH.
	again, _ := Apply(applied, pre, vars)
	if again["PATH"] != applied["PATH"] {
		t.Errorf("second Apply: PATH %q, want %q", again["PATH"], applied["PATH"])
	}
	if DecodeState("garbage!").Version != "" || (State{}).Encode() != "" {
		t.Error("empty or bad state not handled")
	}
}

func copyEnv(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func sameEnv(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestDiff(t *testing.T) {
	cs := Diff(map[string]string{"A": "1", "B": "2", "C": "3"}, map[string]string{"A": "1", "B": "x", "D": "4"})
	var got []string
	for _, c := range cs {
		got = append(got, Export("bash", c))
	}
	want := "export B='x'|unset C|export D='4'"
	if strings.Join(got, "|") != want {
		t.Errorf("Diff = %q, want %q", strings.Join(got, "|"), want)
	}
}

// TestQuoteOracle evaluates quoted values in the real shells.
func TestQuoteOracle(t *testing.T) {
	values := []string{"plain", "it's", `back\slash`, `"dq" $HOME $(id) ` + "`x`", "new\nline", "tab\t;|&", ""}
	for _, shell := range []string{"bash", "zsh", "fish"} {
		if _, err := exec.LookPath(shell); err != nil {
			t.Logf("skipping %s: needs %s", shell, shell)
			continue
		}
		for _, v := range values {
			script := Export(shell, Change{Key: "GF_TEST", Value: v}) + "; printf '%s' \"$GF_TEST\""
			out, err := exec.Command(shell, "-c", script).Output()
			if err != nil || string(out) != v {
				t.Errorf("%s: %q came back as %q (%v)", shell, v, out, err)
			}
		}
	}
}

func TestInitScripts(t *testing.T) {
	for _, shell := range Shells {
		s, err := Init(shell, InitOptions{Goforge: "/opt/it's/goforge", Path: []string{"/h/current/bin", "/h/bin"}})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(s, "shell-hook "+shell) || !strings.Contains(s, Quote(shell, "/opt/it's/goforge")) {
			t.Errorf("%s hook does not run its shell-hook with the quoted path:\n%s", shell, s)
		}
	}
	if _, err := Init("tcsh", InitOptions{}); err == nil {
		t.Error("Init accepted tcsh")
	}
	// PowerShell is not packaged for Debian: check the script's text only.
	ps, _ := Init("pwsh", InitOptions{Goforge: "/g"})
	for _, want := range []string{"function global:prompt", "LastWriteTimeUtc.Ticks -gt $global:_goforge_ticks", "Test-Path -LiteralPath $f", "Invoke-Expression $code"} {
		if !strings.Contains(ps, want) {
			t.Errorf("pwsh hook lacks %q", want)
		}
	}
}

// TestShellSyntax parses each generated hook with its shell.
func TestShellSyntax(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		if _, err := exec.LookPath(shell); err != nil {
			t.Logf("skipping %s: needs %s", shell, shell)
			continue
		}
		s, _ := Init(shell, InitOptions{Goforge: "/g", Path: []string{"/h/current/bin"}})
		if out, err := exec.Command(shell, "-n", "-c", s).CombinedOutput(); err != nil {
			t.Errorf("%s -n: %v\n%s", shell, err, out)
		}
	}
}

func TestRCInstallUninstall(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("rc files are POSIX here")
	}
	for _, orig := range []string{"", "alias ll='ls -l'\n", "no trailing newline", "x\n\n\n"} {
		dir := t.TempDir()
		rc := filepath.Join(dir, ".bashrc")
		os.WriteFile(rc, []byte(orig), 0o600)
		block := Block("bash", "/g/goforge")
		for i := 0; i < 2; i++ {
			backup, err := Install(rc, block)
			if err != nil || (backup != "") != (i == 0) {
				t.Fatalf("install %d: backup=%q err=%v", i, backup, err)
			}
		}
		data, _ := os.ReadFile(rc)
		if strings.Count(string(data), BeginMarker) != 1 || !strings.HasPrefix(string(data), orig) {
			t.Errorf("after two installs: %q", data)
		}
		if b, _ := os.ReadFile(rc + BackupSuffix); string(b) != orig {
			t.Errorf("backup = %q, want %q", b, orig)
		}
		if fi, _ := os.Stat(rc); fi.Mode().Perm() != 0o600 {
			t.Errorf("mode changed to %v", fi.Mode().Perm())
		}
		// A changed goforge path updates the block in place.
		if backup, err := Install(rc, Block("bash", "/new/goforge")); backup != rc+BackupSuffix+".1" || err != nil {
			t.Errorf("update: backup %q, %v", backup, err)
		}
		backup, err := Uninstall(rc)
		data, _ = os.ReadFile(rc)
		if backup == "" || err != nil || string(data) != orig {
			t.Errorf("uninstall: backup=%q err=%v, file %q, want %q", backup, err, data, orig)
		}
		if b, _ := os.ReadFile(rc + BackupSuffix); string(b) != orig {
			t.Errorf("the first backup was overwritten: %q, want %q", b, orig)
		}
		if backup, _ := Uninstall(rc); backup != "" {
			t.Error("second uninstall removed something")
		}
	}
}

func TestRCErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Install(filepath.Join(dir, "missing"), Block("bash", "/g")); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing rc: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing rc file was created")
	}
	ro := filepath.Join(dir, "ro")
	os.WriteFile(ro, []byte("keep\n"), 0o444)
	if _, err := Install(ro, Block("bash", "/g")); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("read-only rc: %v", err)
	}
	if data, _ := os.ReadFile(ro); string(data) != "keep\n" {
		t.Errorf("read-only rc changed: %q", data)
	}
	// Through a symlink (dotfile managers), the target is edited and the
	// link stays a link.
	target := filepath.Join(dir, "dotfiles-bashrc")
	os.WriteFile(target, []byte("x\n"), 0o644)
	link := filepath.Join(dir, ".bashrc")
	os.Symlink(target, link)
	if _, err := Install(link, Block("bash", "/g")); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the symlink was replaced by a file")
	}
	if data, _ := os.ReadFile(target); !strings.Contains(string(data), BeginMarker) {
		t.Error("the link's target was not edited")
	}
}

func TestStamp(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "go.mod")
	os.WriteFile(f, nil, 0o644)
	w := StatAll([]string{f, filepath.Join(dir, "absent")})
	if len(w.Files) != 1 || len(w.Absent) != 1 {
		t.Fatalf("StatAll = %+v", w)
	}
	p, err := Stamp(filepath.Join(dir, "stamps"), w.Newest)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(p)
	if !fi.ModTime().Equal(w.Newest) {
		t.Errorf("stamp mtime %v, want %v", fi.ModTime(), w.Newest)
	}
}

// TestFreshSyntax parses the generated freshness check with each shell and
// runs it: true in the directory it was made for, false elsewhere.
func TestFreshSyntax(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, ".goenv")
	os.WriteFile(f, nil, 0o644)
	w := StatAll([]string{f, filepath.Join(dir, "it's absent")})
	stamp, err := Stamp(filepath.Join(dir, "stamps"), w.Newest)
	if err != nil {
		t.Fatal(err)
	}
	for _, shell := range []string{"bash", "zsh", "fish"} {
		if _, err := exec.LookPath(shell); err != nil {
			t.Logf("skipping %s: needs %s", shell, shell)
			continue
		}
		def := Fresh(shell, dir, "", stamp, w)
		for _, tc := range []struct {
			cd   string
			want string
		}{{dir, "fresh"}, {"/", "stale"}} {
			script := def + "cd " + Quote(shell, tc.cd) + "\nif _goforge_fresh; echo fresh; else; echo stale; end"
			if shell != "fish" {
				script = def + "cd " + Quote(shell, tc.cd) + "\nif _goforge_fresh; then echo fresh; else echo stale; fi"
			}
			cmd := exec.Command(shell, "-c", script)
			cmd.Env = append(os.Environ(), "GOFORGE_VERSION=")
			out, err := cmd.CombinedOutput()
			if err != nil || strings.TrimSpace(string(out)) != tc.want {
				t.Errorf("%s in %s: %q %v, want %s\n%s", shell, tc.cd, out, err, tc.want, def)
			}
		}
	}
}
