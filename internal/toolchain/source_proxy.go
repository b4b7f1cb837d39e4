package toolchain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/goforge/goforge/internal/goproxy"
	"github.com/goforge/goforge/internal/unpack"
	"golang.org/x/mod/module"
)

// fromProxy downloads golang.org/toolchain@v0.0.1-<v>.<goos>-<goarch>,
// extracts it into stage while hashing every file, and checks the
// resulting h1: hash against the checksum database.
func (in *Installer) fromProxy(ctx context.Context, v, goos, goarch, stage string) (Meta, error) {
	mod := module.Version{Path: goproxy.ToolchainModule, Version: ModuleVersion(v, goos, goarch)}
	tmp, err := in.Home.tempEntry("dl", false)
	if err != nil {
		return Meta{}, err
	}
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return Meta{}, err
	}
	defer os.Remove(tmp)
	defer f.Close()
	in.logf("downloading %s (%s/%s) from the module proxy", v, goos, goarch)
	from, err := in.Proxy.Download(ctx, mod, f, in.Progress)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return Meta{}, fmt.Errorf("%s for %s/%s: unknown version or platform: %w", v, goos, goarch, err)
		}
		return Meta{}, err
	}
	// Read the zip back into memory once (about 70 MB for a real
	// toolchain): archive/zip's many small reads of a file cost a
	// system call each.
	data, err := readAllFile(f)
	if err != nil {
		return Meta{}, fmt.Errorf("reading the download: %w", err)
	}
	res, err := unpack.Zip(bytes.NewReader(data), int64(len(data)), stage, unpack.Options{Prefix: mod.Path + "@" + mod.Version + "/", ModuleZip: true})
	if err != nil {
		return Meta{}, fmt.Errorf("extracting %s: %w", from, err)
	}
	m := Meta{Version: v, GOOS: goos, GOARCH: goarch, Origin: OriginProxy, Source: from, H1: res.H1}
	if err := in.Proxy.Verify(ctx, mod, res.H1); err != nil {
		if !errors.Is(err, goproxy.ErrNoSumDB) {
			return Meta{}, err
		}
		in.logf("warning: %v: %s not verified", err, v)
	}
	m.InstalledAt = time.Now().UTC().Truncate(time.Second)
	return m, nil
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
