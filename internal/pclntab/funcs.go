package pclntab

import (
	"bytes"
	"fmt"
	"sort"
)

// Func is one function of the table.
type Func struct {
	// Index is the function's position in the table.
	Index int
	// Name is the symbol name, e.g. "main.(*T).Method".
	Name string
	// Entry and End delimit the function's code: End is the next
	// function's entry (or the end of the text).
	Entry, End uint64

	rec []byte // the _func record, to the end of the table
}

// ftab reads the i'th functab field.
func (t *Table) ftab(i int) uint64 {
	off := i * t.ftabEntSize
	if t.ftabEntSize == 4 {
		return uint64(t.ByteOrder.Uint32(t.functab[off:]))
	}
	return t.uintptr(t.functab[off:])
}

// pc returns the entry address of function i (i == NumFuncs gives the end).
func (t *Table) pc(i int) uint64 {
	v := t.ftab(2 * i)
	if t.Version >= Ver118 {
		v += t.TextStart
	}
	return v
}

// Func returns function i, 0 <= i < NumFuncs.
func (t *Table) Func(i int) (Func, error) {
	if i < 0 || i >= t.nfunc {
		return Func{}, fmt.Errorf("function index %d out of range", i)
	}
	off := t.ftab(2*i + 1)
	if off >= uint64(len(t.funcdata)) {
		return Func{}, fmt.Errorf("function %d: record offset %#x out of range", i, off)
	}
	f := Func{Index: i, Entry: t.pc(i), End: t.pc(i + 1), rec: t.funcdata[off:]}
	if len(f.rec) < t.fixedSize() {
		return Func{}, fmt.Errorf("function %d: record truncated", i)
	}
	name, err := t.funcName(f.field(t, 1))
	if err != nil {
		return Func{}, fmt.Errorf("function %d: %w", i, err)
	}
	f.Name = name
	return f, nil
}

// Funcs returns every function. A malformed record stops the walk with an
// error and the functions decoded so far.
func (t *Table) Funcs() ([]Func, error) {
	out := make([]Func, 0, t.nfunc)
	for i := 0; i < t.nfunc; i++ {
		f, err := t.Func(i)
		if err != nil {
			return out, err
		}
		out = append(out, f)
	}
	return out, nil
}

// FuncAt returns the function whose code holds pc.
func (t *Table) FuncAt(pc uint64) (Func, error) {
	if t.nfunc == 0 || pc < t.pc(0) || pc >= t.pc(t.nfunc) {
		return Func{}, fmt.Errorf("no function at %#x", pc)
	}
	i := sort.Search(t.nfunc, func(i int) bool { return t.pc(i) > pc }) - 1
	return t.Func(i)
}

// fixedSize is the size of the fixed part of a _func record.
func (t *Table) fixedSize() int {
	switch t.Version {
	case Ver12:
		return t.PtrSize + 8*4
	case Ver116:
		return t.PtrSize + 9*4
	case Ver118:
		return 4 + 9*4
	}
	return 4 + 10*4
}

// field returns the n'th 32-bit field after the entry of a _func record:
// 1 nameOff, 2 args, 3 deferreturn, 4 pcsp, 5 pcfile, 6 pcln, 7 npcdata,
// 8 cuOffset (1.16+), 9 startLine (1.20+).
func (f *Func) field(t *Table, n int) uint32 {
	sz0 := t.PtrSize
	if t.Version >= Ver118 {
		sz0 = 4
	}
	return t.ByteOrder.Uint32(f.rec[sz0+(n-1)*4:])
}

// StartLine returns the line of the func keyword (Go 1.20+ tables), or 0.
func (t *Table) StartLine(f Func) int {
	if t.Version < Ver120 || f.rec == nil {
		return 0
	}
	return int(int32(f.field(t, 9)))
}

// funcName reads a NUL-terminated name at off in the name table.
func (t *Table) funcName(off uint32) (string, error) {
	return cString(t.funcnametab, uint64(off), "function name")
}

func cString(b []byte, off uint64, what string) (string, error) {
	if off >= uint64(len(b)) {
		return "", fmt.Errorf("%s offset %#x out of range", what, off)
	}
	rest := b[off:]
	i := bytes.IndexByte(rest, 0)
	if i < 0 {
		return "", fmt.Errorf("%s at %#x not terminated", what, off)
	}
	return string(rest[:i]), nil
}

// npcdata returns the number of PC-data tables of f, bounded by the record.
func (t *Table) pcdataOffsets(f Func) []uint32 {
	n := uint64(f.field(t, 7))
	fixed := uint64(t.fixedSize())
	avail := (uint64(len(f.rec)) - fixed) / 4
	n = min(n, avail)
	out := make([]uint32, n)
	for i := range out {
		out[i] = t.ByteOrder.Uint32(f.rec[fixed+uint64(i)*4:])
	}
	return out
}

// pcdataTable returns the offset of PC-data table i of f, or 0.
func (t *Table) pcdataTable(f Func, i int) uint32 {
	n := int(f.field(t, 7))
	off := t.fixedSize() + i*4
	if i >= n || off+4 > len(f.rec) {
		return 0
	}
	return t.ByteOrder.Uint32(f.rec[off:])
}

// nfuncdata returns the funcdata count of f (1.16+), from the last byte
// of the fixed record.
func (t *Table) nfuncdata(f Func) int {
	if t.Version < Ver116 {
		return 0
	}
	return int(f.rec[t.fixedSize()-1])
}

// funcdataSlot returns the raw funcdata value i of f: an absolute address
// before 1.18, an offset from go:func.* after; ok is false when absent.
func (t *Table) funcdataSlot(f Func, i int) (v uint64, ok bool) {
	if t.Version < Ver116 || i >= t.nfuncdata(f) {
		return 0, false
	}
	off := t.fixedSize() + int(f.field(t, 7))*4
	if t.Version == Ver116 {
		// The pointers are aligned to the pointer size within the table,
		// which starts aligned.
		abs := len(t.data) - len(f.rec) + off
		if t.PtrSize == 8 && abs%8 != 0 {
			off += 4
		}
		off += i * t.PtrSize
		if off+t.PtrSize > len(f.rec) {
			return 0, false
		}
		v = t.uintptr(f.rec[off:])
		return v, v != 0
	}
	off += i * 4
	if off+4 > len(f.rec) {
		return 0, false
	}
	u := t.ByteOrder.Uint32(f.rec[off:])
	return uint64(u), u != ^uint32(0)
}

// RecordSize returns the bytes of f's _func record including its pcdata
// and funcdata arrays.
func (t *Table) RecordSize(f Func) int {
	n := t.fixedSize() + int(f.field(t, 7))*4
	if nf := t.nfuncdata(f); nf > 0 {
		if t.Version == Ver116 {
			n += 4 + nf*t.PtrSize
		} else {
			n += nf * 4
		}
	}
	return min(n, len(f.rec))
}

// NameSize returns the bytes f's name takes in the name table.
func (t *Table) NameSize(f Func) int { return len(f.Name) + 1 }

// FuncEntry returns the entry address of the function named name.
func (t *Table) FuncEntry(name string) (uint64, bool) {
	for i := 0; i < t.nfunc; i++ {
		if f, err := t.Func(i); err == nil && f.Name == name {
			return f.Entry, true
		}
	}
	return 0, false
}
