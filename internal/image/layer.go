package image

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// entry is one file or directory of a layer.
type entry struct {
	Name string // absolute, slash-separated: "/etc/passwd"
	Mode int64  // permission bits; directories get tar.TypeDir
	UID  int
	Dir  bool
	Data []byte
}

// buildLayer writes entries as a reproducible tar layer: every parent
// directory present, entries sorted by name, owners numeric, the same
// modification time on every entry, no access or change times, no user
// or group names; then gzip-compressed by go-containerregistry (whose
// gzip header carries no time). Two calls with the same input give the
// same digest.
func buildLayer(entries []entry, mtime time.Time) (v1.Layer, int64, error) {
	all := withParents(entries)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range all {
		h := &tar.Header{
			Name: strings.TrimPrefix(e.Name, "/"), Mode: e.Mode, Uid: e.UID, Gid: e.UID,
			ModTime: mtime.UTC(), Format: tar.FormatPAX,
		}
		if e.Dir {
			h.Typeflag = tar.TypeDir
			h.Name += "/"
		} else {
			h.Typeflag = tar.TypeReg
			h.Size = int64(len(e.Data))
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, 0, fmt.Errorf("writing layer entry %s: %w", e.Name, err)
		}
		if _, err := tw.Write(e.Data); err != nil {
			return nil, 0, fmt.Errorf("writing layer entry %s: %w", e.Name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, 0, fmt.Errorf("closing layer: %w", err)
	}
	data := buf.Bytes()
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}, tarball.WithMediaType(types.OCILayer), tarball.WithCompressedCaching)
	if err != nil {
		return nil, 0, fmt.Errorf("compressing layer: %w", err)
	}
	return l, int64(len(data)), nil
}

// withParents returns entries plus a 0755 root-owned directory for every
// parent not listed, sorted by name so that a directory precedes its
// contents.
func withParents(entries []entry) []entry {
	have := map[string]bool{}
	for _, e := range entries {
		have[e.Name] = true
	}
	all := append([]entry(nil), entries...)
	for _, e := range entries {
		for d := path.Dir(e.Name); d != "/" && d != "."; d = path.Dir(d) {
			if !have[d] {
				have[d] = true
				all = append(all, entry{Name: d, Mode: 0o755, Dir: true})
			}
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	return all
}
