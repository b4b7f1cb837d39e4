package fwimage

import (
	"bufio"
	"io"
	"path/filepath"
	"strconv"
	"strings"
)

// MapContributions maps an output section to the bytes each object file
// (or archive member, "libc.a(memcpy.o)") put in it.
type MapContributions map[string]map[string]uint64

// ParseMap reads a GNU ld map file (-Wl,-Map) and adds up the input
// sections of the memory map by output section and object file. Input
// sections the linker discarded (--gc-sections) are listed before the
// memory map and not counted.
func ParseMap(r io.Reader) (MapContributions, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	out := MapContributions{}
	inMap := false
	output := ""     // the output section being listed
	pending := false // an input section name whose address is on the next line
	for sc.Scan() {
		line := sc.Text()
		if !inMap {
			inMap = strings.HasPrefix(line, "Linker script and memory map")
			continue
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if line[0] != ' ' {
			// An output section, or a directive (LOAD, OUTPUT, ...).
			output, pending = "", false
			if strings.HasPrefix(f[0], ".") {
				output = f[0]
			}
			continue
		}
		if output == "" {
			continue
		}
		if line[1] != ' ' && strings.HasPrefix(f[0], ".") || f[0] == "COMMON" {
			if len(f) == 1 {
				pending = true
				continue
			}
			f = f[1:]
		} else if !pending {
			continue
		}
		pending = false
		addInput(out, output, f)
	}
	return out, sc.Err()
}

// addInput counts "ADDR SIZE OBJECT" of an input section line.
func addInput(out MapContributions, output string, f []string) {
	if len(f) < 3 || !strings.HasPrefix(f[0], "0x") || !strings.HasPrefix(f[1], "0x") {
		return
	}
	size, err := strconv.ParseUint(f[1][2:], 16, 64)
	if err != nil || size == 0 {
		return
	}
	obj := ObjectName(strings.Join(f[2:], " "))
	if out[output] == nil {
		out[output] = map[string]uint64{}
	}
	out[output][obj] += size
}

// ObjectName shortens an object path to its base name, keeping an
// archive member: "/usr/lib/.../libc_nano.a(lib_a-memcpy.o)" becomes
// "libc_nano.a(lib_a-memcpy.o)".
func ObjectName(path string) string {
	if i := strings.LastIndexByte(path, '('); i > 0 && strings.HasSuffix(path, ")") {
		return filepath.Base(path[:i]) + path[i:]
	}
	return filepath.Base(path)
}
