package objinfo

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestReadWasmReal builds a tiny program for both WebAssembly ports with
// the real go command (the oracle) and checks which port each file says
// it is for.
func TestReadWasmReal(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("needs go")
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.go"), "package main\nfunc main() { println(\"hi\") }\n")
	writeFile(t, filepath.Join(dir, "go.mod"), "module example.com/m\ngo 1.21\n")
	for _, goos := range []string{"js", "wasip1"} {
		out := filepath.Join(dir, goos+".wasm")
		cmd := exec.Command(goCmd, "build", "-trimpath", "-o", out, ".")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH=wasm")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, b)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		r := bytes.NewReader(b)
		if !IsWasm(r) {
			t.Fatalf("%s: IsWasm = false", goos)
		}
		info, err := ReadWasm(r)
		if err != nil {
			t.Fatal(err)
		}
		if info.Format != "wasm" || info.Arch != "wasm" || info.OS != goos {
			t.Errorf("%s: got %+v", goos, *info)
		}
	}
}

func TestReadWasmGarbage(t *testing.T) {
	for _, b := range []string{"", "hello world", "\x00asm\x02\x00\x00\x00", "\x00asm\x01\x00\x00\x00\x02\xff", "\x00asm\x01\x00\x00\x00\x02\x05\x01\x04go"} {
		if _, err := ReadWasm(bytes.NewReader([]byte(b))); err == nil {
			t.Errorf("ReadWasm(%q) succeeded, want error", b)
		}
	}
	info, err := ReadWasm(bytes.NewReader([]byte("\x00asm\x01\x00\x00\x00\x02\x0a\x01\x04gojs\x01f\x00\x00")))
	if err != nil || info.OS != "js" {
		t.Errorf("hand-made gojs import: %+v, %v", info, err)
	}
}

func FuzzReadWasm(f *testing.F) {
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x02\x0a\x01\x04gojs\x01f\x00\x00"))
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x02\x05\x01\x01a\x01b\x02\x00\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := ReadWasm(bytes.NewReader(b))
		if err == nil && info.Format != "wasm" {
			t.Fatalf("no error and format %q", info.Format)
		}
	})
}

func writeFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
