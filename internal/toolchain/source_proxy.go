package toolchain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/goforge/goforge/internal/goproxy"
	"github.com/goforge/goforge/internal/unpack"
	"golang.org/x/mod/module"
)

// fromProxy downloads golang.org/toolchain@v0.0.1-<v>.<goos>-<goarch> and
// extracts it into stage while it downloads, hashing every file written;
// then it checks the resulting h1: hash against the checksum database.
func (in *Installer) fromProxy(ctx context.Context, v, goos, goarch, stage string) (Meta, error) {
	mod := module.Version{Path: goproxy.ToolchainModule, Version: ModuleVersion(v, goos, goarch)}
	body, size, from, err := in.Proxy.OpenZip(ctx, mod)
	if err != nil {
		if in.proxyLacks(ctx, err, v, goos, goarch) {
			return Meta{}, &UnknownVersionError{Query: v, Exact: true, GOOS: goos, GOARCH: goarch, Err: err}
		}
		return Meta{}, err
	}
	defer body.Close()
	// Only now: an unknown version is not "downloading".
	in.notef("downloading %s (%s/%s) from the module proxy", v, goos, goarch)
	if local, ok := body.(*os.File); ok {
		// A file:// proxy: nothing to overlap with, so read the zip once
		// and inflate its entries in parallel.
		var h1 string
		err := in.phase(ctx, "unpack", func(context.Context) (err error) {
			h1, err = extractZipFile(local, stage, mod)
			return err
		})
		if err != nil {
			return Meta{}, fmt.Errorf("extracting %s: %w", from, err)
		}
		return in.verified(ctx, mod, Meta{Version: v, GOOS: goos, GOARCH: goarch, Origin: OriginProxy, Source: from, H1: h1})
	}
	tmp, err := in.Home.tempEntry("dl", false)
	if err != nil {
		return Meta{}, err
	}
	f, err := createSpool(tmp)
	if err != nil {
		return Meta{}, err
	}
	defer os.Remove(tmp)
	defer f.Close()
	var h1 string
	err = in.phase(ctx, "download", func(context.Context) (err error) {
		h1, err = in.extractModuleZip(body, size, f, stage, mod)
		return err
	})
	if err != nil {
		return Meta{}, fmt.Errorf("downloading %s: %w", from, err)
	}
	in.Tel.InstallBytes(OriginProxy, size)
	return in.verified(ctx, mod, Meta{Version: v, GOOS: goos, GOARCH: goarch, Origin: OriginProxy, Source: from, H1: h1})
}

// verified checks m.H1 against the checksum database.
func (in *Installer) verified(ctx context.Context, mod module.Version, m Meta) (Meta, error) {
	err := in.phase(ctx, "verify", func(ctx context.Context) error { return in.Proxy.Verify(ctx, mod, m.H1) })
	if err != nil {
		if !errors.Is(err, goproxy.ErrNoSumDB) {
			return Meta{}, err
		}
		in.logf("warning: %v: %s not verified", err, m.Version)
	}
	return m, nil
}

// extractZipFile extracts a module zip held in a local file.
func extractZipFile(f *os.File, stage string, mod module.Version) (string, error) {
	data, err := readAllFile(f)
	if err != nil {
		return "", err
	}
	opt := unpack.Options{Prefix: mod.Path + "@" + mod.Version + "/", ModuleZip: true}
	res, err := unpack.Zip(bytes.NewReader(data), int64(len(data)), stage, opt)
	return res.H1, err
}

// extractModuleZip streams body into stage (and a copy into spool) and
// returns the h1: hash of what it wrote. A zip that cannot be read front
// to back is extracted again from the spooled copy.
func (in *Installer) extractModuleZip(body io.Reader, size int64, spool *os.File, stage string, mod module.Version) (string, error) {
	src := &downloadReader{r: body, total: size, progress: in.Progress}
	tee := io.TeeReader(src, spool)
	opt := unpack.Options{Prefix: mod.Path + "@" + mod.Version + "/", ModuleZip: true}
	res, err := unpack.StreamZip(tee, stage, opt)
	if err == nil || errors.Is(err, unpack.ErrNotStreamable) {
		// Read the rest: the central directory, or all of a zip that
		// needs random access.
		if _, cerr := io.Copy(io.Discard, tee); cerr != nil {
			err = cerr
		}
	}
	if src.err != nil {
		return "", src.err // the download failed: say so, not "corrupt zip"
	}
	if err != nil && !errors.Is(err, unpack.ErrNotStreamable) {
		// A write failed (no space, permissions) or the zip is bad: the
		// cause first, how far the download got second.
		if size >= 0 {
			return "", fmt.Errorf("extracting: %w (after %d of %d bytes)", err, src.n, size)
		}
		return "", fmt.Errorf("extracting: %w (after %d bytes)", err, src.n)
	}
	if size >= 0 && src.n != size {
		return "", fmt.Errorf("got %d of %d bytes", src.n, size)
	}
	if errors.Is(err, unpack.ErrNotStreamable) {
		if err := emptyDir(stage); err != nil {
			return "", err
		}
		h1, err := extractZipFile(spool, stage, mod)
		if err != nil {
			return "", fmt.Errorf("extracting: %w", err)
		}
		return h1, nil
	}
	return res.H1, nil
}

// createSpool creates the file a download is copied into; tests replace
// it to simulate a full disk.
var createSpool = func(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
}

// downloadReader counts bytes, reports progress and remembers the first
// read error other than EOF.
type downloadReader struct {
	r        io.Reader
	n, total int64
	progress func(n, total int64)
	err      error
}

func (d *downloadReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	d.n += int64(n)
	if d.progress != nil && n > 0 {
		d.progress(d.n, d.total)
	}
	if d.progress != nil && err == io.EOF && d.total < 0 {
		d.progress(d.n, d.n) // the size is known now: let the line finish
		d.total = d.n
	}
	if err != nil && err != io.EOF && d.err == nil {
		d.err = err
	}
	return n, err
}

func readAllFile(f *os.File) ([]byte, error) {
	size, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	data := make([]byte, size)
	_, err = io.ReadFull(f, data)
	return data, err
}
