package cacheprog

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// splitQuoted is cmd/internal/quoted.Split's rule: fields separated by
// spaces, each optionally wrapped in single or double quotes.
func splitQuoted(s string) ([]string, error) {
	var f []string
	for len(s) > 0 {
		if s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r' {
			s = s[1:]
			continue
		}
		if q := s[0]; q == '"' || q == '\'' {
			i := strings.IndexByte(s[1:], q)
			if i < 0 {
				return nil, errors.New("unterminated quote")
			}
			f = append(f, s[1:1+i])
			s = s[2+i:]
			continue
		}
		i := strings.IndexAny(s, " \t\n\r")
		if i < 0 {
			i = len(s)
		}
		f = append(f, s[:i])
		s = s[i:]
	}
	return f, nil
}

func TestGoEnv(t *testing.T) {
	for _, exe := range []string{"/usr/bin/goforge", "/home/a b/goforge", "/tmp/it's/goforge", "C:\\Program Files\\goforge.exe"} {
		env, err := GoEnv(exe, Config{Dir: "/cache dir/x", MaxSize: 1 << 30, Remote: RemoteConfig{URL: "https://u:pw@cache.example/"}})
		if err != nil {
			t.Fatal(err)
		}
		line, ok := strings.CutPrefix(env[0], "GOCACHEPROG=")
		if !ok {
			t.Fatalf("env %q", env)
		}
		got, err := splitQuoted(line)
		want := []string{exe, "cacheprog", "--dir", "/cache dir/x", "--max-size", "1073741824"}
		if err != nil || strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("GOCACHEPROG %q splits to %q, want %q", line, got, want)
		}
		if strings.Contains(line, "pw") || env[1] != "GOFORGE_CACHE_REMOTE=https://u:pw@cache.example/" {
			t.Errorf("credentials on the command line or lost: %q", env)
		}
	}
	if _, err := GoEnv(`/a'b"c`, Config{}); err == nil {
		t.Error("an unquotable path was accepted")
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"1048576": 1 << 20, "500MB": 500 << 20, "5G": 5 << 30, "5GiB": 5 << 30, "1.5k": 1536, " 2 tb ": 2 << 40, "10B": 10,
	} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "0", "G", "lots", "NaN", "Inf", "1e30"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) accepted", in)
		}
	}
}

func TestTeamEnv(t *testing.T) {
	home := t.TempDir()
	getenv := func(k string) string { return map[string]string{"HOME": home}[k] }
	env, err := TeamEnv("/usr/bin/goforge", "http://cache.example:8080/go", "/tmp/w s", getenv)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := splitQuoted(strings.TrimPrefix(env[0], "GOCACHEPROG="))
	want := []string{"/usr/bin/goforge", "cacheprog", "--dir", filepath.Join(home, ".cache", "goforge", "cacheprog"), "--warnings-file", "/tmp/w s", "--quiet"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("GOCACHEPROG splits to %q, want %q", got, want)
	}
	var bad *URLError
	for _, u := range []string{"ftp://x", "http://", "cache.example", "https//x"} {
		if _, err := TeamEnv("/usr/bin/goforge", u, "", getenv); !errors.As(err, &bad) {
			t.Errorf("TeamEnv(%q) = %v, want a URLError", u, err)
		}
	}
	// A local directory that cannot be made: one error, before any build.
	file := filepath.Join(home, "file")
	os.WriteFile(file, nil, 0o644)
	_, err = TeamEnv("/usr/bin/goforge", "http://cache.example/", "", func(k string) string {
		return map[string]string{"GOFORGE_CACHE_DIR": filepath.Join(file, "c")}[k]
	})
	if err == nil || errors.As(err, &bad) || !strings.Contains(err.Error(), "GOFORGE_CACHE_DIR") {
		t.Errorf("TeamEnv with an unusable directory = %v", err)
	}
}
