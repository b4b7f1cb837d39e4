package xbuild

import (
	"fmt"
	"net/url"

	"github.com/goforge/goforge/internal/cacheprog"
)

// teamCache is the environment that makes the go command use the team
// build cache at req.Cache (or the config file's cache): GOCACHEPROG runs
// 'goforge cacheprog' with a local tier in the user cache directory and
// the URL as its remote tier. Nil without a cache.
func teamCache(req Request, cfg *Config) ([]string, error) {
	raw := req.Cache
	if raw == "" && cfg != nil {
		raw = cfg.Cache
	}
	if raw == "" {
		return nil, nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &BadInputError{Msg: fmt.Sprintf("cache %q is not an http(s) URL of a cache server", cacheprog.Redact(raw))}
	}
	if req.Exe == "" {
		return nil, fmt.Errorf("using the team cache: goforge's own executable is unknown")
	}
	getenv := req.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	return cacheprog.GoEnv(req.Exe, cacheprog.Config{Dir: cacheprog.DefaultDir(getenv), Remote: cacheprog.RemoteConfig{URL: raw}})
}
