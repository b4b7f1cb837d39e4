package insight

import "testing"

// TestPlural checks the noun counts of 'goforge constraints' ("1
// configuration", not "1 configurations").
func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 configurations", 1: "1 configuration", 2: "2 configurations", 16: "16 configurations"} {
		if got := plural(n, "configuration"); got != want {
			t.Errorf("plural(%d) = %q, want %q", n, got, want)
		}
	}
}
