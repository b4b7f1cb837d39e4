package pin

import (
	"fmt"
	"strings"
)

// SetGoVersion returns the .goenv contents data (of the file at path) with
// GO_VERSION set to q: its line replaced, or a new line after the leading
// comments. Everything else stays byte for byte.
func SetGoVersion(path string, data []byte, q string) ([]byte, error) {
	if _, ok := NormalizeQuery(q); !ok {
		return nil, fmt.Errorf("%q is not a Go version (want 1.22.5, 1.22 or latest)", q)
	}
	f, err := ParseGoenv(path, data)
	if err != nil {
		return nil, err
	}
	assign := `GO_VERSION="` + q + `"`
	lines := strings.SplitAfter(string(data), "\n")
	if v, ok := f.Get("GO_VERSION"); ok {
		eol := ""
		if old := lines[v.Line-1]; strings.HasSuffix(old, "\n") {
			eol = "\n"
		}
		lines[v.Line-1] = assign + eol
		return []byte(strings.Join(lines, "")), nil
	}
	at := 0
	for at < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[at]), "#") {
		at++
	}
	if at > 0 && !strings.HasSuffix(lines[at-1], "\n") {
		lines[at-1] += "\n"
	}
	out := append(append(append([]string{}, lines[:at]...), assign+"\n"), lines[at:]...)
	return []byte(strings.Join(out, "")), nil
}

// GoenvTemplate is the .goenv 'goforge init' writes, pinning q.
func GoenvTemplate(q string) string {
	return `# .goenv: this project's Go environment (written by 'goforge init').
# Read by goforge's shell hook, 'goforge env --shell' and direnv's 'use goforge'.
# KEY="value" lines; GO_VERSION, GO_BUILD_TAGS and GO*/CGO_* variables;
# relative paths are relative to this file's directory.
GO_VERSION="` + q + `"
# GO_BUILD_TAGS="prod,linux"
# GOFLAGS="-mod=readonly"
# GOCACHE=".gocache"
# CGO_ENABLED="0"
# GOPRIVATE="*.corp.example.com"
`
}
