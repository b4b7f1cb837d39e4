package dl

import (
	"strings"
	"testing"
)

const index = `[{"version":"go1.22.5","stable":true,"files":[
 {"filename":"go1.22.5.linux-amd64.tar.gz","os":"linux","arch":"amd64","version":"go1.22.5","sha256":"` + zeros + `","size":10,"kind":"archive"},
 {"filename":"go1.22.5.src.tar.gz","os":"","arch":"","version":"go1.22.5","sha256":"` + zeros + `","size":10,"kind":"source"}]}]`

const zeros = "0000000000000000000000000000000000000000000000000000000000000000"

func TestParseIndex(t *testing.T) {
	rels, err := ParseIndex([]byte(index))
	if err != nil {
		t.Fatal(err)
	}
	f, err := rels[0].Archive("linux", "amd64")
	if err != nil || f.Filename != "go1.22.5.linux-amd64.tar.gz" {
		t.Fatalf("Archive = %+v, %v", f, err)
	}
	if _, err := rels[0].Archive("darwin", "arm64"); err == nil {
		t.Fatal("found an archive for darwin/arm64")
	}
}

func TestParseIndexErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"not json", `{`, "parsing download index"},
		{"object", `{"version":"go1"}`, "cannot unmarshal"},
		{"bad version", `[{"version":"1.22"}]`, `invalid version "1.22"`},
		{"path in name", strings.Replace(index, `"go1.22.5.linux-amd64.tar.gz"`, `"../x.tar.gz"`, 1), "invalid file name"},
		{"bad sha", strings.Replace(index, zeros, "xyz", 1), "invalid sha256"},
		{"not archive", strings.Replace(index, `"go1.22.5.linux-amd64.tar.gz"`, `"go.exe"`, 1), "not a .tar.gz"},
		{"long name", strings.Replace(index, `"go1.22.5.linux-amd64.tar.gz"`, `"`+strings.Repeat("x", 1<<20)+`"`, 1), "not a .tar.gz"},
		{"long version", `[{"version":"` + strings.Repeat("9", 1<<20) + `"}]`, `invalid version "999`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseIndex([]byte(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %.300v, want %q", err, tc.want)
			}
			if len(err.Error()) > 400 {
				t.Errorf("error line of %d bytes", len(err.Error()))
			}
		})
	}
}

func FuzzParseIndex(f *testing.F) {
	f.Add([]byte(index))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rels, err := ParseIndex(data)
		if err != nil {
			return
		}
		for _, r := range rels {
			for _, fl := range r.Files {
				if fl.Kind == "archive" && strings.Contains(fl.Filename, "/") {
					t.Fatalf("accepted file name %q", fl.Filename)
				}
			}
		}
	})
}
