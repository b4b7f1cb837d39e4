package toolchain

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Origins of an installed version, as recorded in Meta.Origin.
const (
	OriginProxy   = "proxy"   // golang.org/toolchain module from a GOPROXY
	OriginMirror  = "mirror"  // go.dev/dl-style mirror
	OriginFile    = "file"    // a local archive
	OriginAdopted = "adopted" // an existing GOROOT registered in place
	OriginSource  = "source"  // built from source
)

// Meta is the record meta/<name>.json kept beside each installed version.
type Meta struct {
	Name        string    `json:"name"`
	Version     string    `json:"version"` // go1.22.5, or the devel version string
	GOOS        string    `json:"goos"`
	GOARCH      string    `json:"goarch"`
	Origin      string    `json:"origin"`           // one of the Origin constants
	Source      string    `json:"source,omitempty"` // URL or path it came from
	SHA256      string    `json:"sha256,omitempty"` // of the archive, when there was one
	H1          string    `json:"h1,omitempty"`     // dirhash of the module zip
	InstalledAt time.Time `json:"installed_at"`
}

func (h *Home) metaPath(name string) string {
	return filepath.Join(h.dir, "meta", name+".json")
}

// readMeta reads meta/<name>.json.
func (h *Home) readMeta(name string) (Meta, error) {
	data, err := os.ReadFile(h.metaPath(name))
	if err != nil {
		return Meta{}, err
	}
	var m Meta
	if err := json.Unmarshal(data, &m); err != nil {
		return Meta{}, fmt.Errorf("reading %s: %w", h.metaPath(name), err)
	}
	return m, nil
}

// writeMeta writes meta/<name>.json atomically: the data goes to a file
// under tmp/ named for this process (which CleanStale removes if the
// process dies) and is renamed into meta/.
func (h *Home) writeMeta(m Meta) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	name := h.metaPath(m.Name)
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	tmp, err := h.tempEntry("meta", false)
	if err != nil {
		return err
	}
	err = os.WriteFile(tmp, append(data, '\n'), 0o644)
	if err == nil {
		step("meta-tmp-written")
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}
