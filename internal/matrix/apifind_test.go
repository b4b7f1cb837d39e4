package matrix

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeRoot makes a GOROOT whose api/ holds the named files, each declaring
// one function named after the file.
func fakeRoot(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	if files == nil {
		return dir
	}
	api := filepath.Join(dir, "api")
	if err := os.MkdirAll(api, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		sym := "F" + strings.NewReplacer(".", "_").Replace(strings.TrimSuffix(f, ".txt"))
		if err := os.WriteFile(filepath.Join(api, f), []byte("pkg strings, func "+sym+"() string\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFindAPI(t *testing.T) {
	none := fakeRoot(t)                                            // a toolchain module: no api/
	old := fakeRoot(t, "go1.txt", "go1.9.txt", "go1.19.txt")       // Go 1.19
	newer := fakeRoot(t, "go1.txt", "go1.21.txt", "go1.23.txt")    // Go 1.23
	junk := fakeRoot(t, "except.txt", "next.txt", "go1.23rc1.txt") // no go1.N.txt
	for _, tc := range []struct {
		name   string
		roots  []string
		want   string // GOROOT chosen
		level  string
		errHas string
	}{
		{"newest wins whatever the order", []string{none, old, newer}, newer, "go1.23", ""},
		{"newest wins, first", []string{newer, old}, newer, "go1.23", ""},
		{"an older one serves", []string{none, "", old, none}, old, "go1.19", ""},
		{"none has api", []string{none, "", junk, filepath.Join(t.TempDir(), "missing")}, "", "", "adopt a full Go installation"},
		{"nothing to look in", nil, "", "", "looked in nothing;"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			idx, src, err := FindAPI(tc.roots)
			if tc.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errHas) {
					t.Fatalf("FindAPI: err = %v, want one containing %q", err, tc.errHas)
				}
				if strings.Count(err.Error(), none+",") > 1 {
					t.Errorf("error names %s twice: %v", none, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if src.GOROOT != tc.want || src.Level != tc.level {
				t.Errorf("FindAPI = %+v, want %s at %s", src, tc.level, tc.want)
			}
			if got := idx["strings.F"+strings.ReplaceAll(tc.level, ".", "_")]; got != tc.level {
				t.Errorf("index dates its newest symbol %q, want %s", got, tc.level)
			}
		})
	}
}
