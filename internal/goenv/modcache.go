package goenv

import (
	"context"
	"path/filepath"

	"github.com/goforge/goforge/internal/gocmd"
)

// ModCache is $GOMODCACHE, else what r's go command reports (r may be
// nil), else GOPATH/pkg/mod.
func ModCache(ctx context.Context, r *gocmd.Runner, getenv func(string) string) string {
	if d := getenv("GOMODCACHE"); d != "" {
		return d
	}
	if r != nil {
		if vals, err := r.GoEnv(ctx, "", "GOMODCACHE"); err == nil && vals["GOMODCACHE"] != "" {
			return vals["GOMODCACHE"]
		}
	}
	gopath := getenv("GOPATH")
	if gopath == "" {
		gopath = filepath.Join(getenv("HOME"), "go")
	}
	return filepath.Join(filepath.SplitList(gopath)[0], "pkg", "mod")
}
