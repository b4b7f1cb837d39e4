package matrix

import (
	"context"
	"strings"
	"testing"
)

// TestFindMinNothingRan: a release on which every cell was skipped (no
// emulator, no runtime) tested nothing, so it is not a pass: --min must
// not name it the oldest release that works, nor say go.mod is right.
func TestFindMinNothingRan(t *testing.T) {
	dir := writeTree(t, fixtureFiles)
	prepared := 0
	req := MinRequest{
		Base:       Request{Dir: dir, Targets: []Target{{"windows", "amd64"}}, CacheDir: t.TempDir(), NoResultCache: true},
		Candidates: []string{"go1.21.13", "go1.22.12", "go1.23.4"},
		GoLine:     "1.21",
		Prepare: func(ctx context.Context, v string) (Toolchain, error) {
			prepared++
			// No go command runs for a skipped cell: no GOROOT needed.
			return Toolchain{Name: v, Version: v, GOROOT: "/nonexistent"}, nil
		},
	}
	res, err := FindMin(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.OK || res.Oldest != "" {
		t.Errorf("FindMin = ok %v, oldest %q; want not ok, none", res.OK, res.Oldest)
	}
	if len(res.Tried) != 1 || res.Tried[0].Status != StatusSkipped || !strings.Contains(res.Tried[0].SkipReason, "no runner for windows/amd64") {
		t.Errorf("tried %+v, want the newest alone, skipped with the reason", res.Tried)
	}
	if !strings.HasPrefix(res.Verdict, "nothing could run on the newest release tried, go1.23.4: no runner for windows/amd64") {
		t.Errorf("verdict %q", res.Verdict)
	}
	if prepared != 1 {
		t.Errorf("prepared %d releases, want 1", prepared)
	}
}
