// Package units formats quantities for people.
package units

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Bytes is n in B, KiB, MiB, GiB, ... with one decimal above 1 KiB.
func Bytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// Count is n and noun, the noun plural unless n is 1: "1 check",
// "2 checks", "0 targets".
func Count[T int | int64 | uint64](n T, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Clip bounds s, a name or value quoted in an error line, to max bytes,
// cut at a rune boundary and marked with an ellipsis.
func Clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// FirstLine is the first line of s with surrounding space trimmed: the
// line of a tool's output that says what went wrong.
func FirstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(line)
}
