package doctor

import (
	"strings"
	"testing"
)

// TestWriteTextCounts checks the summary line's grammar: "1 check",
// "2 checks" (the summary once said "1 checks").
func TestWriteTextCounts(t *testing.T) {
	one := Result{ID: "go", Status: Pass, Summary: "ok"}
	for _, tc := range []struct {
		rs   []Result
		want string
	}{
		{nil, "\n0 checks: 0 pass, 0 warn, 0 fail"},
		{[]Result{one}, "\n1 check: 1 pass, 0 warn, 0 fail"},
		{[]Result{one, {ID: "x", Status: Fail, Summary: "bad"}}, "\n2 checks: 1 pass, 0 warn, 1 fail"},
	} {
		var b strings.Builder
		WriteText(&b, tc.rs)
		if !strings.Contains(b.String(), tc.want) {
			t.Errorf("WriteText of %d results = %q, want it to contain %q", len(tc.rs), b.String(), tc.want)
		}
	}
}
