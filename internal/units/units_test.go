package units

import "testing"

// TestCount checks the noun counts people read ("1 configuration", not
// "1 configurations"; "1 target", not "1 target(s)").
func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0 configurations", 1: "1 configuration", 2: "2 configurations", 16: "16 configurations"} {
		if got := Count(n, "configuration"); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
	if got := Count(uint64(1), "byte"); got != "1 byte" {
		t.Errorf("Count(uint64(1)) = %q", got)
	}
}

func TestFirstLine(t *testing.T) {
	for in, want := range map[string]string{
		"":                          "",
		"  \n\n":                    "",
		"one":                       "one",
		"\n  403 Forbidden  \nmore": "403 Forbidden",
		"a\r\nb":                    "a",
	} {
		if got := FirstLine(in); got != want {
			t.Errorf("FirstLine(%q) = %q, want %q", in, got, want)
		}
	}
}
