// Package pclntab decodes the Go runtime's PC-line table (the "pclntab"):
// the function table, the file table, the PC-value tables that map every
// instruction to its file, line and inlining, for the table formats of Go
// 1.2 through the current release. -s and -w strip symbols and DWARF but
// never this table, so it describes every Go binary.
//
// The decoder works on the table's bytes alone and bounds every count and
// offset by the data length; hostile input yields errors, never panics,
// endless loops or allocations beyond the input's size.
package pclntab

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// The table magics, by the Go release that introduced them.
const (
	Magic12  uint32 = 0xfffffffb // Go 1.2 to 1.15
	Magic116 uint32 = 0xfffffffa // Go 1.16 and 1.17
	Magic118 uint32 = 0xfffffff0 // Go 1.18 and 1.19
	Magic120 uint32 = 0xfffffff1 // Go 1.20 and later
)

// Version names a table format.
type Version int

// The table formats.
const (
	VerUnknown Version = iota
	Ver12
	Ver116
	Ver118
	Ver120
)

func (v Version) String() string {
	switch v {
	case Ver12:
		return "go1.2"
	case Ver116:
		return "go1.16"
	case Ver118:
		return "go1.18"
	case Ver120:
		return "go1.20"
	}
	return "unknown"
}

// ErrNotPclntab reports data that does not start with a known table header.
var ErrNotPclntab = errors.New("no pclntab header")

// Table is a decoded pclntab. The zero value is not usable; call Parse.
type Table struct {
	// Version is the table format; Magic is its raw magic number.
	Version Version
	Magic   uint32
	// Quantum is the instruction size unit (1 on x86, 4 on arm64).
	Quantum uint32
	// PtrSize is 4 or 8.
	PtrSize int
	// ByteOrder is the table's byte order.
	ByteOrder binary.ByteOrder
	// TextStart is the address function entry offsets are relative to
	// (Go 1.18 and later); HeaderTextStart is what the header recorded,
	// 0 when Go 1.26 and later leave the field empty.
	TextStart, HeaderTextStart uint64
	// NumFiles is the file count the header records.
	NumFiles int
	// Future reports an unknown magic, decoded as the newest format.
	Future bool
	// Warnings says which header counts did not fit the table and what
	// was read instead.
	Warnings []string

	data        []byte
	funcnameOff int // offset of funcnametab in data
	nfunc       int
	funcnametab []byte
	cutab       []byte
	filetab     []byte
	pctab       []byte
	funcdata    []byte // _func records and, at its start, the functab
	functab     []byte
	ftabEntSize int // bytes per functab field: PtrSize before 1.18, then 4

	// inline tree access (see inline.go)
	mem    Memory
	goFunc uint64
}

// Parse decodes the header of the table in data. textStart is the address
// of the Go text (runtime.text); it is used when the header does not
// record it (Go 1.26+) and may be 0 for tables whose header does.
func Parse(data []byte, textStart uint64) (*Table, error) {
	if len(data) < 16 {
		return nil, ErrNotPclntab
	}
	t := &Table{data: data}
	le, be := binary.LittleEndian.Uint32(data), binary.BigEndian.Uint32(data)
	switch {
	case knownMagic(le):
		t.ByteOrder, t.Magic = binary.LittleEndian, le
	case knownMagic(be):
		t.ByteOrder, t.Magic = binary.BigEndian, be
	case le&0xfffffff0 == 0xfffffff0:
		// A magic from a release after this decoder: read it as the
		// newest known format, which has held since Go 1.20.
		t.ByteOrder, t.Magic, t.Future = binary.LittleEndian, le, true
	case be&0xfffffff0 == 0xfffffff0:
		t.ByteOrder, t.Magic, t.Future = binary.BigEndian, be, true
	default:
		return nil, ErrNotPclntab
	}
	if data[4] != 0 || data[5] != 0 {
		return nil, fmt.Errorf("pclntab header: nonzero padding")
	}
	t.Quantum = uint32(data[6])
	t.PtrSize = int(data[7])
	if (t.Quantum != 1 && t.Quantum != 2 && t.Quantum != 4) || (t.PtrSize != 4 && t.PtrSize != 8) {
		return nil, fmt.Errorf("pclntab header: bad quantum %d or pointer size %d", t.Quantum, t.PtrSize)
	}
	var err error
	switch t.Magic {
	case Magic12:
		t.Version = Ver12
		err = t.parse12()
	case Magic116:
		t.Version = Ver116
		err = t.parse116()
	default:
		t.Version = Ver118
		if t.Magic == Magic120 {
			t.Version = Ver120
		}
		err = t.parse118(textStart)
	}
	if err != nil {
		return nil, err
	}
	if t.Future {
		// Only trust the guess if the first function decodes.
		if _, err := t.Func(0); err != nil || t.nfunc == 0 {
			return nil, fmt.Errorf("pclntab magic %#x is unknown and does not decode as the Go 1.20+ format", t.Magic)
		}
	}
	return t, nil
}

func knownMagic(m uint32) bool {
	return m == Magic12 || m == Magic116 || m == Magic118 || m == Magic120
}

// word reads the i'th pointer-sized header word after the 8-byte prefix.
func (t *Table) word(i int) (uint64, error) {
	off := 8 + i*t.PtrSize
	if off+t.PtrSize > len(t.data) {
		return 0, fmt.Errorf("pclntab header truncated")
	}
	return t.uintptr(t.data[off:]), nil
}

func (t *Table) uintptr(b []byte) uint64 {
	if t.PtrSize == 4 {
		return uint64(t.ByteOrder.Uint32(b))
	}
	return t.ByteOrder.Uint64(b)
}

// sub returns data[off:], checking off.
func (t *Table) sub(off uint64, what string) ([]byte, error) {
	if off > uint64(len(t.data)) {
		return nil, fmt.Errorf("pclntab header: %s offset %#x past the table's end %#x", what, off, len(t.data))
	}
	return t.data[off:], nil
}

func (t *Table) parse12() error {
	n, err := t.word(0)
	if err != nil {
		return err
	}
	t.ftabEntSize = t.PtrSize
	t.funcdata, t.funcnametab, t.pctab = t.data, t.data, t.data
	t.functab = t.data[8+t.PtrSize:]
	if err := t.setNFunc(n, uint64(8+t.PtrSize)); err != nil {
		return err
	}
	size := (2*t.nfunc + 1) * t.PtrSize
	if size+4 > len(t.functab) {
		return fmt.Errorf("pclntab: function table truncated")
	}
	fileoff := t.ByteOrder.Uint32(t.functab[size:])
	ft, err := t.sub(uint64(fileoff), "file table")
	if err != nil || len(ft) < 4 {
		return fmt.Errorf("pclntab: file table offset %#x out of range", fileoff)
	}
	nfiles := uint64(t.ByteOrder.Uint32(ft))
	// The names follow the array of their offsets: the first name's
	// offset bounds the array.
	fit := uint64(len(ft)) / 4
	if first := uint64(t.ByteOrder.Uint32(ft[min(4, len(ft)-4):])); len(ft) >= 8 && first > uint64(fileoff) {
		fit = min(fit, (first-uint64(fileoff))/4)
	}
	if nfiles > fit {
		t.warnf("pclntab header claims %d files; the file table holds at most %d: reading those", nfiles, fit)
		nfiles = fit
	}
	t.filetab = ft[:nfiles*4]
	t.NumFiles = int(nfiles)
	return nil
}

func (t *Table) warnf(format string, args ...any) {
	t.Warnings = append(t.Warnings, fmt.Sprintf(format, args...))
}

// setNFunc records the function count, bounded by what the function table
// can hold: nfunc (entry, record offset) pairs and a final end entry, all
// before the first record (which the table places right after them).
// ftabOff is where the functab starts in the record base (funcdata). A
// count past that bound is corrupt: the table is read with as many
// functions as fit, and a warning says so.
func (t *Table) setNFunc(n, ftabOff uint64) error {
	ent := uint64(t.ftabEntSize)
	fields := uint64(len(t.functab)) / ent
	if n == 0 {
		return nil
	}
	if fields < 3 {
		return fmt.Errorf("pclntab: %d functions do not fit in %d bytes", n, len(t.functab))
	}
	fit := (fields - 1) / 2
	if first := t.ftab(1); first > ftabOff && (first-ftabOff)/ent >= 3 {
		fit = min(fit, ((first-ftabOff)/ent-1)/2)
	}
	if n > fit {
		t.warnf("pclntab header claims %d functions; the function table holds at most %d: reading those", n, fit)
		n = fit
	}
	t.nfunc = int(n)
	return nil
}

// offsets reads the header words from index first on as offsets into the
// table: funcname, cu, filetab, pctab, pcln.
func (t *Table) offsets(first int) ([5][]byte, error) {
	var out [5][]byte
	names := [5]string{"function name", "compilation unit", "file", "pc-value", "function"}
	for i := range out {
		off, err := t.word(first + i)
		if err != nil {
			return out, err
		}
		if out[i], err = t.sub(off, names[i]+" table"); err != nil {
			return out, err
		}
	}
	return out, nil
}

func (t *Table) parse116() error {
	n, err := t.word(0)
	if err != nil {
		return err
	}
	nfiles, err := t.word(1)
	if err != nil {
		return err
	}
	tabs, err := t.offsets(2)
	if err != nil {
		return err
	}
	t.setTables(tabs, nfiles, t.PtrSize)
	return t.setNFunc(n, 0)
}

// setTables records the tables of the Go 1.16+ header (function names, CU
// index, files, pc-value data, function table), each ending where the
// next one in the file starts, and the file count, bounded by the names
// the file table holds.
func (t *Table) setTables(tabs [5][]byte, nfiles uint64, ftabEntSize int) {
	starts := make([]int, len(tabs))
	for i, b := range tabs {
		starts[i] = len(t.data) - len(b)
	}
	for i := range tabs {
		end := len(t.data)
		for _, s := range starts {
			if s > starts[i] && s < end {
				end = s
			}
		}
		tabs[i] = tabs[i][:end-starts[i]]
	}
	t.funcnametab, t.cutab, t.filetab, t.pctab = tabs[0], tabs[1], tabs[2], tabs[3]
	t.funcnameOff = starts[0]
	// The function table runs to the end: records follow the functab.
	t.funcdata = t.data[starts[4]:]
	t.functab = t.funcdata
	t.ftabEntSize = ftabEntSize
	if names := uint64(bytes.Count(t.filetab, []byte{0})); nfiles > names {
		t.warnf("pclntab header claims %d files; the file table (%d bytes) holds %d names: reading those", nfiles, len(t.filetab), names)
		nfiles = names
	}
	t.NumFiles = int(nfiles)
}

func (t *Table) parse118(textStart uint64) error {
	n, err := t.word(0)
	if err != nil {
		return err
	}
	nfiles, err := t.word(1)
	if err != nil {
		return err
	}
	if t.HeaderTextStart, err = t.word(2); err != nil {
		return err
	}
	tabs, err := t.offsets(3)
	if err != nil {
		return err
	}
	t.setTables(tabs, nfiles, 4)
	t.TextStart = t.HeaderTextStart
	if textStart != 0 {
		t.TextStart = textStart
	}
	return t.setNFunc(n, 0)
}

// SetTextStart changes the address function entry offsets are relative to.
func (t *Table) SetTextStart(addr uint64) { t.TextStart = addr }

// NumFuncs returns the number of functions in the table.
func (t *Table) NumFuncs() int { return t.nfunc }

// Len returns the table's size in bytes.
func (t *Table) Len() int { return len(t.data) }
