package pclntab

import "fmt"

// pcIter walks a PC-value table: a sequence of (value delta, pc delta)
// varint pairs, ending with a zero value delta after the first pair.
type pcIter struct {
	t     *Table
	p     []byte
	pc    uint64 // end of the current range
	start uint64 // start of the current range
	val   int32
	first bool
	err   error
}

func (t *Table) newIter(off uint32, entry uint64) pcIter {
	it := pcIter{t: t, pc: entry, val: -1, first: true}
	if uint64(off) >= uint64(len(t.pctab)) {
		it.err = fmt.Errorf("pc-value table offset %#x out of range", off)
		return it
	}
	it.p = t.pctab[off:]
	return it
}

// next advances to the next range [start, pc) with value val; it reports
// false at the end of the table or on malformed data (it.err).
func (it *pcIter) next() bool {
	if it.err != nil {
		return false
	}
	uv, ok := it.varint()
	if !ok || (uv == 0 && !it.first) {
		return false
	}
	it.first = false
	if uv&1 != 0 {
		uv = ^(uv >> 1)
	} else {
		uv >>= 1
	}
	pcd, ok := it.varint()
	if !ok {
		return false
	}
	it.start = it.pc
	it.pc += uint64(pcd) * uint64(it.t.Quantum)
	it.val += int32(uv)
	return true
}

func (it *pcIter) varint() (uint32, bool) {
	var v uint32
	for shift := uint(0); shift < 35; shift += 7 {
		if len(it.p) == 0 {
			it.err = fmt.Errorf("pc-value table truncated")
			return 0, false
		}
		b := it.p[0]
		it.p = it.p[1:]
		v |= uint32(b&0x7f) << shift
		if b&0x80 == 0 {
			return v, true
		}
	}
	it.err = fmt.Errorf("pc-value table: varint too long")
	return 0, false
}

// pcvalue returns the value of table off at pc for a function at entry,
// or -1.
func (t *Table) pcvalue(off uint32, entry, pc uint64) int32 {
	if off == 0 {
		return -1
	}
	it := t.newIter(off, entry)
	for it.next() {
		if pc < it.pc {
			return it.val
		}
	}
	return -1
}

// tableLen returns how many bytes table off occupies: pairs of varints up
// to a zero value delta, which it finds without decoding them.
func (t *Table) tableLen(off uint32) int {
	if off == 0 || uint64(off) >= uint64(len(t.pctab)) {
		return 0
	}
	p := t.pctab[off:]
	i := 0
	skip := func() bool { // one varint; false if truncated
		for ; i < len(p); i++ {
			if p[i] < 0x80 {
				i++
				return true
			}
		}
		return false
	}
	for first := true; ; first = false {
		if i < len(p) && p[i] == 0 && !first {
			return i + 1
		}
		if !skip() || !skip() {
			return 0
		}
	}
}

// PCLine returns the file and line of the instruction at pc in f: the
// innermost position, inside any inlined call.
func (t *Table) PCLine(f Func, pc uint64) (file string, line int, err error) {
	fno := t.pcvalue(f.field(t, 5), f.Entry, pc)
	ln := t.pcvalue(f.field(t, 6), f.Entry, pc)
	if fno < 0 || ln < 0 {
		return "", 0, fmt.Errorf("%s: no line information at %#x", f.Name, pc)
	}
	file, err = t.fileName(f, fno)
	return file, int(ln), err
}

// fileName maps a pcfile value of f to a file name.
func (t *Table) fileName(f Func, fno int32) (string, error) {
	if fno < 0 {
		return "", fmt.Errorf("negative file index %d", fno)
	}
	if t.Version == Ver12 {
		i := uint64(fno) * 4
		if i+4 > uint64(len(t.filetab)) {
			return "", fmt.Errorf("file index %d out of range", fno)
		}
		return cString(t.data, uint64(t.ByteOrder.Uint32(t.filetab[i:])), "file name")
	}
	i := (uint64(f.field(t, 8)) + uint64(fno)) * 4
	if i+4 > uint64(len(t.cutab)) {
		return "", fmt.Errorf("file index %d out of range", fno)
	}
	off := t.ByteOrder.Uint32(t.cutab[i:])
	if off == ^uint32(0) {
		return "", nil
	}
	return cString(t.filetab, uint64(off), "file name")
}

// Files returns the file table in table order.
func (t *Table) Files() ([]string, error) {
	var out []string
	if t.Version == Ver12 {
		for i := 1; i < t.NumFiles; i++ {
			s, err := cString(t.data, uint64(t.ByteOrder.Uint32(t.filetab[i*4:])), "file name")
			if err != nil {
				return out, err
			}
			out = append(out, s)
		}
		return out, nil
	}
	off := uint64(0)
	for i := 0; i < t.NumFiles && off < uint64(len(t.filetab)); i++ {
		s, err := cString(t.filetab, off, "file name")
		if err != nil {
			return out, err
		}
		out = append(out, s)
		off += uint64(len(s)) + 1
	}
	return out, nil
}

// A Range is a run of instructions [Start, End) sharing a position.
type Range struct {
	Start, End uint64
	File       string
	Line       int
}

// LineRanges returns f's instruction ranges with their innermost file
// and line, in address order.
func (t *Table) LineRanges(f Func) ([]Range, error) {
	lines := t.newIter(f.field(t, 6), f.Entry)
	var out []Range
	for lines.next() {
		if lines.start >= f.End {
			break
		}
		fno := t.pcvalue(f.field(t, 5), f.Entry, lines.start)
		file, err := t.fileName(f, fno)
		if err != nil {
			return out, fmt.Errorf("%s: %w", f.Name, err)
		}
		out = append(out, Range{Start: lines.start, End: min(lines.pc, f.End), File: file, Line: int(lines.val)})
	}
	return out, lines.err
}

// Seen records which PC-value tables MetadataSize has counted.
type Seen struct{ bits []uint64 }

// NewSeen returns an empty Seen for t.
func (t *Table) NewSeen() *Seen { return &Seen{bits: make([]uint64, len(t.pctab)/64+1)} }

// mark reports whether off was already marked, and marks it.
func (s *Seen) mark(off uint32) bool {
	i, b := off/64, uint64(1)<<(off%64)
	if int(i) >= len(s.bits) {
		return true
	}
	was := s.bits[i]&b != 0
	s.bits[i] |= b
	return was
}

// MetadataSize returns the bytes of the table that belong to f alone: its
// record, name and the PC-value tables it references (tables shared with
// earlier functions, as recorded in seen, count once).
func (t *Table) MetadataSize(f Func, seen *Seen) int {
	n := t.RecordSize(f) + t.NameSize(f)
	offs := []uint32{f.field(t, 4), f.field(t, 5), f.field(t, 6)}
	if t.Version >= Ver116 {
		offs = append(offs, t.pcdataOffsets(f)...)
	}
	for _, off := range offs {
		if off == 0 || seen.mark(off) {
			continue
		}
		n += t.tableLen(off)
	}
	return n
}
