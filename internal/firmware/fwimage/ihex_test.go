package fwimage

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

// readHex decodes Intel HEX strictly: checksums, record types, and the
// end record last. It returns the memory it describes and the entry.
func readHex(t *testing.T, text string) (map[uint64]byte, uint32) {
	t.Helper()
	mem := map[uint64]byte{}
	var upper uint64
	var entry uint32
	sawEOF := false
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		if sawEOF {
			t.Fatalf("record after EOF: %q", line)
		}
		if !strings.HasPrefix(line, ":") || strings.ToUpper(line) != line {
			t.Fatalf("bad record %q", line)
		}
		raw, err := hex.DecodeString(line[1:])
		if err != nil || len(raw) < 5 || int(raw[0]) != len(raw)-5 {
			t.Fatalf("bad record %q: %v", line, err)
		}
		var sum byte
		for _, b := range raw {
			sum += b
		}
		if sum != 0 {
			t.Fatalf("bad checksum in %q", line)
		}
		addr, data := uint64(raw[1])<<8|uint64(raw[2]), raw[4:len(raw)-1]
		switch raw[3] {
		case hexData:
			if addr+uint64(len(data)) > 0x10000 {
				t.Fatalf("record crosses a 64 KiB boundary: %q", line)
			}
			for i, b := range data {
				mem[upper+addr+uint64(i)] = b
			}
		case hexExtLinear:
			upper = (uint64(data[0])<<8 | uint64(data[1])) << 16
		case hexStartLinear:
			entry = uint32(data[0])<<24 | uint32(data[1])<<16 | uint32(data[2])<<8 | uint32(data[3])
		case hexEOF:
			sawEOF = true
		default:
			t.Fatalf("unexpected record type in %q", line)
		}
	}
	if !sawEOF {
		t.Fatal("no EOF record")
	}
	return mem, entry
}

func TestWriteHex(t *testing.T) {
	seq := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i*7 + 3)
		}
		return b
	}
	im := &Image{Entry: 0x0800fff1, Chunks: []Chunk{
		{Addr: 0x0800fff0, Data: seq(37)}, // crosses 0x08010000
		{Addr: 0x08020000, Data: seq(1)},
		{Addr: 0x00000000, Data: seq(16)}, // goes back below: a new 04 record
	}}
	var buf bytes.Buffer
	if err := WriteHex(&buf, im); err != nil {
		t.Fatal(err)
	}
	mem, entry := readHex(t, buf.String())
	if entry != 0x0800fff1 {
		t.Errorf("entry %#x", entry)
	}
	n := 0
	for _, c := range im.Chunks {
		for i, b := range c.Data {
			if got, ok := mem[c.Addr+uint64(i)]; !ok || got != b {
				t.Fatalf("byte at %#x = %#x (%v), want %#x", c.Addr+uint64(i), got, ok, b)
			}
			n++
		}
	}
	if len(mem) != n {
		t.Errorf("hex holds %d bytes, want %d", len(mem), n)
	}
	// The known first record of a hand-checked image.
	buf.Reset()
	WriteHex(&buf, &Image{Chunks: []Chunk{{Addr: 0, Data: []byte{0x00, 0x50, 0x00, 0x20}}}})
	want := ":020000040000FA\n:04000000005000208C\n:0400000500000000F7\n:00000001FF\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
	if err := WriteHex(&buf, &Image{Chunks: []Chunk{{Addr: 0xfffffff0, Data: seq(17)}}}); err == nil {
		t.Error("an image past 4 GiB was written")
	}
}
