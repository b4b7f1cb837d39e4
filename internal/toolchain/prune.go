package toolchain

import (
	"go/version"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// A PruneItem is something Prune removes (or would remove).
type PruneItem struct {
	Kind   string `json:"kind"` // "version" or "modcache"
	Name   string `json:"name"` // version name, or module@version
	Path   string `json:"path"`
	Bytes  int64  `json:"bytes"`
	Reason string `json:"reason"`
}

// PrunePlan lists what prune would remove: installed versions superseded
// by a newer patch release of the same Go line for the same platform
// (never the global default, never one named in keep, such as the
// version a pin makes active, never an adopted or source-built one), and,
// when modcache is not empty, the golang.org/toolchain downloads the go
// command's GOTOOLCHAIN switching left in that module cache.
func (h *Home) PrunePlan(modcache string, keep ...string) ([]PruneItem, error) {
	list, err := h.List()
	if err != nil {
		return nil, err
	}
	cur, _, _ := h.Current()
	newest := map[string]Installed{} // key: line + platform
	var items []PruneItem
	for _, inst := range list { // newest first
		key := version.Lang(inst.Meta.Version) + " " + inst.Platform()
		if inst.Meta.Origin == OriginAdopted || inst.Meta.Origin == OriginSource || inst.Meta.Version == "" {
			continue
		}
		n, seen := newest[key]
		if !seen {
			newest[key] = inst
			continue
		}
		if inst.Name == cur.Name || slices.Contains(keep, inst.Name) {
			continue
		}
		items = append(items, PruneItem{Kind: "version", Name: inst.Name, Path: inst.Dir,
			Bytes: dirSize(inst.Dir), Reason: "superseded by " + n.Name})
	}
	if modcache != "" {
		items = append(items, modcacheToolchains(modcache)...)
	}
	return items, nil
}

// modcacheToolchains finds golang.org/toolchain module downloads in a
// module cache: the extracted trees and the cache/download files.
func modcacheToolchains(modcache string) []PruneItem {
	var items []PruneItem
	dirs, _ := filepath.Glob(filepath.Join(modcache, "golang.org", "toolchain@v0.0.1-go*"))
	for _, d := range dirs {
		items = append(items, PruneItem{Kind: "modcache", Name: "golang.org/" + filepath.Base(d), Path: d,
			Bytes: dirSize(d), Reason: "downloaded by the go command (GOTOOLCHAIN)"})
	}
	files, _ := filepath.Glob(filepath.Join(modcache, "cache", "download", "golang.org", "toolchain", "@v", "v0.0.1-go*"))
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			continue
		}
		items = append(items, PruneItem{Kind: "modcache", Name: "golang.org/toolchain@" + filepath.Base(f), Path: f,
			Bytes: fi.Size(), Reason: "download cache of the go command"})
	}
	return items
}

// Prune removes the items of a plan.
func (h *Home) Prune(items []PruneItem) error {
	for _, it := range items {
		var err error
		if it.Kind == "version" {
			err = h.Remove(it.Name)
		} else {
			err = removeAll(it.Path)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}
