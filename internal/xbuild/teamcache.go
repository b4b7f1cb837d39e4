package xbuild

import (
	"errors"

	"github.com/goforge/goforge/internal/cacheprog"
)

// teamCache is the environment that makes the go command use the team
// build cache at req.Cache (or the config file's cache); nil without one.
func teamCache(req Request, cfg *Config) ([]string, error) {
	raw := req.Cache
	if raw == "" && cfg != nil {
		raw = cfg.Cache
	}
	if raw == "" {
		return nil, nil
	}
	getenv := req.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	env, err := cacheprog.TeamEnv(req.Exe, raw, getenv)
	var bad *cacheprog.URLError
	if errors.As(err, &bad) {
		return nil, &BadInputError{Msg: bad.Error()}
	}
	return env, err
}
