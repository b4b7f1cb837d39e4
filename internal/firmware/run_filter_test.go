package firmware

import (
	"strings"
	"testing"
)

func TestDropLines(t *testing.T) {
	var out strings.Builder
	d := &dropLines{w: &out, drop: qemuChatter}
	for _, chunk := range []string{"Timer with per", "iod zero, disabling\nreal ", "warning\nTimer with period zero, disabling\r\n", "tail"} {
		if n, err := d.Write([]byte(chunk)); n != len(chunk) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", chunk, n, err)
		}
	}
	d.Flush()
	if got, want := out.String(), "real warning\ntail"; got != want {
		t.Fatalf("passed %q, want %q", got, want)
	}
}
