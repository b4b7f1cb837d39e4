package toolchain

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestCheckSHA256(t *testing.T) {
	good := strings.Repeat("aB", 32)
	for _, tc := range []struct {
		sum, file string
		ok        bool
	}{
		{"", "", true},
		{"", "f.tar.gz", true},
		{good, "f.tar.gz", true},
		{good, "", false},
		{"xyz", "f.tar.gz", false},
		{good[:63], "f.tar.gz", false},
		{good + "0", "f.tar.gz", false},
		{strings.Repeat("g", 64), "f.tar.gz", false},
		{" " + good[1:], "f.tar.gz", false},
		{strings.Repeat("é", 32), "f.tar.gz", false},
	} {
		err := CheckSHA256(tc.sum, tc.file)
		if (err == nil) != tc.ok || err != nil && !errors.Is(err, ErrInvalidSHA256) {
			t.Errorf("CheckSHA256(%q, %q) = %v", tc.sum, tc.file, err)
		}
	}
	if err := CheckSHA256(strings.Repeat("z", 1<<20), "f"); len(err.Error()) > 200 {
		t.Errorf("error line of %d bytes", len(err.Error()))
	}
}

// TestSHA256BeforeExtraction: with a wrong --sha256 nothing is extracted,
// whatever the archive holds (issue 13, case 5): not a staging directory
// is created, and the error is the mismatch.
func TestSHA256BeforeExtraction(t *testing.T) {
	var bomb bytes.Buffer
	gz := gzip.NewWriter(&bomb)
	tw := tar.NewWriter(gz)
	tw.WriteHeader(&tar.Header{Name: "go/big", Size: 3 << 30, Mode: 0o644, Typeflag: tar.TypeReg})
	tw.Write(make([]byte, 1<<20)) // the rest is missing: a bomb's header
	gz.Close()
	slip := craftTarGz(t, "go1.30.1", nil, tarEntry{Name: "go/../../escaped", Body: "x"})
	for name, data := range map[string][]byte{"bomb": bomb.Bytes(), "slip": slip, "not gzip": []byte("garbage")} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "go1.30.1."+runtime.GOOS+"-"+runtime.GOARCH+".tar.gz")
			os.WriteFile(file, data, 0o644)
			h, _ := OpenHomeAt(t.TempDir())
			_, err := (&Installer{Home: h}).Install(context.Background(), Request{File: file, SHA256: strings.Repeat("1", 64)})
			want := fmt.Sprintf("file: sha256 %x", sha256.Sum256(data))
			if err == nil || !strings.Contains(err.Error(), "checksum mismatch") || !strings.Contains(err.Error(), want) {
				t.Fatalf("err = %v, want the mismatch", err)
			}
			if _, err := os.Stat(filepath.Join(h.Dir(), "tmp")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a staging area was created before the hash was checked (%v)", err)
			}
		})
	}
}
