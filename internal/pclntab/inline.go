package pclntab

import (
	"errors"
	"fmt"
)

// Memory reads the program image by virtual address; binfile.File
// implements it.
type Memory interface {
	ReadVA(addr, n uint64) ([]byte, error)
}

// The runtime's indexes of the inline tree (internal/abi).
const (
	pcdataInlTreeIndex = 2
	funcdataInlTree    = 3
)

// ErrNoInlineTree reports a PC inside inlined code whose inline tree could
// not be located (the go:func.* base is unknown, or the table predates
// Go 1.16); frames then lack the inlined functions' names.
var ErrNoInlineTree = errors.New("inline tree not available")

// SetInlineSource tells the table how to read inline trees: mem reads the
// image, goFunc is the address of go:func.* (the base of funcdata offsets
// since Go 1.18; unused before).
func (t *Table) SetInlineSource(mem Memory, goFunc uint64) {
	t.mem, t.goFunc = mem, goFunc
}

// GoFunc returns the go:func.* address set by SetInlineSource.
func (t *Table) GoFunc() uint64 { return t.goFunc }

// Frame is one frame of a PC's logical call stack.
type Frame struct {
	// Func is the function; for an inlined frame, the inlined callee.
	Func string `json:"func"`
	File string `json:"file"`
	Line int    `json:"line"`
	// Inlined reports a frame that was inlined into its caller.
	Inlined bool `json:"inlined"`
	// PC is the address whose position this frame reports: the PC asked
	// for, or the call site of the inlined call in the caller.
	PC uint64 `json:"pc"`
}

// Frames returns the logical call stack at pc, innermost first, as
// runtime.CallersFrames would expand it: the inlined calls, then the
// physical function. With ErrNoInlineTree, the frames are still returned,
// the inlined ones missing.
func (t *Table) Frames(pc uint64) ([]Frame, error) {
	f, err := t.FuncAt(pc)
	if err != nil {
		return nil, err
	}
	var frames []Frame
	tracepc := pc
	for depth := 0; depth < 1000; depth++ {
		file, line, err := t.PCLine(f, tracepc)
		if err != nil {
			return frames, err
		}
		ix := t.pcvalue(t.pcdataTable(f, pcdataInlTreeIndex), f.Entry, tracepc)
		if ix < 0 {
			return append(frames, Frame{Func: f.Name, File: file, Line: line, PC: tracepc}), nil
		}
		name, parentPC, err := t.inlinedCall(f, ix)
		if err != nil {
			frames = append(frames, Frame{Func: f.Name, File: file, Line: line, PC: tracepc})
			return frames, err
		}
		frames = append(frames, Frame{Func: name, File: file, Line: line, Inlined: true, PC: tracepc})
		next := f.Entry + parentPC
		if next >= f.End {
			return frames, fmt.Errorf("%s: inlined call's parent PC %#x outside the function", f.Name, next)
		}
		tracepc = next
	}
	return frames, fmt.Errorf("%s: inline tree too deep at %#x", f.Name, pc)
}

// inlinedCall reads entry ix of f's inline tree: the callee's name and
// the call site's offset from f's entry.
func (t *Table) inlinedCall(f Func, ix int32) (string, uint64, error) {
	slot, ok := t.funcdataSlot(f, funcdataInlTree)
	if !ok || t.mem == nil || (t.Version >= Ver118 && t.goFunc == 0) {
		return "", 0, ErrNoInlineTree
	}
	base := slot
	if t.Version >= Ver118 {
		base += t.goFunc
	}
	size, nameAt, parentAt := uint64(20), 12, 16
	if t.Version >= Ver120 {
		size, nameAt, parentAt = 16, 4, 8
	}
	b, err := t.mem.ReadVA(base+uint64(ix)*size, size)
	if err != nil {
		return "", 0, fmt.Errorf("%s: reading inline tree entry %d: %w", f.Name, ix, err)
	}
	name, err := t.funcName(t.ByteOrder.Uint32(b[nameAt:]))
	if err != nil {
		return "", 0, fmt.Errorf("%s: inline tree entry %d: %w", f.Name, ix, err)
	}
	parent := int32(t.ByteOrder.Uint32(b[parentAt:]))
	if parent < 0 {
		return "", 0, fmt.Errorf("%s: inline tree entry %d: negative parent PC", f.Name, ix)
	}
	return name, uint64(parent), nil
}

// plausibleGoFunc reports whether g works as the go:func.* base: read
// relative to it, the inline trees of up to 20 functions must name real
// functions (at the start of a name) and call sites inside the caller
// whose own inline index is the entry's parent, which precedes it. With
// no inline tree to check, any g is plausible.
func (t *Table) plausibleGoFunc(mem Memory, g uint64) bool {
	if t.Version < Ver118 {
		return true
	}
	saved, savedBase := t.mem, t.goFunc
	defer func() { t.mem, t.goFunc = saved, savedBase }()
	t.mem, t.goFunc = mem, g
	checked := 0
	for i := 0; i < t.nfunc && checked < 20; i++ {
		f, err := t.Func(i)
		if err != nil {
			return false
		}
		if _, ok := t.funcdataSlot(f, funcdataInlTree); !ok {
			continue
		}
		if !t.treeConsistent(f) {
			return false
		}
		checked++
	}
	return true
}

// treeConsistent checks every inline tree entry f's code refers to.
func (t *Table) treeConsistent(f Func) bool {
	tab := t.pcdataTable(f, pcdataInlTreeIndex)
	it := t.newIter(tab, f.Entry)
	seen := map[int32]bool{}
	for it.next() && len(seen) < 64 {
		ix := it.val
		if ix < 0 || seen[ix] {
			continue
		}
		seen[ix] = true
		name, parent, err := t.inlinedCall(f, ix)
		if err != nil || name == "" || parent >= f.End-f.Entry {
			return false
		}
		if off := t.nameOffAt(f, ix); off > 0 && t.funcnametab[off-1] != 0 {
			return false
		}
		if p := t.pcvalue(tab, f.Entry, f.Entry+parent); p >= ix {
			return false
		}
	}
	return it.err == nil
}

// nameOffAt returns the name offset of inline tree entry ix of f, or 0.
func (t *Table) nameOffAt(f Func, ix int32) uint32 {
	slot, _ := t.funcdataSlot(f, funcdataInlTree)
	size, nameAt := uint64(20), 12
	if t.Version >= Ver120 {
		size, nameAt = 16, 4
	}
	b, err := t.mem.ReadVA(t.goFunc+slot+uint64(ix)*size, size)
	if err != nil {
		return 0
	}
	return t.ByteOrder.Uint32(b[nameAt:])
}
