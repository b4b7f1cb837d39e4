package unpack

import (
	"bytes"
	"os"
	"testing"
)

// realZip is a real toolchain zip for BenchmarkExtract, when present:
// GOFORGE_BENCH_ZIP=$(go env GOMODCACHE)/cache/download/golang.org/toolchain/@v/v0.0.1-go1.22.0.linux-amd64.zip
func realZip(b *testing.B) ([]byte, string) {
	name := os.Getenv("GOFORGE_BENCH_ZIP")
	if name == "" {
		b.Skip("set GOFORGE_BENCH_ZIP to a golang.org/toolchain zip")
	}
	data, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	return data, "golang.org/toolchain@v0.0.1-go1.22.0.linux-amd64/"
}

// BenchmarkExtract compares random-access extraction (parallel inflate)
// with streaming extraction of the same real toolchain zip from memory.
func BenchmarkExtract(b *testing.B) {
	data, prefix := realZip(b)
	opt := Options{Prefix: prefix, ModuleZip: true}
	b.Run("Zip", func(b *testing.B) {
		for b.Loop() {
			if _, err := Zip(bytes.NewReader(data), int64(len(data)), b.TempDir(), opt); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("StreamZip", func(b *testing.B) {
		for b.Loop() {
			if _, err := StreamZip(bytes.NewReader(data), b.TempDir(), opt); err != nil {
				b.Fatal(err)
			}
		}
	})
}
