package goenv

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestParseEnvFile(t *testing.T) {
	f := ParseEnvFile([]byte("# comment\nGOPROXY=https://p,direct\n\nlower=x\nGOFLAGS=-mod=mod\nnoequals\nGOPROXY=off\nGOSUMDB= spaced \n"))
	want := map[string]string{"GOPROXY": "off", "GOFLAGS": "-mod=mod", "GOSUMDB": " spaced "}
	if len(f.Values) != len(want) {
		t.Fatalf("values = %q, want %q", f.Values, want)
	}
	for k, v := range want {
		if f.Values[k] != v {
			t.Errorf("%s = %q, want %q", k, f.Values[k], v)
		}
	}
	if got := strings.Join(f.Keys, ","); got != "GOPROXY,GOFLAGS,GOSUMDB" {
		t.Errorf("keys = %s", got)
	}
}

func TestOrigin(t *testing.T) {
	user := ParseEnvFile([]byte("GOPROXY=u\nGOROOT=/r\n"))
	goroot := ParseEnvFile([]byte("GOPROXY=g\nGOSUMDB=s\nGOROOT=/x\n"))
	env := map[string]string{"GOFLAGS": "-v", "GOPROXY": ""}
	for name, want := range map[string]string{
		"GOFLAGS": FromEnv, "GOPROXY": FromGOENV, "GOSUMDB": FromGOROOT,
		"GOROOT": FromGOENV, "GOCACHE": FromDefault,
	} {
		if got := Origin(name, env, user, goroot); got != want {
			t.Errorf("Origin(%s) = %s, want %s", name, got, want)
		}
	}
	if got := Origin("GOROOT", nil, ParseEnvFile(nil), goroot); got != FromDefault {
		t.Errorf("GOROOT from go.env: origin %s, want default (go.env never sets GOROOT)", got)
	}
}

func TestEnvFilePath(t *testing.T) {
	env := map[string]string{"HOME": "/h"}
	get := func(k string) string { return env[k] }
	if got := EnvFilePath(get); got != filepath.Join("/h", ".config", "go", "env") && got != filepath.Join("/h", "Library", "Application Support", "go", "env") {
		t.Errorf("default path %q", got)
	}
	env["GOENV"] = "/custom"
	if got := EnvFilePath(get); got != "/custom" {
		t.Errorf("GOENV path %q", got)
	}
	env["GOENV"] = "off"
	if got := EnvFilePath(get); got != "" {
		t.Errorf("GOENV=off path %q", got)
	}
}

func TestSelectToolchain(t *testing.T) {
	const local = "go1.26.8"
	tests := []struct {
		gotc, goLine, tline string
		want, reason        string
		wantErr             bool
	}{
		{gotc: "local", goLine: "1.99", want: "local"},
		{gotc: "", goLine: "1.99", want: "local"},
		{gotc: "auto", goLine: "1.21", want: "local"},
		{gotc: "auto", goLine: "1.26.8", want: "local"},
		{gotc: "auto", goLine: "1.99", want: "go1.99.0", reason: "go line 1.99"},
		{gotc: "auto", goLine: "1.99.2", want: "go1.99.2"},
		{gotc: "auto", goLine: "1.99rc1", want: "go1.99rc1"},
		{gotc: "auto", goLine: "1.21", tline: "go1.30.1", want: "go1.30.1", reason: "toolchain line go1.30.1"},
		{gotc: "auto", goLine: "1.21", tline: "go1.20.1", want: "local"},
		{gotc: "auto", goLine: "1.21", tline: "default", want: "local"},
		{gotc: "path", goLine: "1.99.1", want: "go1.99.1"},
		{gotc: "go1.22.0", goLine: "1.99", want: "go1.22.0"},
		{gotc: "go1.27.0+auto", goLine: "1.21", want: "go1.27.0"},
		{gotc: "go1.27.0+auto", goLine: "1.28.1", want: "go1.28.1"},
		{gotc: "local+auto", goLine: "1.99.0", want: "go1.99.0"},
		{gotc: "go1.26.8", want: "local"},
		{gotc: "bogus", wantErr: true},
		{gotc: "go1.22+bogus", wantErr: true},
	}
	for _, tt := range tests {
		sel, err := SelectToolchain(tt.gotc, local, tt.goLine, tt.tline)
		if (err != nil) != tt.wantErr {
			t.Errorf("%+v: err = %v", tt, err)
			continue
		}
		if err != nil {
			continue
		}
		if sel.Toolchain != tt.want || tt.reason != "" && sel.Reason != tt.reason {
			t.Errorf("SelectToolchain(%q, %q, %q) = %+v, want %s (%s)", tt.gotc, tt.goLine, tt.tline, sel, tt.want, tt.reason)
		}
	}
}

func TestModLines(t *testing.T) {
	g, tl := ModLines([]byte("module x\n\ngo 1.22.1 // why\n\ntoolchain go1.23.4\nrequire (\n\tgo.example v1.0.0\n)\n"))
	if g != "1.22.1" || tl != "go1.23.4" {
		t.Errorf("got %q %q", g, tl)
	}
}

func TestUnameArch(t *testing.T) {
	for in, want := range map[string]string{"x86_64": "amd64", "aarch64": "arm64", "i686": "386", "armv7l": "arm", "riscv64": "riscv64", "loongarch64": "loong64"} {
		if got := unameArch(in); got != want {
			t.Errorf("unameArch(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestReportMatchesGoEnv is the oracle test: every value 'goforge env
// --json' reports equals what 'go env -json' says in the same environment,
// including with settings in the environment and in a GOENV file.
func TestReportMatchesGoEnv(t *testing.T) {
	goPath, err := exec.LookPath("go")
	if err != nil {
		t.Skip("needs a go command on PATH")
	}
	dir := t.TempDir()
	envFile := filepath.Join(dir, "goenv")
	os.WriteFile(envFile, []byte("GOPROXY=https://example.invalid/proxy,direct\nGOPRIVATE=example.com/private\n"), 0o644)
	environ := append(os.Environ(), "GOENV="+envFile, "GOFLAGS=-mod=mod", "GOOS=windows", "CGO_ENABLED=0", "GOTOOLCHAIN=")
	snap, err := Load(t.Context(), environ, dir)
	if err != nil || snap.GoEnvErr != nil {
		t.Fatal(err, snap.GoEnvErr)
	}
	data, err := json.Marshal(snap.Report())
	if err != nil {
		t.Fatal(err)
	}
	var rep Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goPath, "env", "-json")
	cmd.Env, cmd.Dir = environ, dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]string
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	if len(rep.Vars) != len(want) {
		t.Errorf("report has %d vars, go env -json %d", len(rep.Vars), len(want))
	}
	// GOGCCFLAGS names a fresh temporary directory on every run.
	tmpdir := regexp.MustCompile(`go-build\d+`)
	for k, v := range want {
		if got := rep.Vars[k].Value; tmpdir.ReplaceAllString(got, "") != tmpdir.ReplaceAllString(v, "") {
			t.Errorf("%s = %q, go env says %q", k, got, v)
		}
	}
	for k, o := range map[string]string{"GOPROXY": FromGOENV, "GOFLAGS": FromEnv, "GOOS": FromEnv, "GOSUMDB": FromGOROOT, "GOCACHE": FromDefault} {
		if got := rep.Vars[k].Origin; got != o {
			t.Errorf("origin of %s = %s, want %s", k, got, o)
		}
	}
	if got := strings.Join(rep.GOENVFile.Overrides, ","); got != "GOPROXY,GOPRIVATE" {
		t.Errorf("GOENV overrides = %s", got)
	}
}
