package pclntab

import (
	"encoding/binary"
	"testing"
)

// synthFunc describes one function of a synthetic table.
type synthFunc struct {
	name  string
	entry uint64 // offset from the text start
	size  uint64
	// lines maps successive pc ranges (in bytes) to lines; all in file 0.
	ranges []synthRange
	// inl is the inline tree index of each range (nil: no inlining), and
	// tree the function's inline tree (Go 1.16+ tables only).
	inl  []int32
	tree []synthInl
}

// synthInl is one inlined call: the callee's name and the call site's
// offset from the caller's entry.
type synthInl struct {
	name     string
	parentPC uint32
}

// synthTreeBase is where synthetic inline trees are "mapped" (treeMem).
const synthTreeBase = 0x9000

type synthRange struct {
	size uint64
	file int
	line int
}

// encodePCValue encodes (value, size) runs as a PC-value table, merging
// equal neighbours as the linker does (a zero delta ends the table).
func encodePCValue(vals []int32, sizes []uint64, quantum uint64) []byte {
	var mv []int32
	var ms []uint64
	for i, v := range vals {
		if len(mv) > 0 && mv[len(mv)-1] == v {
			ms[len(ms)-1] += sizes[i]
			continue
		}
		mv, ms = append(mv, v), append(ms, sizes[i])
	}
	vals, sizes = mv, ms
	var out []byte
	prev := int32(-1)
	for i, v := range vals {
		d := v - prev
		var u uint32
		if d < 0 {
			u = uint32(^d)<<1 | 1
		} else {
			u = uint32(d) << 1
		}
		out = binary.AppendUvarint(out, uint64(u))
		out = binary.AppendUvarint(out, sizes[i]/quantum)
		prev = v
	}
	return append(out, 0)
}

// synthTable builds a table of the given version with the files and
// functions given, text starting at textStart.
func synthTable(v Version, ptrSize int, order binary.ByteOrder, textStart uint64, files []string, funcs []synthFunc) []byte {
	w := &synthWriter{order: order, ps: ptrSize}
	magic := map[Version]uint32{Ver12: Magic12, Ver116: Magic116, Ver118: Magic118, Ver120: Magic120}[v]
	w.u32(magic)
	w.b = append(w.b, 0, 0, 1, byte(ptrSize))
	if v == Ver12 {
		return w.table12(textStart, files, funcs)
	}
	return w.table116(v, textStart, files, funcs)
}

type synthWriter struct {
	b     []byte
	order binary.ByteOrder
	ps    int
}

func (w *synthWriter) u32(x uint32) {
	w.b = append(w.b, 0, 0, 0, 0)
	w.order.PutUint32(w.b[len(w.b)-4:], x)
}
func (w *synthWriter) uptr(x uint64) {
	if w.ps == 4 {
		w.u32(uint32(x))
	} else {
		w.b = append(w.b, make([]byte, 8)...)
		w.order.PutUint64(w.b[len(w.b)-8:], x)
	}
}
func (w *synthWriter) putU32(at int, x uint32) { w.order.PutUint32(w.b[at:], x) }
func (w *synthWriter) putPtr(at int, x uint64) {
	if w.ps == 4 {
		w.order.PutUint32(w.b[at:], uint32(x))
	} else {
		w.order.PutUint64(w.b[at:], x)
	}
}

// pcTables appends f's pcfile and pcln tables to pctab, returning offsets.
func pcTables(pctab []byte, f synthFunc, fileBase int) ([]byte, uint32, uint32) {
	var fv, lv []int32
	var sizes []uint64
	for _, r := range f.ranges {
		fv = append(fv, int32(r.file+fileBase))
		lv = append(lv, int32(r.line))
		sizes = append(sizes, r.size)
	}
	fileOff := uint32(len(pctab))
	pctab = append(pctab, encodePCValue(fv, sizes, 1)...)
	lineOff := uint32(len(pctab))
	pctab = append(pctab, encodePCValue(lv, sizes, 1)...)
	return pctab, fileOff, lineOff
}

func (w *synthWriter) table12(textStart uint64, files []string, funcs []synthFunc) []byte {
	ps := w.ps
	w.uptr(uint64(len(funcs)))
	ftab := len(w.b)
	w.b = append(w.b, make([]byte, (2*len(funcs)+1)*ps+4)...)
	for i, f := range funcs {
		w.putPtr(ftab+2*i*ps, textStart+f.entry)
		// The record comes right here; name and tables after it.
		w.putPtr(ftab+(2*i+1)*ps, uint64(len(w.b)))
		rec := len(w.b)
		w.b = append(w.b, make([]byte, ps+8*4)...)
		w.putPtr(rec, textStart+f.entry)
		w.putU32(rec+ps, uint32(len(w.b)))
		w.b = append(w.b, f.name+"\x00"...)
		var fo, lo uint32
		var tabs []byte
		tabs, fo, lo = pcTables(nil, f, 1)
		w.putU32(rec+ps+4*4, fo+uint32(len(w.b)))
		w.putU32(rec+ps+5*4, lo+uint32(len(w.b)))
		w.b = append(w.b, tabs...)
	}
	last := funcs[len(funcs)-1]
	w.putPtr(ftab+2*len(funcs)*ps, textStart+last.entry+last.size)
	w.putU32(ftab+(2*len(funcs)+1)*ps, uint32(len(w.b)))
	ft := len(w.b)
	w.u32(uint32(len(files) + 1))
	w.b = append(w.b, make([]byte, 4*len(files))...)
	for i, name := range files {
		w.putU32(ft+4*(i+1), uint32(len(w.b)))
		w.b = append(w.b, name+"\x00"...)
	}
	return w.b
}

func (w *synthWriter) table116(v Version, textStart uint64, files []string, funcs []synthFunc) []byte {
	ps := w.ps
	hdr := len(w.b)
	nwords := 7
	if v >= Ver118 {
		nwords = 8
	}
	w.b = append(w.b, make([]byte, nwords*ps)...)
	word := func(i int, x uint64) { w.putPtr(hdr+i*ps, x) }
	word(0, uint64(len(funcs)))
	word(1, uint64(len(files)))
	off := 2
	if v >= Ver118 {
		word(2, textStart)
		off = 3
	}
	// funcname table
	word(off, uint64(len(w.b)))
	nameOff := map[string]uint32{}
	base := len(w.b)
	for _, f := range funcs {
		nameOff[f.name] = uint32(len(w.b) - base)
		w.b = append(w.b, f.name+"\x00"...)
		for _, c := range f.tree {
			nameOff[c.name] = uint32(len(w.b) - base)
			w.b = append(w.b, c.name+"\x00"...)
		}
	}
	// cutab: one CU with every file, then the file table
	word(off+1, uint64(len(w.b)))
	fileOffs, ftab := []uint32{}, []byte{}
	for _, name := range files {
		fileOffs = append(fileOffs, uint32(len(ftab)))
		ftab = append(ftab, name+"\x00"...)
	}
	for _, o := range fileOffs {
		w.u32(o)
	}
	word(off+2, uint64(len(w.b)))
	w.b = append(w.b, ftab...)
	// pctab: offset 0 is reserved (means "no table")
	word(off+3, uint64(len(w.b)))
	pctab := []byte{0}
	type offs struct{ file, line, inl uint32 }
	var tabs []offs
	for _, f := range funcs {
		var fo, lo, io uint32
		pctab, fo, lo = pcTables(pctab, f, 0)
		if f.inl != nil {
			var sizes []uint64
			for _, r := range f.ranges {
				sizes = append(sizes, r.size)
			}
			io = uint32(len(pctab))
			pctab = append(pctab, encodePCValue(f.inl, sizes, 1)...)
		}
		tabs = append(tabs, offs{fo, lo, io})
	}
	w.b = append(w.b, pctab...)
	for len(w.b)%8 != 0 {
		w.b = append(w.b, 0)
	}
	// functab and records
	word(off+4, uint64(len(w.b)))
	pcln := len(w.b)
	ent := ps
	if v >= Ver118 {
		ent = 4
	}
	put := func(at int, x uint64) {
		if ent == 4 {
			w.putU32(at, uint32(x))
		} else {
			w.putPtr(at, x)
		}
	}
	entry := func(f synthFunc) uint64 {
		if v >= Ver118 {
			return f.entry
		}
		return textStart + f.entry
	}
	w.b = append(w.b, make([]byte, (2*len(funcs)+1)*ent)...)
	for len(w.b)%8 != 0 {
		w.b = append(w.b, 0)
	}
	for i, f := range funcs {
		put(pcln+2*i*ent, entry(f))
		put(pcln+(2*i+1)*ent, uint64(len(w.b)-pcln))
		rec := len(w.b)
		fixed := map[Version]int{Ver116: ps + 9*4, Ver118: 40, Ver120: 44}[v]
		w.b = append(w.b, make([]byte, fixed)...)
		put(rec, entry(f))
		fo := rec + ent
		w.putU32(fo, nameOff[f.name])
		w.putU32(fo+4*4, tabs[i].file)
		w.putU32(fo+5*4, tabs[i].line)
		if f.tree != nil {
			w.putU32(fo+6*4, 3)  // npcdata
			w.b[rec+fixed-1] = 4 // nfuncdata
			w.u32(0)
			w.u32(0)
			w.u32(tabs[i].inl)
			w.funcdata(v, synthTreeBase)
		}
		for len(w.b)%8 != 0 {
			w.b = append(w.b, 0)
		}
	}
	last := funcs[len(funcs)-1]
	put(pcln+2*len(funcs)*ent, entry(last)+last.size)
	return w.b
}

// funcdata appends four funcdata slots, the inline tree's in slot 3:
// absolute pointers (aligned) in 1.16 tables, offsets from go:func.*
// (here synthTreeBase, the tree at offset 0) after.
func (w *synthWriter) funcdata(v Version, tree uint64) {
	if v == Ver116 {
		for w.ps == 8 && len(w.b)%8 != 0 {
			w.b = append(w.b, 0)
		}
		w.uptr(0)
		w.uptr(0)
		w.uptr(0)
		w.uptr(tree)
		return
	}
	w.u32(^uint32(0))
	w.u32(^uint32(0))
	w.u32(^uint32(0))
	w.u32(0)
}

// treeMem encodes f's inline tree in v's entry layout, at synthTreeBase.
func treeMem(v Version, order binary.ByteOrder, table []byte, f synthFunc) sliceMemory {
	tab, _ := Parse(table, 0)
	var b []byte
	for _, c := range f.tree {
		nameOff := uint32(0)
		for off := 0; off < len(tab.funcnametab); off++ {
			if n, _ := cString(tab.funcnametab, uint64(off), ""); n == c.name && (off == 0 || tab.funcnametab[off-1] == 0) {
				nameOff = uint32(off)
				break
			}
		}
		e := make([]byte, 20)
		if v >= Ver120 {
			e = make([]byte, 16)
			order.PutUint32(e[4:], nameOff)
			order.PutUint32(e[8:], c.parentPC)
		} else {
			order.PutUint16(e[0:], 0xffff)
			order.PutUint32(e[12:], nameOff)
			order.PutUint32(e[16:], c.parentPC)
		}
		b = append(b, e...)
	}
	return sliceMemory{synthTreeBase, b}
}

var synthFiles = []string{"/src/a.go", "/src/b.go"}
var synthFuncs = []synthFunc{
	{name: "main.alpha", entry: 0, size: 0x20, ranges: []synthRange{{0x10, 0, 3}, {0x10, 0, 5}}},
	{name: "main.beta", entry: 0x20, size: 0x30, ranges: []synthRange{{0x8, 1, 10}, {0x18, 0, 7}, {0x10, 1, 12}},
		inl: []int32{-1, 0, -1}, tree: []synthInl{{"main.inlined", 0x28}}},
}

// TestSyntheticInline expands a PC inside an inlined call in synthetic
// Go 1.16, 1.18 and 1.20 tables: the 1.16 funcdata is an aligned absolute
// pointer, the later ones offsets from go:func.*.
func TestSyntheticInline(t *testing.T) {
	const text = 0x401000
	for _, v := range []Version{Ver116, Ver118, Ver120} {
		for _, ps := range []int{4, 8} {
			for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
				data := synthTable(v, ps, order, text, synthFiles, synthFuncs)
				tab, err := Parse(data, 0)
				if err != nil {
					t.Fatal(err)
				}
				tab.SetInlineSource(treeMem(v, order, data, synthFuncs[1]), synthTreeBase)
				frames, err := tab.Frames(text + 0x30)
				want := []Frame{
					{Func: "main.inlined", File: "/src/a.go", Line: 7, Inlined: true, PC: text + 0x30},
					{Func: "main.beta", File: "/src/b.go", Line: 12, PC: text + 0x48},
				}
				if err != nil || len(frames) != 2 || frames[0] != want[0] || frames[1] != want[1] {
					t.Errorf("%v/%d/%v: frames %+v, %v", v, ps, order, frames, err)
				}
				if !tab.plausibleGoFunc(tab.mem, synthTreeBase) {
					t.Errorf("%v/%d/%v: real tree base not plausible", v, ps, order)
				}
			}
		}
	}
}

// TestSynthetic decodes synthetic tables of all four formats, both byte
// orders and pointer sizes: Go 1.2-1.17 toolchains are not available to
// build real binaries with the two older formats.
func TestSynthetic(t *testing.T) {
	const text = 0x401000
	for _, v := range []Version{Ver12, Ver116, Ver118, Ver120} {
		for _, ps := range []int{4, 8} {
			for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
				data := synthTable(v, ps, order, text, synthFiles, synthFuncs)
				tab, err := Parse(data, 0)
				if err != nil {
					t.Fatalf("%v/%d/%v: %v", v, ps, order, err)
				}
				checkSynth(t, tab, v)
			}
		}
	}
}

func checkSynth(t *testing.T, tab *Table, v Version) {
	t.Helper()
	const text = 0x401000
	if tab.Version != v || tab.NumFuncs() != 2 {
		t.Fatalf("version %v, %d funcs", tab.Version, tab.NumFuncs())
	}
	want := []struct {
		pc   uint64
		fn   string
		file string
		line int
	}{
		{text, "main.alpha", "/src/a.go", 3},
		{text + 0x1f, "main.alpha", "/src/a.go", 5},
		{text + 0x20, "main.beta", "/src/b.go", 10},
		{text + 0x28, "main.beta", "/src/a.go", 7},
		{text + 0x4f, "main.beta", "/src/b.go", 12},
	}
	for _, w := range want {
		f, err := tab.FuncAt(w.pc)
		if err != nil {
			t.Fatalf("%v: FuncAt(%#x): %v", v, w.pc, err)
		}
		file, line, err := tab.PCLine(f, w.pc)
		if err != nil || f.Name != w.fn || file != w.file || line != w.line {
			t.Errorf("%v: %#x: got %s %s:%d (%v), want %s %s:%d", v, w.pc, f.Name, file, line, err, w.fn, w.file, w.line)
		}
	}
	if _, err := tab.FuncAt(text + 0x50); err == nil {
		t.Errorf("%v: FuncAt past the end found a function", v)
	}
	files, err := tab.Files()
	if err != nil || len(files) != 2 || files[0] != "/src/a.go" || files[1] != "/src/b.go" {
		t.Errorf("%v: files %q, %v", v, files, err)
	}
	f, _ := tab.Func(1)
	rs, err := tab.LineRanges(f)
	if err != nil || len(rs) != 3 || rs[1].Line != 7 || rs[1].Start != text+0x28 {
		t.Errorf("%v: ranges %+v, %v", v, rs, err)
	}
}
