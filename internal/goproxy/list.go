// Package goproxy fetches golang.org/toolchain module zips the way the go
// command does: through the GOPROXY list (with its "," and "|" fallback
// rules, "off", "direct" and file:// URLs), honouring GONOPROXY, GOPRIVATE
// and GOINSECURE, and verifying zips against the checksum database
// (GOSUMDB), reached through the proxy's /sumdb/ endpoint when the proxy
// supports it.
package goproxy

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
)

// A Proxy is one element of a GOPROXY list.
type Proxy struct {
	// URL is a proxy base URL, or "direct", "off" or "noproxy" (the module
	// matched GONOPROXY/GOPRIVATE, so only a direct fetch is allowed).
	URL string
	// FallBackOnError is set when the element was followed by "|": any
	// error moves on to the next element, not only "not found".
	FallBackOnError bool
}

// ParseList parses a GOPROXY value. An empty value means the default,
// "https://proxy.golang.org,direct".
func ParseList(s string) ([]Proxy, error) {
	if strings.TrimSpace(s) == "" {
		s = "https://proxy.golang.org,direct"
	}
	var list []Proxy
	for s != "" {
		var elem string
		i := strings.IndexAny(s, ",|")
		fallBack := false
		if i < 0 {
			elem, s = s, ""
		} else {
			fallBack = s[i] == '|'
			elem, s = s[:i], s[i+1:]
		}
		elem = strings.TrimSpace(elem)
		if elem == "" {
			continue
		}
		if elem == "direct" || elem == "off" {
			list = append(list, Proxy{URL: elem, FallBackOnError: fallBack})
			continue
		}
		if elem == "noproxy" {
			return nil, errors.New(`invalid GOPROXY: "noproxy" is reserved`)
		}
		if !strings.Contains(elem, ":/") && !strings.HasPrefix(elem, "file:") {
			elem = "https://" + elem // as the go command does for a bare host
		}
		u, err := url.Parse(elem)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http" && u.Scheme != "file") {
			return nil, fmt.Errorf("invalid GOPROXY entry %q", Redact(elem))
		}
		list = append(list, Proxy{URL: strings.TrimSuffix(elem, "/"), FallBackOnError: fallBack})
	}
	if len(list) == 0 {
		return nil, errors.New("invalid GOPROXY: empty list")
	}
	// Nothing after "off" or "direct" can be reached through fallback
	// the way the go command treats them; keep the list as given.
	return list, nil
}

// ErrProxyOff is reported for GOPROXY=off; it counts as "not found" so a
// later element of the list can still be tried, but it says nothing about
// whether the module exists.
var ErrProxyOff = fmt.Errorf("module lookup disabled by GOPROXY=off: %w", fs.ErrNotExist)

// tryProxies calls f with each proxy in turn, stopping at the first
// success, and returns the most helpful error otherwise, with the go
// command's rules: after a "," element only "not found" (404/410) falls
// through; after "|" any error does. Errors from "direct" rank above proxy
// errors, which rank above "not found".
func tryProxies(list []Proxy, f func(Proxy) error) error {
	const (
		notExistRank = iota
		proxyRank
		directRank
	)
	var best error
	rank := notExistRank
	for _, p := range list {
		err := f(p)
		if err == nil {
			return nil
		}
		notExist := errors.Is(err, fs.ErrNotExist)
		switch {
		case p.URL == "direct" || p.URL == "noproxy":
			best, rank = err, directRank
		case rank <= proxyRank && !notExist:
			best, rank = err, proxyRank
		case rank == notExistRank:
			best = err
		}
		if !p.FallBackOnError && !notExist {
			break
		}
	}
	return best
}

// Redact removes credentials from a URL for messages.
func Redact(s string) string {
	u, err := url.Parse(s)
	if err == nil {
		if u.User == nil {
			return s
		}
		return u.Redacted()
	}
	// Unparsable: drop any userinfo by hand.
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return s
	}
	host, path, _ := strings.Cut(rest, "/")
	if i := strings.LastIndexByte(host, '@'); i >= 0 {
		host = "xxxxx" + host[i:]
	}
	if path != "" || strings.Contains(rest, "/") {
		host += "/" + path
	}
	return scheme + "://" + host
}
