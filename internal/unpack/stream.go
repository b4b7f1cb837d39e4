package unpack

import (
	"bufio"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// ErrNotStreamable is returned by StreamZip for a zip it cannot read front
// to back (a stored entry of unknown size, zip64, encryption). Nothing it
// wrote is usable; the caller empties dest and uses Zip on the whole file.
var ErrNotStreamable = errors.New("zip cannot be extracted while streaming")

const (
	localSig   = 0x04034b50
	centralSig = 0x02014b50
	descSig    = 0x08074b50
)

// StreamZip extracts a zip while reading it front to back, as it arrives
// over the network: it follows the local file headers, inflating each
// entry and checking its CRC-32 and sizes, and stops at the central
// directory. Files are written and hashed by worker goroutines while the
// next entry is read. The checks on names, modes and sizes are those of
// Zip, and Result.H1 is computed from the bytes written, so a zip whose
// central directory disagrees with its entries can only fail
// verification. The caller reads the rest of r (the central directory).
func StreamZip(r io.Reader, dest string, opt Options) (Result, error) {
	br := &countReader{r: bufio.NewReaderSize(r, 1<<20)}
	w := newStreamWriter(&dirRoot{dir: dest}, &opt)
	res, err := readEntries(br, w, &opt)
	sums, werr := w.wait()
	if err == nil {
		err = werr
	}
	if err != nil {
		return Result{}, err
	}
	if opt.ModuleZip {
		res.H1 = h1(sums)
	}
	return res, nil
}

// readEntries reads local headers and entry data up to the central
// directory, handing files to w.
func readEntries(br *countReader, w *streamWriter, opt *Options) (Result, error) {
	var res Result
	seen := map[string]bool{}
	for {
		sig, err := br.uint32()
		if err != nil {
			return res, fmt.Errorf("reading zip: %w", noEOF(err))
		}
		if sig == centralSig {
			return res, nil
		}
		if sig != localSig {
			return res, fmt.Errorf("reading zip: bad signature %#x at offset %d", sig, br.n-4)
		}
		e, err := readLocalHeader(br)
		if err != nil {
			return res, err
		}
		rel, err := opt.target(e.name)
		if err != nil {
			return res, err
		}
		if rel != "" && seen[strings.ToLower(rel)] {
			return res, fmt.Errorf("%w: duplicate entry %q", ErrUnsafePath, clip(e.name))
		}
		seen[strings.ToLower(rel)] = true
		data, err := readEntryData(br, e, opt.maxSize()-res.Bytes)
		if err != nil {
			return res, fmt.Errorf("reading %s: %w", e.name, err)
		}
		if rel == "" || strings.HasSuffix(e.name, "/") {
			if len(data) != 0 {
				return res, fmt.Errorf("%w: directory %q has content", ErrUnsafePath, clip(e.name))
			}
			continue
		}
		res.Files++
		res.Bytes += int64(len(data))
		if !w.add(e.name, rel, data) {
			return res, nil // a worker failed; wait reports why
		}
	}
}

type localEntry struct {
	name                 string
	flags, method        uint16
	crc                  uint32
	csize, usize         uint64
	hasDescriptor, zip64 bool
}

func readLocalHeader(br *countReader) (localEntry, error) {
	var h [26]byte
	if _, err := io.ReadFull(br, h[:]); err != nil {
		return localEntry{}, fmt.Errorf("reading zip: %w", noEOF(err))
	}
	le := binary.LittleEndian
	e := localEntry{flags: le.Uint16(h[2:]), method: le.Uint16(h[4:]), crc: le.Uint32(h[10:]),
		csize: uint64(le.Uint32(h[14:])), usize: uint64(le.Uint32(h[18:]))}
	nameLen, extraLen := int(le.Uint16(h[22:])), int(le.Uint16(h[24:]))
	buf := make([]byte, nameLen+extraLen)
	if _, err := io.ReadFull(br, buf); err != nil {
		return e, fmt.Errorf("reading zip: %w", noEOF(err))
	}
	e.name = string(buf[:nameLen])
	e.hasDescriptor = e.flags&0x8 != 0
	for extra := buf[nameLen:]; len(extra) >= 4; {
		id, size := le.Uint16(extra), int(le.Uint16(extra[2:]))
		if id == 0x0001 {
			e.zip64 = true
		}
		if size > len(extra)-4 {
			break
		}
		extra = extra[4+size:]
	}
	switch {
	case e.flags&0x1 != 0, e.zip64, e.method != 0 && e.method != 8,
		e.method == 0 && e.hasDescriptor:
		return e, ErrNotStreamable
	}
	return e, nil
}

// maxStreamEntry bounds one entry held in memory while streaming; a
// bigger entry makes the caller fall back to Zip.
const maxStreamEntry = 256 << 20

// readEntryData returns the uncompressed bytes of e, checked against the
// CRC-32 and sizes in its header or data descriptor.
func readEntryData(br *countReader, e localEntry, limit int64) ([]byte, error) {
	start := br.n
	var src io.Reader
	if e.method == 0 {
		src = io.LimitReader(br, int64(e.csize))
	} else {
		fr := flate.NewReader(br) // br is an io.ByteReader: no read-ahead past the stream
		defer fr.Close()
		src = fr
	}
	data, err := io.ReadAll(io.LimitReader(src, min(limit, maxStreamEntry)+1))
	if err != nil {
		return nil, noEOF(err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("archive too large: more than %d bytes uncompressed", limit)
	}
	if len(data) > maxStreamEntry {
		return nil, ErrNotStreamable
	}
	csize := uint64(br.n - start)
	if e.hasDescriptor {
		if e.crc, e.csize, e.usize, err = readDescriptor(br); err != nil {
			return nil, err
		}
	}
	if csize != e.csize || uint64(len(data)) != e.usize || crc32.ChecksumIEEE(data) != e.crc {
		return nil, errors.New("checksum or size mismatch (corrupt zip)")
	}
	return data, nil
}

// readDescriptor reads a data descriptor, with or without its signature.
func readDescriptor(br *countReader) (crc uint32, csize, usize uint64, err error) {
	var b [16]byte
	if _, err = io.ReadFull(br, b[:4]); err != nil {
		return 0, 0, 0, noEOF(err)
	}
	le := binary.LittleEndian
	n := 12
	if le.Uint32(b[:]) != descSig {
		n = 8
		copy(b[4:], b[:4])
	}
	if _, err = io.ReadFull(br, b[16-n:]); err != nil {
		return 0, 0, 0, noEOF(err)
	}
	return le.Uint32(b[4:]), uint64(le.Uint32(b[8:])), uint64(le.Uint32(b[12:])), nil
}

func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// countReader counts the bytes read through it.
type countReader struct {
	r *bufio.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}

func (c *countReader) uint32() (uint32, error) {
	var b [4]byte
	_, err := io.ReadFull(c, b[:])
	return binary.LittleEndian.Uint32(b[:]), err
}

// streamWriter writes files on worker goroutines.
type streamWriter struct {
	root *dirRoot
	opt  *Options
	jobs chan streamJob
	wg   sync.WaitGroup

	mu   sync.Mutex
	dirs map[string]bool
	sums map[string][sha256.Size]byte
	err  error
}

type streamJob struct {
	name, rel string
	data      []byte
}

func newStreamWriter(root *dirRoot, opt *Options) *streamWriter {
	w := &streamWriter{root: root, opt: opt, jobs: make(chan streamJob, 8),
		dirs: map[string]bool{".": true}, sums: map[string][sha256.Size]byte{}}
	for range 2 * runtime.GOMAXPROCS(0) {
		w.wg.Add(1)
		go w.work()
	}
	return w
}

// add queues a file; it reports false once a worker has failed.
func (w *streamWriter) add(name, rel string, data []byte) bool {
	w.mu.Lock()
	failed := w.err != nil
	w.mu.Unlock()
	if failed {
		return false
	}
	w.jobs <- streamJob{name, rel, data}
	return true
}

func (w *streamWriter) work() {
	defer w.wg.Done()
	for j := range w.jobs {
		sum, err := w.write(j)
		w.mu.Lock()
		if err != nil && w.err == nil {
			w.err = err
		}
		w.sums[j.name] = sum
		w.mu.Unlock()
	}
}

func (w *streamWriter) write(j streamJob) ([sha256.Size]byte, error) {
	if err := w.mkdirs(path.Dir(j.rel)); err != nil {
		return [sha256.Size]byte{}, err
	}
	perm := fs.FileMode(0o644)
	if w.opt.ModuleZip && moduleExec(j.rel) {
		perm = 0o755
	}
	sum, err := writeFile(w.root, j.rel, bytes.NewReader(j.data), int64(len(j.data)), perm)
	if err == nil && w.opt.ModuleZip && path.Base(j.rel) == "_go.mod" {
		err = os.WriteFile(w.root.path(path.Join(path.Dir(j.rel), "go.mod")), j.data, 0o644)
	}
	return sum, err
}

// mkdirs creates dir and its parents once, serialized so that two
// workers do not race on a parent.
func (w *streamWriter) mkdirs(dir string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	var todo []string
	for d := dir; !w.dirs[d]; d = path.Dir(d) {
		todo = append(todo, d)
	}
	sort.Strings(todo)
	for _, d := range todo {
		if err := os.Mkdir(w.root.path(d), 0o755); err != nil && !os.IsExist(err) {
			return fmt.Errorf("creating %s: %w", d, err)
		}
		w.dirs[d] = true
	}
	return nil
}

func (w *streamWriter) wait() (map[string][sha256.Size]byte, error) {
	close(w.jobs)
	w.wg.Wait()
	return w.sums, w.err
}
