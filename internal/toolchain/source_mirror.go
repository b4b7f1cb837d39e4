package toolchain

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"

	"github.com/goforge/goforge/internal/dl"
	"github.com/goforge/goforge/internal/goproxy"
	"github.com/goforge/goforge/internal/unpack"
)

func (in *Installer) httpClient() *http.Client {
	if in.HTTP != nil {
		return in.HTTP
	}
	return http.DefaultClient
}

// mirrorGet fetches a URL under the mirror.
func (in *Installer) mirrorGet(ctx context.Context, rel string) (*http.Response, error) {
	target := strings.TrimSuffix(in.Mirror, "/") + "/" + rel
	req, err := http.NewRequestWithContext(ctx, "GET", target, nil)
	if err != nil {
		return nil, err
	}
	resp, err := in.httpClient().Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", goproxy.Redact(target), err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("fetching %s: %s", goproxy.Redact(target), resp.Status)
	}
	return resp, nil
}

// mirrorIndex reads the mirror's JSON index (?mode=json&include=all).
func (in *Installer) mirrorIndex(ctx context.Context) ([]dl.Release, error) {
	resp, err := in.mirrorGet(ctx, "?mode=json&include=all")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("reading the mirror index: %w", err)
	}
	return dl.ParseIndex(data)
}

// fromMirror streams the archive for v from the mirror into stage,
// hashing it on the way, and checks the index's SHA-256.
func (in *Installer) fromMirror(ctx context.Context, v, goos, goarch, stage string) (Meta, error) {
	rels, err := in.mirrorIndex(ctx)
	if err != nil {
		return Meta{}, err
	}
	var file dl.File
	err = fmt.Errorf("%s: %w", v, errNotInIndex)
	for _, r := range rels {
		if r.Version == v {
			file, err = r.Archive(goos, goarch)
			if errors.Is(err, dl.ErrNoArchive) {
				err = fmt.Errorf("%w: %w", err, errNotInIndex)
			}
			break
		}
	}
	if err != nil {
		return Meta{}, err
	}
	in.notef("downloading %s from %s", file.Filename, goproxy.Redact(in.Mirror))
	resp, err := in.mirrorGet(ctx, url.PathEscape(file.Filename))
	if err != nil {
		return Meta{}, err
	}
	defer resp.Body.Close()
	total := resp.ContentLength
	if total < 0 {
		total = file.Size
	}
	var body io.Reader = resp.Body
	if in.Progress != nil {
		body = &progressReader{r: body, total: total, f: in.Progress}
	}
	sum, err := in.extractArchive(ctx, body, file.Filename, stage)
	if err != nil {
		return Meta{}, err
	}
	if sum != file.SHA256 {
		in.Tel.InstallVerifyFailed(OriginMirror)
		return Meta{}, fmt.Errorf("checksum mismatch for %s: downloaded: sha256 %s, mirror index: sha256 %s", file.Filename, sum, file.SHA256)
	}
	in.Tel.InstallBytes(OriginMirror, total)
	src := goproxy.Redact(strings.TrimSuffix(in.Mirror, "/") + "/" + file.Filename)
	return Meta{Version: v, GOOS: goos, GOARCH: goarch, Origin: OriginMirror, Source: src, SHA256: sum}, nil
}

// extractArchive extracts a go.dev/dl .tar.gz (streaming) or .zip
// (spooled to a temp file first: zip needs random access) and returns the
// archive's SHA-256.
func (in *Installer) extractArchive(ctx context.Context, r io.Reader, filename, stage string) (string, error) {
	hr, sum := unpack.HashingReader(ctxReader{ctx, r})
	opt := unpack.Options{Prefix: "go/"}
	if strings.HasSuffix(filename, ".tar.gz") || strings.HasSuffix(filename, ".tgz") {
		if _, err := unpack.TarGz(hr, stage, opt); err != nil {
			return "", fmt.Errorf("extracting %s: %w", filename, err)
		}
		// Hash whatever follows the gzip stream too.
		if _, err := io.Copy(io.Discard, hr); err != nil {
			return "", fmt.Errorf("reading %s: %w", filename, err)
		}
		return sum(), nil
	}
	if !strings.HasSuffix(filename, ".zip") {
		return "", fmt.Errorf("%q: not a .tar.gz or .zip archive", filename)
	}
	tmp, err := in.Home.tempEntry("dl", false)
	if err != nil {
		return "", err
	}
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp)
	defer f.Close()
	size, err := io.Copy(f, hr)
	if err != nil {
		return "", fmt.Errorf("copying %s to %s: %w", filename, tmp, err)
	}
	if _, err := unpack.Zip(ctxReaderAt{ctx, f}, size, stage, opt); err != nil {
		return "", fmt.Errorf("extracting %s: %w", filename, err)
	}
	return sum(), nil
}

// ctxReader and ctxReaderAt stop an extraction when ctx is cancelled
// (Ctrl-C during 'install --file'): the next read fails with the cause,
// and the staging directory is removed as after any other error.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(b []byte) (int, error) {
	if c.ctx.Err() != nil {
		return 0, context.Cause(c.ctx)
	}
	return c.r.Read(b)
}

type ctxReaderAt struct {
	ctx context.Context
	r   io.ReaderAt
}

func (c ctxReaderAt) ReadAt(b []byte, off int64) (int, error) {
	if c.ctx.Err() != nil {
		return 0, context.Cause(c.ctx)
	}
	return c.r.ReadAt(b, off)
}

type progressReader struct {
	r        io.Reader
	n, total int64
	f        func(n, total int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if n > 0 {
		p.f(p.n, p.total)
	}
	if err == io.EOF && p.total < 0 {
		p.f(p.n, p.n) // the size is known now: let the line finish
		p.total = p.n
	}
	return n, err
}

var archiveName = regexp.MustCompile(`^(go[0-9][0-9a-z.]*?)\.([a-z0-9]+)-([a-z0-9]+)\.(tar\.gz|zip)$`)

// installFile installs a local archive, named after the VERSION file it
// contains and the platform in its file name (else the host's).
func (in *Installer) installFile(ctx context.Context, req Request) (Result, error) {
	base := filepath.Base(req.File)
	goos, goarch := runtime.GOOS, runtime.GOARCH
	if m := archiveName.FindStringSubmatch(base); m != nil {
		goos, goarch = m[2], m[3]
	}
	f, err := os.Open(req.File)
	if err != nil {
		return Result{}, fmt.Errorf("installing from %q: %w", req.File, err)
	}
	defer f.Close()
	if req.SHA256 != "" {
		// Check the bytes before extracting any of them: a wrong archive
		// (a bomb, a zip-slip) is reported as the mismatch it is.
		if err := checkFileSHA256(f, req.File, req.SHA256); err != nil {
			return Result{}, err
		}
	}
	// The version is only known after extraction, so this stages before
	// taking the version lock.
	stage, err := in.Home.StagingDir()
	if err != nil {
		return Result{}, err
	}
	defer removeAll(stage)
	var sum string
	err = in.phase(ctx, "unpack", func(ctx context.Context) (err error) {
		sum, err = in.extractArchive(ctx, f, base, stage)
		return err
	})
	if err != nil {
		return Result{}, err
	}
	if req.SHA256 != "" && !strings.EqualFold(req.SHA256, sum) {
		// The file changed between the check and the extraction.
		return Result{}, fmt.Errorf("%s changed while it was installed: sha256 %s, then %s", req.File, req.SHA256, sum)
	}
	v, err := readVersionFile(stage)
	if err != nil {
		return Result{}, fmt.Errorf("installing from %q: %w", req.File, err)
	}
	if req.Query != "" && !Matches(req.Query, v) {
		return Result{}, fmt.Errorf("installing from %q: the archive holds %s, not the %s asked for", req.File, v, req.Query)
	}
	abs, _ := filepath.Abs(req.File)
	name := nameFor(v, goos, goarch)
	m := Meta{Version: v, GOOS: goos, GOARCH: goarch, Origin: OriginFile, Source: abs, SHA256: sum}
	return in.locked(name, req.Force, func(string) (string, Meta, error) { return stage, m, nil })
}

// ErrInvalidSHA256 is wrapped by the error for a --sha256 value that is
// not 64 hexadecimal digits or has no --file to check (a usage error).
var ErrInvalidSHA256 = errors.New("invalid --sha256")

// CheckSHA256 checks an expected SHA-256 given by the user for the
// archive file: "" (no check), or 64 hexadecimal digits with a file.
func CheckSHA256(sum, file string) error {
	switch {
	case sum == "":
		return nil
	case len(sum) != 64 || strings.Trim(strings.ToLower(sum), "0123456789abcdef") != "":
		return fmt.Errorf("%w %q: want 64 hexadecimal digits", ErrInvalidSHA256, clip(sum))
	case file == "":
		return fmt.Errorf("%w: it checks a --file archive, and there is none", ErrInvalidSHA256)
	}
	return nil
}

// checkFileSHA256 hashes f from the start, compares the sum with want and
// rewinds f.
func checkFileSHA256(f *os.File, name, want string) error {
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); !strings.EqualFold(got, want) {
		return fmt.Errorf("checksum mismatch for %s: file: sha256 %s, --sha256: %s; nothing was extracted or installed", name, got, strings.ToLower(want))
	}
	_, err := f.Seek(0, io.SeekStart)
	return err
}

// readVersionFile returns the first line of dir/VERSION, which must name
// a Go release.
func readVersionFile(dir string) (string, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return "", err
	}
	defer root.Close()
	v, err := readVersionLine(root)
	if err != nil {
		return "", fmt.Errorf("not a Go distribution: %w", err)
	}
	if NormalizeVersion(v) != v {
		return "", fmt.Errorf("not a Go release: VERSION says %q", clip(v))
	}
	return v, nil
}
