package xbuild

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/goforge/goforge/internal/cacheprog"
)

// teamCache is the environment that makes the go command use the team
// build cache at req.Cache (or the config file's cache), and the file its
// cache programs append their warnings to (see reportCacheWarnings); nil
// and "" without one. The file is in dist's scratch directory, which the
// next run empties if this one is killed.
func teamCache(req Request, cfg *Config, dist string) ([]string, string, error) {
	raw := req.Cache
	if raw == "" && cfg != nil {
		raw = cfg.Cache
	}
	if raw == "" {
		return nil, "", nil
	}
	getenv := req.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	warnings := filepath.Join(dist, stateDir, "tmp", fmt.Sprintf("cache-warnings-%d-%d", os.Getpid(), time.Now().UnixNano()))
	env, err := cacheprog.TeamEnv(req.Exe, raw, warnings, getenv)
	var bad *cacheprog.URLError
	if errors.As(err, &bad) {
		return nil, "", &BadInputError{Msg: bad.Error()}
	}
	if err != nil {
		return nil, "", err
	}
	return env, warnings, nil
}

// reportCacheWarnings passes on what the team cache's programs warned
// about (a dead or refusing remote, corrupt downloads), each distinct
// warning once for the whole run, as Progress events: without this the
// go command's stderr would swallow them whenever the build succeeds.
func (b *Builder) reportCacheWarnings() {
	if b.cacheWarnings == "" {
		return
	}
	ws, err := cacheprog.ReadWarnings(b.cacheWarnings)
	os.Remove(b.cacheWarnings)
	if err != nil {
		ws = append(ws, err.Error())
	}
	for _, w := range ws {
		b.progress(Event{Phase: "warning", Warning: w})
	}
}
