package fwimage

import (
	"fmt"
	"github.com/goforge/goforge/internal/units"
	"sort"
)

// SectionUse is one allocated section and the memory it takes.
type SectionUse struct {
	Section
	// Flash and RAM are the bytes the section takes in each region: .data
	// takes both (its initial values in Flash, the variables in RAM).
	Flash uint64 `json:"flash"`
	RAM   uint64 `json:"ram"`
}

// RegionUse is how much of a memory region the firmware takes. Used runs
// from the region's origin to the end of its last section, alignment
// padding included, which is what must fit.
type RegionUse struct {
	Region
	Used uint64 `json:"used"`
	// Over is how many bytes do not fit; 0 when the firmware fits.
	Over uint64 `json:"over"`
}

// ObjectUse is what one object file contributes to Flash and RAM,
// from the linker's map file.
type ObjectUse struct {
	Object string `json:"object"`
	Flash  uint64 `json:"flash"`
	RAM    uint64 `json:"ram"`
}

// SizeReport is the Flash and RAM use of a firmware image.
type SizeReport struct {
	Flash    RegionUse    `json:"flash"`
	RAM      RegionUse    `json:"ram"`
	Sections []SectionUse `json:"sections"`
	Objects  []ObjectUse  `json:"objects"`
}

// Sizes computes the size report of an image for a board; contrib, from
// the map file, gives each output section's bytes per object file.
func Sizes(im *Image, b Memory, contrib MapContributions) *SizeReport {
	rep := &SizeReport{Flash: RegionUse{Region: b.Flash}, RAM: RegionUse{Region: b.RAM}}
	var flashEnd, ramEnd uint64
	bySection := map[string]SectionUse{}
	for _, s := range im.Sections {
		if !s.Alloc {
			continue
		}
		u := SectionUse{Section: s}
		if s.Contents && claims(b.Flash, b.RAM, s.LoadAddr) {
			u.Flash = s.Size
			flashEnd = max(flashEnd, s.LoadAddr+s.Size)
		}
		if (s.Writable || !s.Contents) && claims(b.RAM, b.Flash, s.Addr) {
			u.RAM = s.Size
			ramEnd = max(ramEnd, s.Addr+s.Size)
		}
		rep.Sections = append(rep.Sections, u)
		bySection[s.Name] = u
	}
	rep.Flash.setUsed(flashEnd)
	rep.RAM.setUsed(ramEnd)
	rep.Objects = objectUse(bySection, contrib)
	return rep
}

// claims reports whether addr counts against region r: inside it, or
// past its end but before the other region, where a section lands when
// the linker script's region is larger than the part's.
func claims(r, other Region, addr uint64) bool {
	if addr < r.Origin {
		return false
	}
	return addr < r.End() || other.Origin < r.Origin || addr < other.Origin
}

func (r *RegionUse) setUsed(end uint64) {
	if end > r.Origin {
		r.Used = end - r.Origin
	}
	if r.Used > r.Size {
		r.Over = r.Used - r.Size
	}
}

// objectUse adds up each object's input sections by the region their
// output section takes.
func objectUse(sections map[string]SectionUse, contrib MapContributions) []ObjectUse {
	byObj := map[string]*ObjectUse{}
	for sec, objs := range contrib {
		u, ok := sections[sec]
		if !ok {
			continue
		}
		for obj, n := range objs {
			o := byObj[obj]
			if o == nil {
				o = &ObjectUse{Object: obj}
				byObj[obj] = o
			}
			if u.Flash > 0 {
				o.Flash += n
			}
			if u.RAM > 0 {
				o.RAM += n
			}
		}
	}
	out := make([]ObjectUse, 0, len(byObj))
	for _, o := range byObj {
		out = append(out, *o)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Flash+out[i].RAM != out[j].Flash+out[j].RAM {
			return out[i].Flash+out[i].RAM > out[j].Flash+out[j].RAM
		}
		return out[i].Object < out[j].Object
	})
	return out
}

// Overflows returns a problem for each region the firmware overflows.
func (r *SizeReport) Overflows(board string) []Problem {
	var probs []Problem
	for _, x := range []struct {
		check, name string
		u           RegionUse
	}{{"flash-size", "Flash", r.Flash}, {"ram-size", "RAM", r.RAM}} {
		if x.u.Over > 0 {
			probs = append(probs, Problem{x.check, fmt.Sprintf("%s overflowed by %s: the firmware needs %d bytes, %s has %d",
				x.name, units.Count(x.u.Over, "byte"), x.u.Used, board, x.u.Size)})
		}
	}
	return probs
}
