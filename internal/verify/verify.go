// Package verify checks that a build output is what was asked for: the
// object format and architecture read from the file match the target,
// outputs meant to be static need no dynamic loader, and, on request, the
// program actually runs (natively, under qemu-user for foreign Linux
// architectures, under node for js/wasm, and in-process under wazero for
// wasip1/wasm).
package verify

import (
	"fmt"
	"os"
	"strings"

	"github.com/goforge/goforge/internal/binfile"
	"github.com/goforge/goforge/internal/verify/objinfo"
)

// Info is what the file says it is.
type Info = objinfo.Info

// Inspect reads the object format, architecture and linkage of the file
// at path: WebAssembly with objinfo, everything else with binfile.
func Inspect(path string) (*Info, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if objinfo.IsWasm(f) {
		info, err := objinfo.ReadWasm(f)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
		return info, nil
	}
	facts, err := binfile.ReadFacts(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return &Info{
		Format:      string(facts.Format),
		Arch:        facts.Arch,
		OS:          facts.OS,
		Static:      facts.Linkage.Static,
		Interpreter: facts.Linkage.Interp,
		Needed:      facts.Linkage.Needed,
	}, nil
}

// FormatFor returns the object format the Go linker writes for goos.
func FormatFor(goos string) string {
	switch goos {
	case "windows":
		return "pe"
	case "darwin", "ios":
		return "macho"
	case "js", "wasip1":
		return "wasm"
	case "plan9":
		return "plan9"
	}
	return "elf"
}

// CanBeStatic reports whether a CGO_ENABLED=0 build for goos is a static
// executable. Darwin, iOS, Windows, OpenBSD, Solaris, illumos and AIX
// programs always go through the system's libraries, and WebAssembly has
// no loader at all, so "static" is only asked of the others.
func CanBeStatic(goos string) bool {
	switch goos {
	case "linux", "freebsd", "netbsd", "dragonfly":
		return true
	}
	return false
}

// Check compares info with the target goos/goarch. wantStatic asks that
// the file need no interpreter and no shared libraries. It returns one
// problem per mismatch; none means the output is what was asked for.
func Check(info *Info, goos, goarch string, wantStatic bool) []string {
	var probs []string
	if want := FormatFor(goos); info.Format != want {
		probs = append(probs, fmt.Sprintf("object format is %s, want %s for %s", info.Format, want, goos))
	}
	if info.Arch != goarch {
		probs = append(probs, fmt.Sprintf("architecture is %s, want %s", info.Arch, goarch))
	}
	if info.Format == "wasm" && info.OS != "" && info.OS != goos {
		probs = append(probs, fmt.Sprintf("WebAssembly module is for %s, want %s", info.OS, goos))
	}
	if wantStatic && !info.Static {
		var why []string
		if info.Interpreter != "" {
			why = append(why, "interpreter "+info.Interpreter)
		}
		if len(info.Needed) > 0 {
			why = append(why, "needs "+strings.Join(info.Needed, ", "))
		}
		probs = append(probs, "not static: "+strings.Join(why, "; "))
	}
	return probs
}
