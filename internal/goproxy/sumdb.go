package goproxy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/rogpeppe/go-internal/lockedfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/note"
)

// knownSumDBs maps checksum database names to their verifier keys, as in
// cmd/go/internal/modfetch/key.go.
var knownSumDBs = map[string]string{
	"sum.golang.org": "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
}

// ErrNoSumDB is returned by Verify when verification is switched off for
// the module: the caller decides whether to go on unverified. As with the
// go command, GOSUMDB=off and GONOSUMDB/GOPRIVATE switch verification off
// for a toolchain only when GOPROXY is a single file:// URL (testing a
// distpack); a file:// proxy alone is still verified against GOSUMDB.
var ErrNoSumDB = errors.New("checksum database disabled")

// mustVerify reports whether mod must be checked even if GOSUMDB=off or
// GONOSUMDB matches (cmd/go/internal/modfetch.useSumDB).
func (c *Client) mustVerify(mod module.Version) bool {
	if mod.Path != ToolchainModule {
		return false
	}
	return len(c.Proxies) != 1 || !strings.HasPrefix(c.Proxies[0].URL, "file:")
}

// A HashMismatchError reports a zip whose hash is not the one the
// checksum database records.
type HashMismatchError struct {
	Mod       module.Version
	Got, Want string
	SumDBName string
}

func (e *HashMismatchError) Error() string {
	return fmt.Sprintf("checksum mismatch for %s@%s: downloaded: %s, %s: %s; the download is corrupt or was tampered with; nothing was installed",
		e.Mod.Path, e.Mod.Version, e.Got, e.SumDBName, e.Want)
}

// A VerifyError reports that a download could not be verified: the
// checksum database was switched off where it is required, could not be
// reached, or has no valid record. Like a *HashMismatchError it means the
// download must not be used, and a caller must not quietly try another
// source for the same bytes.
type VerifyError struct {
	Err error
}

func (e *VerifyError) Error() string { return e.Err.Error() }
func (e *VerifyError) Unwrap() error { return e.Err }

// Verify checks that h1, the hash of the downloaded zip of mod, is the
// hash the checksum database (GOSUMDB) records for it. An unreachable
// database or a bad signature is an error (a *VerifyError, or a
// *HashMismatchError), never a silent skip; only a database switched off
// where that is allowed gives ErrNoSumDB.
func (c *Client) Verify(ctx context.Context, mod module.Version, h1 string) error {
	err := c.verify(ctx, mod, h1)
	var mm *HashMismatchError
	if err == nil || errors.Is(err, ErrNoSumDB) || errors.As(err, &mm) {
		return err
	}
	return &VerifyError{Err: err}
}

func (c *Client) verify(ctx context.Context, mod module.Version, h1 string) error {
	must := c.mustVerify(mod)
	if c.SumDB == "off" {
		if must {
			return fmt.Errorf("verifying %s@%s: GOSUMDB=off, but a toolchain must be verified against the checksum database (as in cmd/go, GOSUMDB=off skips that only when GOPROXY is a single file:// URL)", mod.Path, mod.Version)
		}
		return fmt.Errorf("%w by GOSUMDB=off", ErrNoSumDB)
	}
	if !must && c.NoSumDB != "" && module.MatchPrefixPatterns(c.NoSumDB, mod.Path) {
		return fmt.Errorf("%w for %s by GONOSUMDB/GOPRIVATE", ErrNoSumDB, mod.Path)
	}
	ops, err := c.dbOps(ctx)
	if err != nil {
		return err
	}
	lines, err := sumdb.NewClient(ops).Lookup(mod.Path, mod.Version)
	if err != nil {
		return fmt.Errorf("verifying %s@%s against %s: %w", mod.Path, mod.Version, ops.name, err)
	}
	prefix := mod.Path + " " + mod.Version + " "
	for _, l := range lines {
		if want, ok := strings.CutPrefix(l, prefix); ok {
			if want != h1 {
				return &HashMismatchError{Mod: mod, Got: h1, Want: want, SumDBName: ops.name}
			}
			return nil
		}
	}
	return fmt.Errorf("verifying %s@%s: %s has no hash for it", mod.Path, mod.Version, ops.name)
}

// dbOps parses GOSUMDB ("name", "key" or "key url") into client ops.
func (c *Client) dbOps(ctx context.Context) (*dbOps, error) {
	fields := strings.Fields(c.SumDB)
	if c.SumDB == "sum.golang.google.cn" {
		fields = []string{"sum.golang.org", "https://sum.golang.google.cn"}
	}
	if len(fields) == 0 || len(fields) > 2 {
		return nil, fmt.Errorf("invalid GOSUMDB %q", c.SumDB)
	}
	if k := knownSumDBs[fields[0]]; k != "" {
		fields[0] = k
	}
	v, err := note.NewVerifier(fields[0])
	if err != nil {
		return nil, fmt.Errorf("invalid GOSUMDB: %w", err)
	}
	name := v.Name()
	if u, err := url.Parse("https://" + name); err != nil || u.Host == "" || strings.HasSuffix(name, "/") || strings.Contains(name, "..") {
		return nil, fmt.Errorf("invalid GOSUMDB name %q", name)
	}
	ops := &dbOps{c: c, ctx: ctx, key: fields[0], name: name}
	if len(fields) == 2 {
		ops.base = strings.TrimSuffix(fields[1], "/")
	}
	return ops, nil
}

// dbOps implements sumdb.ClientOps over the proxy list, keeping the
// latest signed tree head and cached tiles under Client.StateDir.
type dbOps struct {
	c         *Client
	ctx       context.Context
	key, name string

	once    sync.Once
	base    string
	baseErr error
}

func (o *dbOps) ReadRemote(path string) ([]byte, error) {
	o.once.Do(o.findBase)
	if o.baseErr != nil {
		return nil, o.baseErr
	}
	rc, _, err := o.c.open(o.ctx, o.base, strings.TrimPrefix(path, "/"), false)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, 64<<20))
}

// findBase decides how to reach the database, as the go command does:
// the first proxy answering <proxy>/sumdb/<name>/supported is used, and
// only if none does (404/410, or fallback allowed, or "direct"/"off"
// reached) is the database contacted directly. Any other answer makes
// the database unavailable.
func (o *dbOps) findBase() {
	if o.base != "" {
		return
	}
	err := tryProxies(o.c.Proxies, func(p Proxy) error {
		switch p.URL {
		case "direct", "off", "noproxy":
			return fmt.Errorf("no proxy: %w", fs.ErrNotExist)
		}
		rc, _, err := o.c.open(o.ctx, p.URL, "sumdb/"+o.name+"/supported", false)
		if err != nil {
			return err
		}
		rc.Close()
		o.base = p.URL + "/sumdb/" + o.name
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		o.base = "https://" + o.name
	} else if err != nil {
		o.baseErr = fmt.Errorf("reaching checksum database %s: %w", o.name, err)
	}
}

func (o *dbOps) statePath(file string) string {
	return filepath.Join(o.c.StateDir, filepath.FromSlash(file))
}

func (o *dbOps) ReadConfig(file string) ([]byte, error) {
	if file == "key" {
		return []byte(o.key), nil
	}
	data, err := lockedfile.Read(o.statePath(file))
	if errors.Is(err, fs.ErrNotExist) {
		return []byte{}, nil
	}
	return data, err
}

func (o *dbOps) WriteConfig(file string, old, new []byte) error {
	if file == "key" {
		return errors.New("cannot write key")
	}
	p := o.statePath(file)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	f, err := lockedfile.Edit(p)
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	if len(data) > 0 && !bytes.Equal(data, old) {
		return sumdb.ErrWriteConflict
	}
	if _, err := f.Seek(0, 0); err != nil {
		return err
	}
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.Write(new); err != nil {
		return err
	}
	return f.Close()
}

func (o *dbOps) ReadCache(file string) ([]byte, error) {
	data, err := lockedfile.Read(o.statePath(filepath.Join("cache", file)))
	if err == nil && len(data) == 0 {
		err = fs.ErrNotExist
	}
	return data, err
}

func (o *dbOps) WriteCache(file string, data []byte) {
	p := o.statePath(filepath.Join("cache", file))
	if os.MkdirAll(filepath.Dir(p), 0o755) == nil {
		lockedfile.Write(p, bytes.NewReader(data), 0o644)
	}
}

func (o *dbOps) Log(msg string) {}

func (o *dbOps) SecurityError(msg string) {
	// The sumdb client reports the error to Lookup's caller as well;
	// recording it here would be log output from library code.
}
