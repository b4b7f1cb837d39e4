package fwimage

import (
	"encoding/binary"
	"strings"
	"testing"
)

var testBoard = Memory{Flash: Region{0x08000000, 0x10000}, RAM: Region{0x20000000, 0x5000}}

// testImage builds an image whose vector table holds words, with a .text
// after it and a .data of 8 bytes loaded at dataLoad and running in RAM.
func testImage(words []uint32, dataLoad uint64) *Image {
	vt := make([]byte, 4*len(words))
	for i, w := range words {
		binary.LittleEndian.PutUint32(vt[4*i:], w)
	}
	org := testBoard.Flash.Origin
	return &Image{
		Sections: []Section{
			{Name: ".isr_vector", Addr: org, LoadAddr: org, Size: uint64(len(vt)), Alloc: true, Contents: true},
			{Name: ".text", Addr: org + 0x100, LoadAddr: org + 0x100, Size: 0x100, Alloc: true, Contents: true},
			{Name: ".data", Addr: 0x20000000, LoadAddr: dataLoad, Size: 8, Alloc: true, Contents: true, Writable: true},
			{Name: ".bss", Addr: 0x20000008, LoadAddr: 0x20000008, Size: 16, Alloc: true, Writable: true},
			{Name: ".comment", Size: 30},
		},
		Chunks: []Chunk{{Addr: org, Data: vt}, {Addr: org + 0x100, Data: make([]byte, 0x100)}, {Addr: dataLoad, Data: make([]byte, 8)}},
	}
}

func TestCheck(t *testing.T) {
	const reset, nmi = 0x08000101, 0x08000111
	good := []uint32{0x20005000, reset, nmi, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	with := func(i int, v uint32) []uint32 {
		w := append([]uint32(nil), good...)
		w[i] = v
		return w
	}
	for _, tc := range []struct {
		name     string
		words    []uint32
		dataLoad uint64
		want     []string // "check: message part"
	}{
		{"good", good, 0x08000200, nil},
		{"reset without Thumb bit", with(1, reset-1), 0x08000200, []string{"reset-vector: reset vector 0x08000100 lacks the Thumb bit"}},
		{"reset outside Flash", with(1, 0x00000101), 0x08000200, []string{"reset-vector: reset vector 0x00000101 points outside Flash"}},
		{"SP outside RAM", with(0, 0x30000000), 0x08000200, []string{"stack-pointer: initial stack pointer 0x30000000 is outside RAM"}},
		{"SP one past the top of RAM", with(0, 0x20005008), 0x08000200, []string{"stack-pointer: initial stack pointer 0x20005008 is outside RAM"}},
		{"SP at the bottom of RAM", with(0, 0x20000000), 0x08000200, []string{"stack-pointer: initial stack pointer 0x20000000 is outside RAM"}},
		{"SP misaligned", with(0, 0x20004ffc), 0x08000200, []string{"stack-pointer: initial stack pointer 0x20004ffc is not 8-byte aligned"}},
		{"NMI without Thumb bit", with(2, nmi-1), 0x08000200, []string{"vector: vector 2 (NMI) 0x08000110 lacks the Thumb bit"}},
		{"IRQ outside Flash", append(append([]uint32(nil), good...), 0x20000001), 0x08000200, []string{"vector: vector 16 (IRQ0) 0x20000001 points outside Flash"}},
		{".data without a load address in Flash", good, 0x20000000, []string{"data-load: .data loads at 0x20000000, outside Flash"}},
		{"no vector table", good[:1], 0x08000200, []string{"vector-table: no vector table at the start of Flash"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			probs := Check(testImage(tc.words, tc.dataLoad), testBoard)
			if len(probs) != len(tc.want) {
				t.Fatalf("got %v, want %v", probs, tc.want)
			}
			for i, p := range probs {
				if got := p.Check + ": " + p.Message; !strings.HasPrefix(got, tc.want[i]) {
					t.Errorf("got %q, want it to start with %q", got, tc.want[i])
				}
			}
		})
	}
}

func TestSizesOverflow(t *testing.T) {
	im := testImage([]uint32{0x20005000, 0x08000101}, 0x08000200)
	b := testBoard
	rep := Sizes(im, b, MapContributions{".text": {"main.o": 0xf0, "libc.a(memcpy.o)": 0x10}, ".bss": {"main.o": 16}, ".debug_info": {"main.o": 99}})
	if rep.Flash.Used != 0x208 || rep.RAM.Used != 0x18 {
		t.Fatalf("used Flash %#x RAM %#x, want 0x208 and 0x18", rep.Flash.Used, rep.RAM.Used)
	}
	if len(rep.Objects) != 2 || rep.Objects[0] != (ObjectUse{"main.o", 0xf0, 16}) {
		t.Errorf("objects = %+v", rep.Objects)
	}
	for _, tc := range []struct {
		size uint64
		want string
	}{{0x208, ""}, {0x207, "Flash overflowed by 1 byte: the firmware needs 520 bytes, test has 519"}, {0x200, "Flash overflowed by 8 bytes"}} {
		b.Flash.Size = tc.size
		probs := Sizes(im, b, nil).Overflows("test")
		got := ""
		if len(probs) > 0 {
			got = probs[0].Message
		}
		if !strings.HasPrefix(got, tc.want) || (tc.want == "") != (got == "") {
			t.Errorf("Flash of %d bytes: %q, want %q", tc.size, got, tc.want)
		}
	}
}
