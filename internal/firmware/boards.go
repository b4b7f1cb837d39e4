// Package firmware builds bare-metal C firmware for ARM Cortex-M parts with
// arm-none-eabi-gcc: it scaffolds a project for a board from a table of
// known memory maps and cores, compiles and links it with the core's
// flags, writes ELF, BIN and Intel HEX images, checks the vector table and
// the placement of the sections against the board, reports Flash and RAM
// use, and runs the result under qemu-system-arm with semihosting.
package firmware

import (
	"fmt"
	"sort"
	"strings"

	"github.com/goforge/goforge/internal/firmware/fwimage"
	"github.com/goforge/goforge/internal/textdiff"
)

// A Core is a Cortex-M processor variant and the compiler flags for it.
type Core struct {
	// Name is the short name used in board tables: "M4F".
	Name string `json:"name"`
	// CPU is gcc's -mcpu value.
	CPU string `json:"cpu"`
	// FloatABI is gcc's -mfloat-abi: "soft" or "hard".
	FloatABI string `json:"float_abi"`
	// FPU is gcc's -mfpu for hard-float cores.
	FPU string `json:"fpu,omitempty"`
}

// Flags returns the code-generation flags for the core, which must be
// the same when compiling and when linking (they pick the libraries).
func (c Core) Flags() []string {
	f := []string{"-mcpu=" + c.CPU, "-mthumb", "-mfloat-abi=" + c.FloatABI}
	if c.FPU != "" {
		f = append(f, "-mfpu="+c.FPU)
	}
	return f
}

// cores lists the Cortex-M cores goforge knows. Parts with an optional
// FPU get two entries: M4 without, M4F with. M7 parts in practice carry
// the double-precision FPU; M33 is taken without one.
var cores = []Core{
	{Name: "M0", CPU: "cortex-m0", FloatABI: "soft"},
	{Name: "M0+", CPU: "cortex-m0plus", FloatABI: "soft"},
	{Name: "M3", CPU: "cortex-m3", FloatABI: "soft"},
	{Name: "M4", CPU: "cortex-m4", FloatABI: "soft"},
	{Name: "M4F", CPU: "cortex-m4", FloatABI: "hard", FPU: "fpv4-sp-d16"},
	{Name: "M7", CPU: "cortex-m7", FloatABI: "hard", FPU: "fpv5-d16"},
	{Name: "M33", CPU: "cortex-m33", FloatABI: "soft"},
}

// LookupCore finds a core by name, ignoring case.
func LookupCore(name string) (Core, error) {
	for _, c := range cores {
		if strings.EqualFold(c.Name, name) {
			return c, nil
		}
	}
	names := make([]string, len(cores))
	for i, c := range cores {
		names[i] = c.Name
	}
	return Core{}, fmt.Errorf("unknown core %q (known: %s)", name, strings.Join(names, ", "))
}

// A Region is a span of the address space: Flash or RAM.
type Region = fwimage.Region

// A Board is a part or development board with a known memory map.
type Board struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	CoreName    string `json:"core"`
	Flash       Region `json:"flash"`
	RAM         Region `json:"ram"`
	// QEMU is the qemu-system-arm machine (-M) that models the board,
	// or empty when QEMU does not.
	QEMU string `json:"qemu,omitempty"`
}

func region(origin, size uint64) Region { return Region{Origin: origin, Size: size} }

// Memory returns the board's Flash and RAM.
func (b Board) Memory() fwimage.Memory { return fwimage.Memory{Flash: b.Flash, RAM: b.RAM} }

// Core returns the board's core.
func (b Board) Core() Core {
	c, err := LookupCore(b.CoreName)
	if err != nil {
		panic("firmware: board table names " + err.Error())
	}
	return c
}

const (
	kib = 1 << 10
	mib = 1 << 20
)

// boards is the board table. Memory maps are the parts' data sheets (and,
// for the QEMU machines, what QEMU models: hw/arm/stellaris.c, mps2.c).
var boards = []Board{
	{Name: "lm3s6965evb", Description: "TI Stellaris LM3S6965 evaluation board", CoreName: "M3",
		Flash: region(0x00000000, 256*kib), RAM: region(0x20000000, 64*kib), QEMU: "lm3s6965evb"},
	{Name: "mps2-an385", Description: "Arm MPS2 with the AN385 Cortex-M3 image", CoreName: "M3",
		Flash: region(0x00000000, 4*mib), RAM: region(0x20000000, 4*mib), QEMU: "mps2-an385"},
	{Name: "mps2-an386", Description: "Arm MPS2 with the AN386 Cortex-M4 image", CoreName: "M4F",
		Flash: region(0x00000000, 4*mib), RAM: region(0x20000000, 4*mib), QEMU: "mps2-an386"},
	{Name: "stm32f407", Description: "ST STM32F407 (STM32F4 Discovery)", CoreName: "M4F",
		Flash: region(0x08000000, 1*mib), RAM: region(0x20000000, 128*kib)},
	{Name: "nrf52840", Description: "Nordic nRF52840", CoreName: "M4F",
		Flash: region(0x00000000, 1*mib), RAM: region(0x20000000, 256*kib)},
	{Name: "stm32f030", Description: "ST STM32F030x4 (16 KiB Flash)", CoreName: "M0",
		Flash: region(0x08000000, 16*kib), RAM: region(0x20000000, 4*kib)},
	{Name: "samd21", Description: "Microchip ATSAMD21G18 (Arduino Zero)", CoreName: "M0+",
		Flash: region(0x00000000, 256*kib), RAM: region(0x20000000, 32*kib)},
	{Name: "stm32f103", Description: "ST STM32F103x8 (Blue Pill)", CoreName: "M3",
		Flash: region(0x08000000, 64*kib), RAM: region(0x20000000, 20*kib)},
	{Name: "stm32f303", Description: "ST STM32F303xC without using its FPU", CoreName: "M4",
		Flash: region(0x08000000, 256*kib), RAM: region(0x20000000, 40*kib)},
	{Name: "stm32f746", Description: "ST STM32F746 (Nucleo-F746ZG)", CoreName: "M7",
		Flash: region(0x08000000, 1*mib), RAM: region(0x20000000, 320*kib)},
	{Name: "stm32l552", Description: "ST STM32L552 without TrustZone or its FPU", CoreName: "M33",
		Flash: region(0x08000000, 512*kib), RAM: region(0x20000000, 192*kib)},
}

// aliases are other names users type for a board.
var aliases = map[string]string{
	"stm32f4": "stm32f407", "stm32f4discovery": "stm32f407",
	"lm3s6965": "lm3s6965evb", "an385": "mps2-an385", "an386": "mps2-an386",
	"nrf52": "nrf52840", "bluepill": "stm32f103", "arduino-zero": "samd21",
}

// Boards returns the board table, sorted by name.
func Boards() []Board {
	out := append([]Board(nil), boards...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// UnknownBoardError says that no board has the name, and which come close.
type UnknownBoardError struct {
	Name    string
	Similar []string
}

func (e *UnknownBoardError) Error() string {
	msg := fmt.Sprintf("unknown board %q", e.Name)
	if len(e.Similar) > 0 {
		msg += " (did you mean " + strings.Join(e.Similar, ", ") + "?)"
	}
	return msg + "; 'goforge firmware boards' lists them"
}

// LookupBoard finds a board by name or alias, ignoring case.
func LookupBoard(name string) (Board, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	if a, ok := aliases[key]; ok {
		key = a
	}
	for _, b := range boards {
		if b.Name == key {
			return b, nil
		}
	}
	return Board{}, &UnknownBoardError{Name: name, Similar: similarBoards(key)}
}

// similarBoards lists the boards whose name starts with key, or else
// those closest to it by edit distance, if close enough to be a typo.
func similarBoards(key string) []string {
	var prefixed, closest []string
	best := max(2, len(key)/4) + 1
	names := []string{}
	for _, b := range Boards() {
		names = append(names, b.Name)
	}
	for a := range aliases {
		names = append(names, a) // "stm32f5" is a typo of the alias stm32f4
	}
	sort.Strings(names)
	for _, name := range names {
		if len(key) >= 3 && strings.HasPrefix(name, key) {
			prefixed = append(prefixed, name)
		}
		switch d := textdiff.EditDistance(key, name); {
		case d < best:
			best, closest = d, []string{name}
		case d == best && closest != nil:
			closest = append(closest, name)
		}
	}
	if len(prefixed) > 0 {
		return prefixed
	}
	return closest
}
