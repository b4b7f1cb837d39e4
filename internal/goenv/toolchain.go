package goenv

import (
	"bufio"
	"bytes"
	"fmt"
	"go/version"
	"strings"
)

// A Selection is what the go command would run for a GOTOOLCHAIN setting
// and a module's go and toolchain lines (see https://go.dev/doc/toolchain#select).
type Selection struct {
	Toolchain string // e.g. "go1.23.0"; "local" for the running one
	Reason    string // why that toolchain
	Mode      string // "", "auto" or "path": how a non-local one is found
}

// Switches reports whether the go command would hand over to another
// toolchain than the local one.
func (s Selection) Switches() bool { return s.Toolchain != "local" }

// SelectToolchain mirrors cmd/go's choice of toolchain. local is the
// running toolchain (e.g. "go1.26.8"); goLine and toolchainLine come from
// the governing go.work or go.mod ("" when absent).
func SelectToolchain(gotoolchain, local, goLine, toolchainLine string) (Selection, error) {
	minTool, minVers := local, local
	var mode string
	switch gotoolchain {
	case "", "local":
		return Selection{Toolchain: "local", Reason: "GOTOOLCHAIN=" + gotoolchain}, nil
	case "auto", "path":
		mode = gotoolchain
	default:
		name, suffix, plus := strings.Cut(gotoolchain, "+")
		if name != "local" {
			if !version.IsValid(toolchainVersion(name)) {
				return Selection{}, fmt.Errorf("invalid GOTOOLCHAIN %q", gotoolchain)
			}
			minTool, minVers = name, toolchainVersion(name)
		}
		if plus && suffix != "auto" && suffix != "path" {
			return Selection{}, fmt.Errorf("invalid GOTOOLCHAIN %q: only version suffixes are +auto and +path", gotoolchain)
		}
		mode = suffix
	}
	sel := Selection{Toolchain: minTool, Mode: mode, Reason: "GOTOOLCHAIN=" + gotoolchain}
	if mode != "" && toolchainLine != "" && toolchainLine != "default" {
		if v := toolchainVersion(toolchainLine); version.Compare(v, minVers) > 0 {
			sel.Toolchain, minVers = toolchainLine, v
			sel.Reason = "toolchain line " + toolchainLine
		}
	}
	if mode != "" && goLine != "" && version.Compare("go"+goLine, minVers) > 0 {
		sel.Toolchain = "go" + goLine
		if version.Lang("go"+goLine) == "go"+goLine && version.Compare("go"+goLine, "go1.21") >= 0 {
			sel.Toolchain += ".0"
		}
		sel.Reason = "go line " + goLine
	}
	if sel.Toolchain == local {
		sel.Toolchain = "local"
	}
	return sel, nil
}

// toolchainVersion extracts the Go version from a toolchain name:
// "go1.22.5" and "gccgo-go1.22.5" give "go1.22.5".
func toolchainVersion(name string) string {
	if i := strings.Index(name, "-go1"); i >= 0 {
		name = name[i+1:]
	}
	if !strings.HasPrefix(name, "go1") {
		return ""
	}
	// Drop a custom suffix such as go1.22.5-custom.
	if i := strings.IndexAny(name, " -"); i >= 0 {
		name = name[:i]
	}
	return name
}

// ModLines returns the go and toolchain directives of a go.mod or go.work
// file's contents ("" for each that is missing).
func ModLines(data []byte) (goLine, toolchainLine string) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "go":
			goLine = f[1]
		case "toolchain":
			toolchainLine = f[1]
		}
	}
	return goLine, toolchainLine
}
