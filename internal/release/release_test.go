package release

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestArchivesAreReproducible(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	readme := filepath.Join(dir, "README.md")
	os.WriteFile(bin, []byte("\x7fELF binary"), 0o700)
	os.WriteFile(readme, []byte("# hi\n"), 0o600)
	entries := []Entry{{Name: "README.md", Source: readme}, {Name: "hello", Source: bin, Exec: true}}
	for _, ext := range []string{".tar.gz", ".zip"} {
		a, b := filepath.Join(dir, "a"+ext), filepath.Join(dir, "b"+ext)
		if err := WriteArchive(a, entries, 1700000000); err != nil {
			t.Fatal(err)
		}
		// Different on-disk times and order must not matter.
		os.Chtimes(bin, time.Now(), time.Now())
		rev := []Entry{entries[1], entries[0]}
		if err := WriteArchive(b, rev, 1700000000); err != nil {
			t.Fatal(err)
		}
		da, _ := os.ReadFile(a)
		db, _ := os.ReadFile(b)
		if !bytes.Equal(da, db) {
			t.Errorf("%s: two archives of the same entries differ", ext)
		}
		names, modes, mtimes := listArchive(t, a)
		if strings.Join(names, ",") != "README.md,hello" {
			t.Errorf("%s: entries %v, want sorted README.md,hello", ext, names)
		}
		if modes[0] != 0o644 || modes[1] != 0o755 {
			t.Errorf("%s: modes %o", ext, modes)
		}
		for _, m := range mtimes {
			if m.Unix() != 1700000000 {
				t.Errorf("%s: mtime %v, want the epoch", ext, m)
			}
		}
	}
}

func listArchive(t *testing.T, name string) (names []string, modes []int64, mtimes []time.Time) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(name, ".zip") {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			names = append(names, f.Name)
			modes = append(modes, int64(f.Mode().Perm()))
			mtimes = append(mtimes, f.Modified)
		}
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Uid != 0 || h.Gid != 0 || h.Uname != "" || h.Gname != "" {
			t.Errorf("%s: owner %d/%d %q/%q", h.Name, h.Uid, h.Gid, h.Uname, h.Gname)
		}
		names = append(names, h.Name)
		modes = append(modes, h.Mode)
		mtimes = append(mtimes, h.ModTime)
	}
}

func TestChecksumsRoundTrip(t *testing.T) {
	files := []File{{Name: "b.zip", SHA256: strings.Repeat("b", 64)}, {Name: "a.tar.gz", SHA256: strings.Repeat("a", 64)}}
	text := Checksums(files)
	want := strings.Repeat("a", 64) + "  a.tar.gz\n" + strings.Repeat("b", 64) + "  b.zip\n"
	if string(text) != want {
		t.Fatalf("Checksums:\n%s\nwant:\n%s", text, want)
	}
	sums, err := ParseChecksums(bytes.NewReader(text))
	if err != nil || len(sums) != 2 || sums["b.zip"] != strings.Repeat("b", 64) {
		t.Fatalf("ParseChecksums: %v, %v", sums, err)
	}
	for _, bad := range []string{"", "xyz  a\n", strings.Repeat("a", 64) + "  a\n" + strings.Repeat("a", 64) + "  a\n"} {
		if _, err := ParseChecksums(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseChecksums(%q) succeeded", bad)
		}
	}
}

func FuzzParseChecksums(f *testing.F) {
	f.Add([]byte(strings.Repeat("a", 64) + "  a.tar.gz\n"))
	f.Add([]byte(strings.Repeat("0", 64) + " *b\r\n\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		sums, err := ParseChecksums(bytes.NewReader(b))
		if err != nil {
			return
		}
		var files []File
		for n, h := range sums {
			if strings.Contains(n, "\n") {
				return
			}
			files = append(files, File{Name: n, SHA256: h})
		}
		again, err := ParseChecksums(bytes.NewReader(Checksums(files)))
		if err != nil || len(again) != len(sums) {
			t.Fatalf("round trip: %v, %d vs %d", err, len(again), len(sums))
		}
	})
}
