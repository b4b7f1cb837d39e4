package fwimage

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"
)

// testMap is the shape of GNU ld's map file (binutils 2.40), trimmed.
const testMap = `Archive member included to satisfy reference by file (symbol)

/usr/lib/arm-none-eabi/lib/thumb/v7-m/nofp/libc.a(lib_a-memcpy.o)
                              main.o (memcpy)

Discarded input sections

 .text          0x00000000        0x0 build/obj/startup.o
 .text.unused   0x00000000       0x40 build/obj/main.o

Memory Configuration

Name             Origin             Length             Attributes
FLASH            0x00000000         0x00040000         xr
*default*        0x00000000         0xffffffff

Linker script and memory map

LOAD build/obj/startup.o
LOAD build/obj/main.o

.isr_vector     0x00000000       0x40
 *(.isr_vector)
 .isr_vector    0x00000000       0x40 build/obj/startup.o
                0x00000000                vector_table

.text           0x00000040       0x9c
                0x00000040                . = ALIGN (0x4)
 *(.text .text.*)
 .text          0x00000040        0x0 build/obj/main.o
 .text.Reset_Handler
                0x00000040       0x3c build/obj/startup.o
                0x00000040                Reset_Handler
 .text.main     0x0000007c       0x10 build/obj/main.o
 .text          0x0000008c       0x4c /usr/lib/arm-none-eabi/lib/thumb/v7-m/nofp/libc.a(lib_a-memcpy.o)
 *fill*         0x000000d8        0x4 

.data           0x20000000        0x4 load address 0x000000dc
 .data.answer   0x20000000        0x4 build/obj/main.o

.bss            0x20000004        0x8
 COMMON         0x20000004        0x8 build/obj/main.o
OUTPUT(build/firmware.elf elf32-littlearm)

.debug_info     0x00000000      0x44e
 .debug_info    0x00000000      0x1b2 build/obj/main.o
`

func TestParseMap(t *testing.T) {
	got, err := ParseMap(strings.NewReader(testMap))
	if err != nil {
		t.Fatal(err)
	}
	want := MapContributions{
		".isr_vector": {"startup.o": 0x40},
		".text":       {"startup.o": 0x3c, "main.o": 0x10, "libc.a(lib_a-memcpy.o)": 0x4c},
		".data":       {"main.o": 4},
		".bss":        {"main.o": 8},
		".debug_info": {"main.o": 0x1b2},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

func FuzzParseMap(f *testing.F) {
	f.Add(testMap)
	f.Add("Linker script and memory map\n \n.x\n .y\n")
	f.Fuzz(func(t *testing.T, s string) {
		ParseMap(strings.NewReader(s))
	})
}

// FuzzReadImage feeds ELF bytes to ReadImage and everything that uses the
// image: a hostile file must give an error, never a panic or a huge
// allocation.
func FuzzReadImage(f *testing.F) {
	f.Add([]byte("\x7fELF\x01\x01\x01\x00"))
	if seed, err := os.ReadFile("testdata/hello-lm3s6965evb.elf"); err == nil {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		im, err := ReadImage(bytes.NewReader(data))
		if err != nil {
			return
		}
		Check(im, testBoard)
		Sizes(im, testBoard, nil)
		if bin, err := im.Binary(); err == nil && len(bin) > maxImage {
			t.Fatal("binary larger than the bound")
		}
		var buf bytes.Buffer
		WriteHex(&buf, im)
	})
}
