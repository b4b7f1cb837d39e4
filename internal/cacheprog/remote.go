package cacheprog

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Remote is the HTTP cache tier: entries under /ac/<action ID>, outputs
// under /cas/<SHA-256>, as bazel-remote and nginx/WebDAV serve them.
// Credentials go into headers and never into a URL that an error or a
// log line could show.
type Remote struct {
	base    *url.URL // without userinfo
	auth    func(*http.Request)
	client  *http.Client
	timeout time.Duration
	stats   *counters
	warn    func(string)

	failures   atomic.Int32 // consecutive
	localFails atomic.Int32 // consecutive downloads the local tier could not store
	disabled   atomic.Bool
	noUpload   atomic.Bool
	stopping   atomic.Bool
	warnOnce   sync.Once
	corruptMsg sync.Once

	// corrupt holds the output IDs (as strings) whose download failed
	// verification: their uploads skip the HEAD check.
	corrupt sync.Map

	queue chan upload
	wg    sync.WaitGroup
}

// breakerTrips is how many consecutive failures turn the remote off for
// the rest of the build: one flaky request should not, a dead server must.
const breakerTrips = 3

// RemoteConfig configures the remote tier.
type RemoteConfig struct {
	// URL is the server's base URL; user:password in it is sent as basic
	// authentication.
	URL string
	// Token, when set, is sent as a bearer token.
	Token string
	// Netrc is the netrc file consulted when URL has no credentials.
	Netrc string
	// Timeout bounds connecting and waiting for a response's headers;
	// bodies may take up to six times as long.
	Timeout time.Duration
	// Queue is how many uploads may wait; beyond it uploads are dropped,
	// never waited for. Workers upload in parallel.
	Queue, Workers int
}

type upload struct {
	aid   []byte
	entry Entry
	path  string
}

func newRemote(cfg RemoteConfig, stats *counters, warn func(string)) (*Remote, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("bad remote URL %q: want http:// or https://", Redact(cfg.URL))
	}
	r := &Remote{stats: stats, warn: warn, timeout: cfg.Timeout}
	r.auth = authFor(u, cfg)
	u.User = nil
	u.Path = strings.TrimSuffix(u.Path, "/")
	r.base = u
	if r.timeout <= 0 {
		r.timeout = 10 * time.Second
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	tr.DialContext = (&net.Dialer{Timeout: r.timeout}).DialContext
	tr.ResponseHeaderTimeout = r.timeout
	tr.MaxIdleConnsPerHost = 16
	r.client = &http.Client{Transport: tr}
	if cfg.Queue <= 0 {
		cfg.Queue = 512
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	r.queue = make(chan upload, cfg.Queue)
	for range cfg.Workers {
		r.wg.Add(1)
		go r.uploader()
	}
	return r, nil
}

// Redact returns a URL with any password or user name removed, for messages.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if i := strings.LastIndex(raw, "@"); i >= 0 {
			if j := strings.Index(raw, "://"); j >= 0 && j < i {
				return raw[:j+3] + raw[i+1:]
			}
		}
		return raw
	}
	u.User = nil
	return u.String()
}

func authFor(u *url.URL, cfg RemoteConfig) func(*http.Request) {
	if cfg.Token != "" {
		tok := cfg.Token
		return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
	}
	user, pass := "", ""
	if u.User != nil {
		user = u.User.Username()
		pass, _ = u.User.Password()
	} else if cfg.Netrc != "" {
		user, pass = netrcLookup(cfg.Netrc, u.Hostname())
	}
	if user == "" && pass == "" {
		return func(*http.Request) {}
	}
	return func(r *http.Request) { r.SetBasicAuth(user, pass) }
}

// netrcLookup finds the login and password for host in a netrc file
// (machine/default entries with login and password tokens).
func netrcLookup(file, host string) (login, password string) {
	b, err := os.ReadFile(file)
	if err != nil {
		return "", ""
	}
	f := strings.Fields(string(b))
	var dl, dp string
	for i := 0; i < len(f); i++ {
		var match, def bool
		switch f[i] {
		case "machine":
			if i+1 < len(f) {
				i++
				match = f[i] == host
			}
		case "default":
			def = true
		default:
			continue
		}
		l, p := "", ""
		for i+1 < len(f) && f[i+1] != "machine" && f[i+1] != "default" {
			i++
			if i+1 < len(f) && (f[i] == "login" || f[i] == "password") {
				if f[i] == "login" {
					l = f[i+1]
				} else {
					p = f[i+1]
				}
				i++
			}
		}
		if match {
			return l, p
		}
		if def {
			dl, dp = l, p
		}
	}
	return dl, dp
}

// String is the remote's URL without credentials.
func (r *Remote) String() string { return r.base.String() }

func (r *Remote) url(kind string, id []byte) string {
	return r.base.String() + "/" + kind + "/" + hex.EncodeToString(id)
}

// usable reports whether the remote is still on.
func (r *Remote) usable() bool { return !r.disabled.Load() }

// disable turns the remote off for the rest of this program, saying so once.
func (r *Remote) disable(why string) {
	r.disabled.Store(true)
	r.warnOnce.Do(func() {
		r.warn(fmt.Sprintf("remote cache %s %s; continuing with the local cache only", r, why))
	})
}

// result feeds the circuit breaker with the outcome of one request.
func (r *Remote) result(err error, status int) {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		r.stats.remoteErrors.Add(1)
		r.disable(fmt.Sprintf("refused access (%d %s)", status, http.StatusText(status)))
	case err != nil || status >= 500:
		r.stats.remoteErrors.Add(1)
		if r.failures.Add(1) >= breakerTrips {
			why := fmt.Sprintf("answered %d %s", status, http.StatusText(status))
			if err != nil {
				why = "is unreachable (" + r.scrub(err) + ")"
			}
			r.disable(why)
		}
	default:
		r.failures.Store(0)
	}
}

// scrub renders an error without the request URL's credentials (there are
// none in our URLs, but a redirect could bring some).
func (r *Remote) scrub(err error) string {
	// Without the request's URL either: it names one object, and the
	// warning should read the same for every request and every go command
	// of a build, so that goforge build reports it once.
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// do sends one request; the returned response's body must be closed.
func (r *Remote) do(ctx context.Context, method, u string, body io.Reader, size int64) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.ContentLength = size
	}
	r.auth(req)
	return r.client.Do(req)
}

// GetEntry fetches an action's entry; ok=false is a miss.
func (r *Remote) GetEntry(ctx context.Context, aid []byte) (Entry, bool) {
	if !r.usable() {
		return Entry{}, false
	}
	ctx, cancel := context.WithTimeout(ctx, 2*r.timeout)
	defer cancel()
	resp, err := r.do(ctx, http.MethodGet, r.url("ac", aid), nil, 0)
	if err != nil {
		r.result(err, 0)
		return Entry{}, false
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxEntry))
	r.result(err, resp.StatusCode)
	if err != nil || resp.StatusCode != http.StatusOK {
		return Entry{}, false
	}
	r.stats.bytesDown.Add(int64(len(b)))
	e, err := parseEntry(b)
	if err != nil {
		r.reportCorrupt()
		return Entry{}, false
	}
	return e, true
}

// reportCorrupt counts a download that failed verification and warns
// once. The text names no object, so that the warnings of all the go
// commands of a build read the same (goforge build reports each once).
func (r *Remote) reportCorrupt() {
	r.stats.corrupt.Add(1)
	r.corruptMsg.Do(func() {
		r.warn(fmt.Sprintf("remote cache %s served corrupt data (not matching its hash); treated as a miss, and replaced by what this build produces", r))
	})
}

// FetchOutput downloads an output into the local tier, verifying it
// against its SHA-256 and size; it returns the local path.
func (r *Remote) FetchOutput(ctx context.Context, l *Local, e Entry) (string, bool) {
	if !r.usable() {
		return "", false
	}
	ctx, cancel := context.WithTimeout(ctx, 6*r.timeout)
	defer cancel()
	resp, err := r.do(ctx, http.MethodGet, r.url("cas", e.OutputID), nil, 0)
	if err != nil {
		r.result(err, 0)
		return "", false
	}
	defer resp.Body.Close()
	r.result(nil, resp.StatusCode)
	if resp.StatusCode != http.StatusOK {
		return "", false
	}
	cr := &countReader{r: resp.Body}
	p, err := l.WriteOutput(e.OutputID, e.Size, cr)
	r.stats.bytesDown.Add(cr.n)
	switch {
	case errors.Is(err, ErrCorrupt):
		r.reportCorrupt()
		// The server holds a bad copy under a name that the HEAD check
		// of an upload would call "already there": when the go command
		// puts this output again, upload it over the bad copy.
		r.corrupt.Store(string(e.OutputID), true)
		return "", false
	case err != nil:
		r.localFailure(err)
		return "", false
	}
	r.localFails.Store(0)
	return p, true
}

// localFailure counts a download the local tier could not store (a full
// or read-only disk): after breakerTrips in a row the remote is turned
// off, as downloading is then wasted. The warning names the local cause,
// not the server, and no file, so that it reads the same in every go
// command of a build.
func (r *Remote) localFailure(err error) {
	if r.localFails.Add(1) >= breakerTrips {
		r.disable("cannot be used: the local cache could not store its downloads (" + rootCause(err) + ")")
	}
}

// rootCause is the innermost error's text: "no space left on device"
// rather than the path of one temporary file.
func rootCause(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// Enqueue schedules an upload and never blocks: a full queue drops it.
func (r *Remote) Enqueue(aid []byte, e Entry, path string) {
	if !r.usable() || r.noUpload.Load() {
		return
	}
	select {
	case r.queue <- upload{aid, e, path}:
	default:
		r.stats.uploadsDropped.Add(1)
	}
}

func (r *Remote) uploader() {
	defer r.wg.Done()
	for u := range r.queue {
		if !r.usable() || r.noUpload.Load() || r.stopping.Load() {
			r.stats.uploadsDropped.Add(1)
			continue
		}
		r.upload(u)
	}
}

// upload puts the output first and the entry second, so that whoever sees
// the entry finds the output.
func (r *Remote) upload(u upload) {
	casURL := r.url("cas", u.entry.OutputID)
	ctx, cancel := context.WithTimeout(context.Background(), 6*r.timeout)
	defer cancel()
	_, replace := r.corrupt.Load(string(u.entry.OutputID))
	if !replace {
		if resp, err := r.do(ctx, http.MethodHead, casURL, nil, 0); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && resp.ContentLength == u.entry.Size {
				r.stats.uploadsSkipped.Add(1)
				r.put(ctx, r.url("ac", u.aid), strings.NewReader(string(u.entry.encode())), int64(len(u.entry.encode())))
				return
			}
		}
	}
	f, err := os.Open(u.path)
	if err != nil {
		r.stats.uploadsDropped.Add(1) // evicted meanwhile
		return
	}
	defer f.Close()
	if !r.put(ctx, casURL, f, u.entry.Size) {
		return
	}
	if replace {
		r.stats.repaired.Add(1)
		r.corrupt.Delete(string(u.entry.OutputID))
	}
	enc := u.entry.encode()
	if r.put(ctx, r.url("ac", u.aid), strings.NewReader(string(enc)), int64(len(enc))) {
		r.stats.uploads.Add(1)
	}
}

func (r *Remote) put(ctx context.Context, u string, body io.Reader, size int64) bool {
	resp, err := r.do(ctx, http.MethodPut, u, body, size)
	if err != nil {
		r.result(err, 0)
		return false
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	resp.Body.Close()
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		// Read-only credentials are a valid setup: keep downloading.
		r.noUpload.Store(true)
		r.stats.remoteErrors.Add(1)
		r.warnOnce.Do(func() {
			r.warn(fmt.Sprintf("remote cache %s refused an upload (%d %s); not uploading for the rest of this build", r, resp.StatusCode, http.StatusText(resp.StatusCode)))
		})
		return false
	}
	r.result(nil, resp.StatusCode)
	if resp.StatusCode/100 != 2 {
		r.stats.uploadsDropped.Add(1)
		return false
	}
	r.stats.bytesUp.Add(size)
	return true
}

// Flush waits up to timeout for queued uploads and stops the uploaders;
// it returns how many were left unfinished.
func (r *Remote) Flush(timeout time.Duration) {
	close(r.queue)
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(timeout):
		r.stopping.Store(true) // the remaining uploaders give up quickly
		r.stats.uploadsLost.Add(int64(len(r.queue)))
	}
}
