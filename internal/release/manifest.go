package release

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

// Checksums renders a SHA256SUMS file for files, sorted by name, in the
// format 'sha256sum -c' reads ("HEX  NAME").
func Checksums(files []File) []byte {
	sorted := append([]File(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	var b bytes.Buffer
	for _, f := range sorted {
		fmt.Fprintf(&b, "%s  %s\n", f.SHA256, f.Name)
	}
	return b.Bytes()
}

var sumLine = regexp.MustCompile(`^([0-9a-f]{64}) [ *](.+)$`)

// ParseChecksums reads a SHA256SUMS file into a name → hex digest map.
func ParseChecksums(r io.Reader) (map[string]string, error) {
	sums := map[string]string{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" {
			continue
		}
		m := sumLine.FindStringSubmatch(line)
		if m == nil {
			return nil, fmt.Errorf("line %d: not \"SHA256  NAME\"", n)
		}
		if _, dup := sums[m[2]]; dup {
			return nil, fmt.Errorf("line %d: %q listed twice", n, m[2])
		}
		sums[m[2]] = m[1]
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(sums) == 0 {
		return nil, errors.New("no checksums")
	}
	return sums, nil
}

// Manifest is dist/manifest.json: what was built, from what, with which
// flags, and every file with its size and hash. It holds no timings or
// host facts, so two builds of one commit write the same manifest.
type Manifest struct {
	Schema    int              `json:"schema"`
	Name      string           `json:"name"`
	Version   string           `json:"version"`
	Commit    string           `json:"commit,omitempty"`
	Date      string           `json:"date,omitempty"`
	GoVersion string           `json:"go_version"`
	Targets   []ManifestTarget `json:"targets"`
	Files     []File           `json:"files"`
}

// ManifestTarget is one built target in the manifest.
type ManifestTarget struct {
	Target  string   `json:"target"`
	GOOS    string   `json:"goos"`
	GOARCH  string   `json:"goarch"`
	Variant string   `json:"variant,omitempty"`
	Package string   `json:"package"`
	Env     []string `json:"env"`
	Flags   []string `json:"flags"`
	Binary  File     `json:"binary"`
	Archive *File    `json:"archive,omitempty"`
	// Format, Arch and Static are read from the binary, not assumed.
	Format   string `json:"format"`
	Arch     string `json:"arch"`
	Static   bool   `json:"static"`
	Verified bool   `json:"verified"`
}

// Encode renders the manifest as indented JSON.
func (m *Manifest) Encode() []byte {
	sort.Slice(m.Targets, func(i, j int) bool {
		if m.Targets[i].Package != m.Targets[j].Package {
			return m.Targets[i].Package < m.Targets[j].Package
		}
		return m.Targets[i].Target < m.Targets[j].Target
	})
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Name < m.Files[j].Name })
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		panic(err) // only plain data: cannot fail
	}
	return append(b, '\n')
}
