package textdiff

import "testing"

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		d    int
	}{
		{"", "", 0}, {"linux/amd65", "linux/amd64", 1}, {"abc", "", 3}, {"", "abc", 3},
		{"kitten", "sitting", 3}, {"stm32f408", "stm32f407", 1}, {"ab", "ba", 2},
		{"flaw", "lawn", 2},
	} {
		if got := EditDistance(tt.a, tt.b); got != tt.d {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.d)
		}
		if got := EditDistance(tt.b, tt.a); got != tt.d {
			t.Errorf("EditDistance(%q, %q) = %d, want %d (symmetric)", tt.b, tt.a, got, tt.d)
		}
	}
}
