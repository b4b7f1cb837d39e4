// Package objinfo reads what goforge's binfile package does not: the
// WebAssembly modules that js/wasm and wasip1/wasm builds produce. It
// parses untrusted bytes, so it does no I/O beyond the reader it is given
// and never runs programs.
package objinfo

import (
	"bytes"
	"fmt"
	"io"
)

// Info describes one executable.
type Info struct {
	// Format is "elf", "pe", "macho" or "wasm".
	Format string `json:"format"`
	// Arch is the GOARCH the code is for ("amd64", "arm64", "wasm", ...).
	Arch string `json:"arch"`
	// OS is the GOOS the file says it is for, where it says it: "js" or
	// "wasip1" for WebAssembly (from the host module it imports).
	OS string `json:"os,omitempty"`
	// Static reports whether the file needs no dynamic loader and no
	// shared library.
	Static bool `json:"static"`
	// Interpreter is the ELF program interpreter, if any.
	Interpreter string `json:"interpreter,omitempty"`
	// Needed lists the shared libraries, DLLs or WebAssembly host modules
	// the file imports.
	Needed []string `json:"needed,omitempty"`
}

// IsWasm reports whether the file in r starts with the WebAssembly magic.
func IsWasm(r io.ReaderAt) bool {
	var magic [4]byte
	_, err := r.ReadAt(magic[:], 0)
	return err == nil && bytes.Equal(magic[:], []byte("\x00asm"))
}

// ReadWasm identifies the WebAssembly module in r.
func ReadWasm(r io.ReaderAt) (*Info, error) {
	info := &Info{Format: "wasm", Arch: "wasm"}
	mods, err := wasmImportModules(io.NewSectionReader(r, 0, 1<<40))
	if err != nil {
		return nil, fmt.Errorf("reading WebAssembly imports: %w", err)
	}
	info.Needed = mods
	for _, m := range mods {
		switch m {
		case "gojs":
			info.OS = "js"
		case "wasi_snapshot_preview1", "wasi_unstable":
			info.OS = "wasip1"
		}
	}
	return info, nil
}
