package fwimage

import (
	"bufio"
	"fmt"
	"io"
)

// Intel HEX record types.
const (
	hexData        = 0x00
	hexEOF         = 0x01
	hexExtLinear   = 0x04
	hexStartLinear = 0x05
)

// WriteHex writes the image's loaded bytes as Intel HEX (I32HEX): data
// records of up to 16 bytes that never cross a 64 KiB boundary, an
// extended linear address record whenever the upper half of the address
// changes, the entry point as a start linear address, and the end
// record. Flash programmers read it; so does objcopy -I ihex.
func WriteHex(w io.Writer, im *Image) error {
	bw := bufio.NewWriter(w)
	upper := -1
	for _, c := range im.Chunks {
		if c.Addr+uint64(len(c.Data)) > 1<<32 {
			return fmt.Errorf("section at 0x%x does not fit 32-bit Intel HEX", c.Addr)
		}
		for off := 0; off < len(c.Data); {
			addr := c.Addr + uint64(off)
			if int(addr>>16) != upper {
				upper = int(addr >> 16)
				writeRecord(bw, hexExtLinear, 0, []byte{byte(upper >> 8), byte(upper)})
			}
			n := min(16, len(c.Data)-off, int(0x10000-addr&0xffff))
			writeRecord(bw, hexData, uint16(addr), c.Data[off:off+n])
			off += n
		}
	}
	e := uint32(im.Entry)
	writeRecord(bw, hexStartLinear, 0, []byte{byte(e >> 24), byte(e >> 16), byte(e >> 8), byte(e)})
	writeRecord(bw, hexEOF, 0, nil)
	return bw.Flush()
}

const hexDigits = "0123456789ABCDEF"

// writeRecord writes ":LLAAAATT<data>CC": the checksum makes the sum of
// all the record's bytes zero modulo 256.
func writeRecord(w *bufio.Writer, typ byte, addr uint16, data []byte) {
	sum := byte(len(data)) + byte(addr>>8) + byte(addr) + typ
	fmt.Fprintf(w, ":%02X%04X%02X", len(data), addr, typ)
	for _, b := range data {
		w.WriteByte(hexDigits[b>>4])
		w.WriteByte(hexDigits[b&15])
		sum += b
	}
	fmt.Fprintf(w, "%02X\n", byte(-sum))
}
