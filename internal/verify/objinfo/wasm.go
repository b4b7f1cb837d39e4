package objinfo

import (
	"errors"
	"fmt"
	"io"
)

// wasmImportModules returns the distinct module names of the imports in
// a WebAssembly binary, in order of first appearance.
func wasmImportModules(r io.Reader) ([]string, error) {
	br := &byteReader{r: r}
	var hdr [8]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, fmt.Errorf("reading header: %w", err)
	}
	if string(hdr[:4]) != "\x00asm" || hdr[4] != 1 {
		return nil, errors.New("not a version 1 WebAssembly module")
	}
	for {
		id, err := br.ReadByte()
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		size, err := br.uleb()
		if err != nil {
			return nil, fmt.Errorf("reading section size: %w", err)
		}
		if id == 2 {
			return readImports(br)
		}
		if _, err := io.CopyN(io.Discard, r, int64(size)); err != nil {
			return nil, fmt.Errorf("skipping section %d: %w", id, err)
		}
	}
}

func readImports(br *byteReader) ([]string, error) {
	n, err := br.uleb()
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var mods []string
	for i := uint64(0); i < n; i++ {
		mod, err := br.name()
		if err != nil {
			return nil, fmt.Errorf("reading import %d: %w", i, err)
		}
		if _, err := br.name(); err != nil {
			return nil, fmt.Errorf("reading import %d: %w", i, err)
		}
		if err := br.skipImportDesc(); err != nil {
			return nil, fmt.Errorf("reading import %d: %w", i, err)
		}
		if !seen[mod] {
			seen[mod] = true
			mods = append(mods, mod)
		}
	}
	return mods, nil
}

type byteReader struct{ r io.Reader }

func (b *byteReader) ReadByte() (byte, error) {
	var p [1]byte
	_, err := io.ReadFull(b.r, p[:])
	return p[0], err
}

func (b *byteReader) uleb() (uint64, error) {
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		c, err := b.ReadByte()
		if err != nil {
			return 0, err
		}
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v, nil
		}
	}
	return 0, errors.New("LEB128 number too long")
}

func (b *byteReader) name() (string, error) {
	n, err := b.uleb()
	if err != nil {
		return "", err
	}
	if n > 1<<16 {
		return "", fmt.Errorf("name of %d bytes is too long", n)
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(b.r, p); err != nil {
		return "", err
	}
	return string(p), nil
}

// skipImportDesc skips an import descriptor: func type index, table type,
// memory limits or global type.
func (b *byteReader) skipImportDesc() error {
	kind, err := b.ReadByte()
	if err != nil {
		return err
	}
	switch kind {
	case 0: // function: type index
		_, err = b.uleb()
	case 1: // table: reftype, limits
		if _, err = b.ReadByte(); err == nil {
			err = b.skipLimits()
		}
	case 2: // memory: limits
		err = b.skipLimits()
	case 3: // global: valtype, mutability
		if _, err = b.ReadByte(); err == nil {
			_, err = b.ReadByte()
		}
	default:
		err = fmt.Errorf("unknown import kind %d", kind)
	}
	return err
}

func (b *byteReader) skipLimits() error {
	flag, err := b.ReadByte()
	if err != nil {
		return err
	}
	if _, err := b.uleb(); err != nil {
		return err
	}
	if flag&1 != 0 {
		_, err = b.uleb()
	}
	return err
}
