package inspect

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// The text renderings of the views, for people; --json has the data.

// maxNameColumn caps the name column of 'inspect funcs': the longest
// generic instantiation names run to hundreds of bytes, and padding every
// row to them would make every line that long. Longer names overflow
// their own row only.
const maxNameColumn = 60

// WriteFuncs prints one row per function: entry, size, name, file:line
// ("?" without line information).
func WriteFuncs(w io.Writer, funcs []Func) {
	entryW, sizeW, nameW := 0, 0, 0
	for _, f := range funcs {
		entryW = max(entryW, len(strconv.FormatUint(f.Entry, 16))+2)
		sizeW = max(sizeW, len(strconv.FormatUint(f.Size, 10)))
		nameW = max(nameW, min(len(f.Name), maxNameColumn))
	}
	for _, f := range funcs {
		pos := "?"
		if f.Line >= 0 {
			pos = f.File + ":" + strconv.Itoa(f.Line)
		}
		fmt.Fprintf(w, "%-*s %*d %-*s %s\n", entryW, fmt.Sprintf("%#x", f.Entry), sizeW, f.Size, nameW, f.Name, pos)
	}
}

// WriteFuncsJSON writes {"funcs":[...]} one function per line: the
// function table of a large binary has tens of thousands of rows, and
// reflection-driven encoding with indentation costs more than reading it.
func WriteFuncsJSON(w *bufio.Writer, funcs []Func) {
	w.WriteString("{\"funcs\":[")
	var buf []byte
	for i, f := range funcs {
		buf = buf[:0]
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, "\n{\"name\":"...)
		buf = appendJSONString(buf, f.Name)
		buf = append(buf, ",\"entry\":"...)
		buf = strconv.AppendUint(buf, f.Entry, 10)
		buf = append(buf, ",\"end\":"...)
		buf = strconv.AppendUint(buf, f.End, 10)
		buf = append(buf, ",\"size\":"...)
		buf = strconv.AppendUint(buf, f.Size, 10)
		buf = append(buf, ",\"package\":"...)
		buf = appendJSONString(buf, f.Package)
		buf = append(buf, ",\"file\":"...)
		buf = appendJSONString(buf, f.File)
		buf = append(buf, ",\"line\":"...)
		buf = strconv.AppendInt(buf, int64(f.Line), 10)
		buf = append(buf, '}')
		w.Write(buf)
	}
	w.WriteString("\n]}\n")
}

// appendJSONString appends s as a JSON string; plain ASCII is copied,
// anything else goes through encoding/json.
func appendJSONString(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' {
			b, _ := json.Marshal(s)
			return append(buf, b...)
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}

// WritePCs prints each PC with its function and inlined frames to out;
// PCs that could not be resolved, and warnings, go to errw.
func WritePCs(out, errw io.Writer, res []PCResult) {
	for _, r := range res {
		if r.Func == "" {
			fmt.Fprintf(errw, "goforge: %#x: %s\n", r.PC, r.Error)
			continue
		}
		fmt.Fprintf(out, "%#x %s+%#x\n", r.PC, r.Func, r.Offset)
		for _, fr := range r.Frames {
			inl := ""
			if fr.Inlined {
				inl = " (inlined)"
			}
			fmt.Fprintf(out, "\t%s%s\n\t\t%s:%d\n", fr.Func, inl, fr.File, fr.Line)
		}
		if r.Error != "" {
			fmt.Fprintf(errw, "goforge: warning: %#x: %s\n", r.PC, r.Error)
		}
	}
}

// WriteSummary prints the one-screen account of a binary.
func WriteSummary(w io.Writer, s *Summary) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "file\t%s (%d bytes)\n", s.Path, s.FileSize)
	fmt.Fprintf(tw, "format\t%s %s/%s\n", s.Format, s.OS, s.Arch)
	if s.GoVersion != "" {
		fmt.Fprintf(tw, "go\t%s\n", s.GoVersion)
	}
	if s.Main != "" {
		fmt.Fprintf(tw, "main\t%s\n", s.Main)
	}
	fmt.Fprintf(tw, "linkage\t%s\n", map[bool]string{true: "static", false: "dynamic"}[s.Static])
	fmt.Fprintf(tw, "stripped\t%s\n", stripped(s.Symbols, s.DWARF))
	if s.Pclntab != "" {
		fmt.Fprintf(tw, "pclntab\t%s format, %d functions, %d files\n", s.Pclntab, s.Funcs, s.Files)
	}
	tw.Flush()
}

// stripped says what was stripped: -w removes DWARF, -s the symbol table
// (and DWARF with it); a binary can lack one and keep the other.
func stripped(symbols, dwarf bool) string {
	switch {
	case symbols && dwarf:
		return "no (symbol table and DWARF present)"
	case symbols:
		return "partly (no DWARF; symbol table kept)"
	case dwarf:
		return "partly (no symbol table; DWARF kept)"
	}
	return "yes (no symbol table, no DWARF)"
}

// WriteInfo prints what 'go version -m' prints, then the file's format and
// sections.
func WriteInfo(w io.Writer, b *Binary, in *Info) {
	if m := b.GoVersionM(); m != "" {
		fmt.Fprint(w, m)
	} else {
		fmt.Fprintf(w, "%s: no Go build info\n", in.Path)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "\nformat\t%s %s/%s, %s-endian, %d-bit, pie=%v\n", in.Format, in.OS, in.Arch, in.Endian, in.PtrSize*8, in.PIE)
	fmt.Fprintf(tw, "stripped\t%s\n", stripped(in.Symbols, in.DWARF))
	if in.BuildID != "" {
		fmt.Fprintf(tw, "build id\t%s\n", in.BuildID)
	}
	if in.GNUBuildID != "" {
		fmt.Fprintf(tw, "gnu build id\t%s\n", in.GNUBuildID)
	}
	if p := in.Pclntab; p != nil {
		fmt.Fprintf(tw, "pclntab\t%s format (magic %s) at %#x in %s (found by %s), %d bytes\n", p.Format, p.Magic, p.Addr, p.Section, p.FoundBy, p.Size)
		fmt.Fprintf(tw, "text start\t%#x (from %s)\n", p.TextStart, p.TextStartFrom)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nsections (%d bytes in file):\n", in.FileSize)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "name\tkind\taddr\tsize\tfile bytes\t\n")
	for _, s := range in.Sections {
		fmt.Fprintf(tw, "%s\t%s\t%#x\t%d\t%d\t\n", s.Name, s.Kind, s.Addr, s.Size, s.FileSize)
	}
	tw.Flush()
}

// WriteLinkage prints v as a table for people.
func WriteLinkage(w io.Writer, v *LinkageView) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\t%s\n", v.Path, v.Verdict)
	if v.Interp != "" {
		fmt.Fprintf(tw, "interpreter\t%s\n", v.Interp)
	}
	fmt.Fprintf(tw, "needed\t%s\n", orNone(strings.Join(v.Needed, ", ")))
	fmt.Fprintf(tw, "cgo\t%v (CGO_ENABLED=%s)\n", v.Cgo, orNone(v.CgoEnabled))
	linker := v.Linker
	if v.ExternalLinker != "" {
		linker += " (" + v.ExternalLinker + ")"
	} else if v.LinkerEvidence != "" {
		linker += " (evidence: " + v.LinkerEvidence + ")"
	}
	fmt.Fprintf(tw, "linker\t%s\n", linker)
	fmt.Fprintf(tw, "pie\t%v\n", v.PIE)
	if v.RELRO != "" {
		fmt.Fprintf(tw, "relro\t%s\n", v.RELRO)
	}
	fmt.Fprintf(tw, "nx\t%v\n", v.NX)
	return tw.Flush()
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
