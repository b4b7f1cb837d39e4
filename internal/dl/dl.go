// Package dl reads the JSON index of a go.dev/dl-style download mirror
// (https://go.dev/dl/?mode=json&include=all). It parses untrusted bytes
// and does no I/O of its own.
package dl

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/goforge/goforge/internal/units"
	"go/version"
	"path"
	"regexp"
	"strings"
)

// A Release is one Go release in the index.
type Release struct {
	Version string `json:"version"`
	Stable  bool   `json:"stable"`
	Files   []File `json:"files"`
}

// A File is one downloadable file of a release.
type File struct {
	Filename string `json:"filename"`
	OS       string `json:"os"`
	Arch     string `json:"arch"`
	Version  string `json:"version"`
	SHA256   string `json:"sha256"`
	Size     int64  `json:"size"`
	Kind     string `json:"kind"` // "archive", "installer" or "source"
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ParseIndex parses and checks an index: every release version must be a
// valid Go version and every archive must have a plain file name, a
// SHA-256 and a .tar.gz or .zip suffix. Malformed input is an error,
// never a partial result.
func ParseIndex(data []byte) ([]Release, error) {
	var rels []Release
	if err := json.Unmarshal(data, &rels); err != nil {
		return nil, fmt.Errorf("parsing download index: %w", err)
	}
	for _, r := range rels {
		if !version.IsValid(r.Version) {
			return nil, fmt.Errorf("parsing download index: invalid version %q", clip(r.Version))
		}
		for _, f := range r.Files {
			if f.Kind != "archive" {
				continue
			}
			if err := checkFile(f); err != nil {
				return nil, fmt.Errorf("parsing download index: %s: %w", r.Version, err)
			}
		}
	}
	return rels, nil
}

func checkFile(f File) error {
	if f.Filename == "" || path.Base(f.Filename) != f.Filename || strings.ContainsAny(f.Filename, "\\?#%") || f.Filename[0] == '.' {
		return fmt.Errorf("invalid file name %q", clip(f.Filename))
	}
	if !sha256Hex.MatchString(f.SHA256) {
		return fmt.Errorf("file %q: invalid sha256 %q", clip(f.Filename), clip(f.SHA256))
	}
	if !strings.HasSuffix(f.Filename, ".tar.gz") && !strings.HasSuffix(f.Filename, ".zip") {
		return fmt.Errorf("file %q: not a .tar.gz or .zip archive", clip(f.Filename))
	}
	if f.Size < 0 {
		return fmt.Errorf("file %q: negative size", clip(f.Filename))
	}
	return nil
}

// ErrNoArchive is returned by Archive when the release has no archive for
// the platform.
var ErrNoArchive = errors.New("no archive")

// Archive returns the archive of release r for goos/goarch.
func (r Release) Archive(goos, goarch string) (File, error) {
	for _, f := range r.Files {
		if f.Kind == "archive" && f.OS == goos && f.Arch == goarch {
			return f, nil
		}
	}
	return File{}, fmt.Errorf("%s for %s/%s: %w", r.Version, goos, goarch, ErrNoArchive)
}

// clip bounds a name or value quoted in an error line.
func clip(s string) string { return units.Clip(s, 80) }
