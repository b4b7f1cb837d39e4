package goproxy

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/module"

	"github.com/goforge/goforge/internal/units"
)

// ToolchainModule is the module the Go project publishes toolchains as.
const ToolchainModule = "golang.org/toolchain"

// DefaultDirectURL is where "direct" fetches golang.org/toolchain: its
// go-import tag names go.dev/dl/mod as a module proxy ("mod" VCS).
const DefaultDirectURL = "https://go.dev/dl/mod"

// A Client fetches modules from a GOPROXY list and checks them against a
// checksum database.
type Client struct {
	Proxies   []Proxy
	NoProxy   string // GONOPROXY patterns (GOPRIVATE when GONOPROXY is unset)
	NoSumDB   string // GONOSUMDB patterns (GOPRIVATE when GONOSUMDB is unset)
	Insecure  string // GOINSECURE patterns: direct fetches may skip TLS checks
	SumDB     string // GOSUMDB: "off", a known name, or "key [url]"
	DirectURL string // where "direct" goes; DefaultDirectURL when empty
	StateDir  string // where the checksum database's signed tree head is kept
	HTTP      *http.Client
}

// FromEnv builds a Client from go-command-style variables read through
// getenv. GOFORGE_TOOLCHAIN_DIRECT overrides where "direct" goes.
func FromEnv(getenv func(string) string, stateDir string) (*Client, error) {
	list, err := ParseList(getenv("GOPROXY"))
	if err != nil {
		return nil, err
	}
	c := &Client{
		Proxies:   list,
		NoProxy:   firstNonEmpty(getenv("GONOPROXY"), getenv("GOPRIVATE")),
		NoSumDB:   firstNonEmpty(getenv("GONOSUMDB"), getenv("GOPRIVATE")),
		Insecure:  getenv("GOINSECURE"),
		SumDB:     firstNonEmpty(getenv("GOSUMDB"), "sum.golang.org"),
		DirectURL: getenv("GOFORGE_TOOLCHAIN_DIRECT"),
		StateDir:  stateDir,
		HTTP:      http.DefaultClient,
	}
	return c, nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// proxiesFor returns the list to use for module path: only "noproxy"
// (a direct fetch) when the path matches GONOPROXY/GOPRIVATE.
func (c *Client) proxiesFor(path string) []Proxy {
	if c.NoProxy != "" && module.MatchPrefixPatterns(c.NoProxy, path) {
		return []Proxy{{URL: "noproxy"}}
	}
	return c.Proxies
}

// baseFor maps a list element to the base URL to fetch from for path.
func (c *Client) baseFor(p Proxy, path string) (base string, insecure bool, err error) {
	switch p.URL {
	case "off":
		return "", false, ErrProxyOff
	case "direct", "noproxy":
		if path != ToolchainModule {
			return "", false, fmt.Errorf("direct fetch of %s is not supported: %w", path, fs.ErrNotExist)
		}
		return firstNonEmpty(c.DirectURL, DefaultDirectURL), module.MatchPrefixPatterns(c.Insecure, path), nil
	}
	return p.URL, false, nil
}

// open fetches base/rel. A missing file or an HTTP 404 or 410 is an error
// wrapping fs.ErrNotExist. The size is -1 when unknown.
func (c *Client) open(ctx context.Context, base, rel string, insecure bool) (io.ReadCloser, int64, error) {
	if strings.HasPrefix(base, "file:") {
		u, err := url.Parse(base)
		if err != nil {
			return nil, 0, err
		}
		f, err := os.Open(filepath.Join(filepath.FromSlash(u.Path), filepath.FromSlash(rel)))
		if err != nil {
			return nil, 0, err
		}
		fi, err := f.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			f.Close()
			return nil, 0, fmt.Errorf("%s/%s: not a file: %w", base, rel, fs.ErrNotExist)
		}
		return f, fi.Size(), nil
	}
	target := base + "/" + rel
	req, err := http.NewRequestWithContext(ctx, "GET", target, nil)
	if err != nil {
		return nil, 0, err
	}
	resp, err := c.httpClient(insecure).Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("fetching %s: %w", Redact(target), redactErr(err))
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		err := fmt.Errorf("fetching %s: %s: %s", Redact(target), resp.Status, units.FirstLine(string(msg)))
		if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone {
			err = fmt.Errorf("%w (%w)", err, fs.ErrNotExist)
		}
		return nil, 0, err
	}
	return resp.Body, resp.ContentLength, nil
}

func (c *Client) httpClient(insecure bool) *http.Client {
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	if !insecure {
		return hc
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	return &http.Client{Transport: tr}
}

func redactErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// Versions returns the versions the first answering proxy lists for path
// (its @v/list), in the order served.
func (c *Client) Versions(ctx context.Context, path string) ([]string, error) {
	var versions []string
	err := tryProxies(c.proxiesFor(path), func(p Proxy) error {
		base, insecure, err := c.baseFor(p, path)
		if err != nil {
			return err
		}
		epath, err := module.EscapePath(path)
		if err != nil {
			return err
		}
		rc, _, err := c.open(ctx, base, epath+"/@v/list", insecure)
		if err != nil {
			return err
		}
		defer rc.Close()
		versions = versions[:0]
		sc := bufio.NewScanner(io.LimitReader(rc, 16<<20))
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) > 0 {
				versions = append(versions, f[0])
			}
		}
		return sc.Err()
	})
	return versions, err
}

// OpenZip opens the zip of mod on the first proxy that has it (with the
// GOPROXY list's fallback rules applied to opening) and returns the body,
// its size (-1 when unknown) and where it comes from, without credentials.
func (c *Client) OpenZip(ctx context.Context, mod module.Version) (body io.ReadCloser, size int64, from string, err error) {
	err = tryProxies(c.proxiesFor(mod.Path), func(p Proxy) error {
		base, insecure, err := c.baseFor(p, mod.Path)
		if err != nil {
			return err
		}
		rel, err := zipPath(mod)
		if err != nil {
			return err
		}
		body, size, err = c.open(ctx, base, rel, insecure)
		if err != nil {
			return err
		}
		from = Redact(base) + "/" + rel
		return nil
	})
	return body, size, from, err
}

// Info is what a proxy's @v/VERSION.info says about a module version.
type Info struct {
	Version string
	Time    time.Time
}

// Info fetches mod's @v/VERSION.info from the first proxy that has it:
// how the go command asks about one version, which a proxy may serve
// without naming it in its @v/list. Errors are those of OpenZip.
func (c *Client) Info(ctx context.Context, mod module.Version) (Info, error) {
	var info Info
	err := tryProxies(c.proxiesFor(mod.Path), func(p Proxy) error {
		base, insecure, err := c.baseFor(p, mod.Path)
		if err != nil {
			return err
		}
		rel, err := versionPath(mod, ".info")
		if err != nil {
			return err
		}
		rc, _, err := c.open(ctx, base, rel, insecure)
		if err != nil {
			return err
		}
		defer rc.Close()
		data, err := io.ReadAll(io.LimitReader(rc, 64<<10))
		if err == nil {
			info = Info{}
			err = json.Unmarshal(data, &info)
		}
		if err != nil {
			return fmt.Errorf("reading %s/%s: %w", Redact(base), rel, err)
		}
		if info.Version != mod.Version {
			return fmt.Errorf("reading %s/%s: it describes version %q", Redact(base), rel, info.Version)
		}
		return nil
	})
	return info, err
}

func zipPath(mod module.Version) (string, error) { return versionPath(mod, ".zip") }

// versionPath is the proxy path of mod's file with extension ext.
func versionPath(mod module.Version, ext string) (string, error) {
	p, err := module.EscapePath(mod.Path)
	if err != nil {
		return "", err
	}
	v, err := module.EscapeVersion(mod.Version)
	if err != nil {
		return "", err
	}
	return p + "/@v/" + v + ext, nil
}
