package fwimage

import "fmt"

// A Problem is a check the firmware failed.
type Problem struct {
	// Check names the rule: "stack-pointer", "reset-vector", "vector",
	// "data-load", "section-placement", "flash-size", "ram-size".
	Check   string `json:"check"`
	Message string `json:"message"`
}

// coreVectors is the number of entries every Cortex-M vector table has:
// the initial SP and fifteen system exceptions.
const coreVectors = 16

// Check verifies a linked image against the board: the vector table at
// the start of Flash holds an initial SP inside RAM and 8-byte aligned,
// a reset handler and other non-zero vectors that are Thumb addresses
// inside Flash; writable data is loaded from Flash and runs in RAM; read
// only sections lie in Flash.
func Check(im *Image, b Memory) []Problem {
	probs := checkVectors(im, b)
	return append(probs, checkSections(im, b)...)
}

func checkVectors(im *Image, b Memory) []Problem {
	// The table is .isr_vector when the image has one (a short table is
	// legal: a part that never takes an exception reads no further);
	// otherwise the core's sixteen entries.
	n := coreVectors
	if s, ok := im.Section(".isr_vector"); ok && s.LoadAddr == b.Flash.Origin {
		n = int(min(max(s.Size/4, 2), 512))
	}
	words := im.readWords(b.Flash.Origin, n)
	if len(words) < 2 {
		return []Problem{{"vector-table", fmt.Sprintf("no vector table at the start of Flash (0x%08x): the image has nothing loaded there", b.Flash.Origin)}}
	}
	var probs []Problem
	sp := uint64(words[0])
	switch {
	case sp <= b.RAM.Origin || sp > b.RAM.End():
		probs = append(probs, Problem{"stack-pointer", fmt.Sprintf("initial stack pointer 0x%08x is outside RAM (0x%08x-0x%08x)", sp, b.RAM.Origin, b.RAM.End())})
	case sp%8 != 0:
		probs = append(probs, Problem{"stack-pointer", fmt.Sprintf("initial stack pointer 0x%08x is not 8-byte aligned (the AAPCS needs it)", sp)})
	}
	if p := checkHandler(words[1], b, "reset vector"); p != "" {
		probs = append(probs, Problem{"reset-vector", p})
	}
	for i := 2; i < len(words); i++ {
		if words[i] == 0 {
			continue
		}
		if p := checkHandler(words[i], b, fmt.Sprintf("vector %d (%s)", i, vectorName(i))); p != "" {
			probs = append(probs, Problem{"vector", p})
		}
	}
	return probs
}

// checkHandler checks one handler address: the core executes Thumb code
// only, and takes an even vector as a fault.
func checkHandler(v uint32, b Memory, what string) string {
	switch {
	case v&1 == 0:
		return fmt.Sprintf("%s 0x%08x lacks the Thumb bit (bit 0): the core faults on taking it", what, v)
	case !b.Flash.Contains(uint64(v &^ 1)):
		return fmt.Sprintf("%s 0x%08x points outside Flash (0x%08x-0x%08x)", what, v, b.Flash.Origin, b.Flash.End())
	}
	return ""
}

var vectorNames = [...]string{"initial SP", "Reset", "NMI", "HardFault", "MemManage", "BusFault",
	"UsageFault", "reserved", "reserved", "reserved", "reserved", "SVCall", "DebugMonitor",
	"reserved", "PendSV", "SysTick"}

func vectorName(i int) string {
	if i < len(vectorNames) {
		return vectorNames[i]
	}
	return fmt.Sprintf("IRQ%d", i-coreVectors)
}

// checkSections checks where each allocated section starts; a section
// that starts inside its region but runs past the end is the size
// check's to report, as an overflow.
func checkSections(im *Image, b Memory) []Problem {
	var probs []Problem
	for _, s := range im.Sections {
		if !s.Alloc || s.Size == 0 {
			continue
		}
		switch {
		case s.Contents && !claims(b.Flash, b.RAM, s.LoadAddr) && s.Writable:
			probs = append(probs, Problem{"data-load", fmt.Sprintf(
				"%s loads at 0x%08x, outside Flash: its initial values are lost at power-off and never copied to RAM (place it with '> RAM AT> FLASH')",
				s.Name, s.LoadAddr)})
		case s.Contents && !claims(b.Flash, b.RAM, s.LoadAddr):
			probs = append(probs, Problem{"section-placement", fmt.Sprintf("read-only section %s at 0x%08x (%d bytes) is not in Flash", s.Name, s.LoadAddr, s.Size)})
		case (s.Writable || !s.Contents) && !claims(b.RAM, b.Flash, s.Addr):
			probs = append(probs, Problem{"section-placement", fmt.Sprintf("writable section %s at 0x%08x (%d bytes) is not in RAM", s.Name, s.Addr, s.Size)})
		}
	}
	return probs
}
