package matrix

import (
	"context"
	"fmt"
	"go/version"
	"slices"
	"strings"
)

// MinRequest asks for the oldest release a module builds and passes on.
type MinRequest struct {
	Base Request // Dir, Packages, TestFlags, Targets, caches; Toolchains is ignored
	// Candidates are the releases to consider ("go1.19.13"), in any order.
	Candidates []string
	// Prepare returns the toolchain of a candidate, installing it if need be.
	Prepare func(ctx context.Context, v string) (Toolchain, error)
	GoLine  string   // go.mod's go line ("1.21"); "" without one
	API     APIIndex // from the newest toolchain's api/ files
	// Tried, when set, is called after each candidate ran.
	Tried func(a Attempt)
}

// An Attempt is one candidate's outcome.
type Attempt struct {
	Go         string `json:"go"`
	Status     string `json:"status"` // pass, or the worst cell status
	BuildError string `json:"build_error,omitempty"`
	FailedTest string `json:"failed_test,omitempty"`
	SkipReason string `json:"skip_reason,omitempty"` // when no cell could run ("skipped")
}

// MinResult is what --min found.
type MinResult struct {
	GoMod        string    `json:"go_mod"`                   // the go line, "1.21"
	Oldest       string    `json:"oldest_passing"`           // "" when none passed
	NewestFailed string    `json:"newest_failing,omitempty"` // the release just below Oldest that failed
	APINeeds     string    `json:"api_needs,omitempty"`      // newest Go version the code's std API uses need
	Breaks       []APIUse  `json:"breaks,omitempty"`         // APIs NewestFailed lacks
	Tried        []Attempt `json:"tried"`                    // oldest first
	OK           bool      `json:"ok"`                       // go.mod's go line is true as far as tried
	Verdict      string    `json:"verdict"`
}

// FindMin tests the candidates by bisection, newest first (the newest must
// pass, or nothing can be said), assuming that a module working on a
// release works on every newer one. It compares the answer with go.mod's
// go line and names the newer APIs that break the newest failing release.
func FindMin(ctx context.Context, req MinRequest) (MinResult, error) {
	cands := releasesOnly(req.Candidates)
	slices.SortFunc(cands, version.Compare)
	cands = slices.Compact(cands)
	if len(cands) == 0 {
		return MinResult{}, fmt.Errorf("no Go release to try")
	}
	res := MinResult{GoMod: req.GoLine}
	tried := map[string]Attempt{}
	try := func(i int) (bool, error) {
		a, err := tryOne(ctx, req, cands[i])
		if err != nil {
			return false, err
		}
		tried[cands[i]] = a
		if req.Tried != nil {
			req.Tried(a)
		}
		return a.Status == StatusPass, nil
	}
	lo, hi := 0, len(cands)-1
	ok, err := try(hi)
	if err != nil {
		return res, err
	}
	if ok {
		for lo < hi {
			mid := (lo + hi) / 2
			pass, err := try(mid)
			if err != nil {
				return res, err
			}
			if pass {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		res.Oldest = cands[hi]
		if hi > 0 {
			res.NewestFailed = cands[hi-1]
		}
	}
	for _, v := range cands {
		if a, ok := tried[v]; ok {
			res.Tried = append(res.Tried, a)
		}
	}
	judge(&res, req, cands[len(cands)-1])
	return res, nil
}

func tryOne(ctx context.Context, req MinRequest, v string) (Attempt, error) {
	tc, err := req.Prepare(ctx, v)
	if err != nil {
		return Attempt{}, err
	}
	r := req.Base
	r.Toolchains = []Toolchain{tc}
	cells, err := Run(ctx, r)
	if err != nil {
		return Attempt{}, err
	}
	a := Attempt{Go: v, Status: StatusPass}
	ran := false
	for _, c := range cells {
		ran = ran || c.Status != StatusSkipped
	}
	if !ran && len(cells) > 0 {
		// Nothing was tested: not a pass, or --min would call a release
		// that never ran (no emulator, no runtime) the oldest that works.
		a.Status, a.SkipReason = StatusSkipped, cells[0].SkipReason
		return a, nil
	}
	for _, c := range cells {
		if c.Bad() {
			a.Status, a.BuildError = c.Status, c.BuildError
			if c.FirstFailure != nil {
				a.FailedTest = strings.TrimSuffix(c.FirstFailure.Package+"."+c.FirstFailure.Test, ".")
			}
			break
		}
	}
	return a, nil
}

// judge fills in the API analysis and the verdict.
func judge(res *MinResult, req MinRequest, newest string) {
	uses, err := UsedAPIs(req.Base.Dir, req.API)
	if err == nil && len(uses) > 0 {
		res.APINeeds = uses[0].Since
	}
	if res.NewestFailed != "" {
		for _, u := range uses {
			if version.Compare(u.Since, version.Lang(res.NewestFailed)) > 0 {
				res.Breaks = append(res.Breaks, u)
			}
		}
	}
	goMod := normalize(req.GoLine)
	switch {
	case res.Oldest == "" && res.Tried[len(res.Tried)-1].Status == StatusSkipped:
		res.Verdict = fmt.Sprintf("nothing could run on the newest release tried, %s: %s", newest, res.Tried[len(res.Tried)-1].SkipReason)
	case res.Oldest == "":
		res.Verdict = fmt.Sprintf("fails even on the newest release tried, %s", newest)
	case goMod == "":
		res.OK = false
		res.Verdict = fmt.Sprintf("go.mod has no go line; the oldest release that works is %s", res.Oldest)
	case res.NewestFailed != "" && version.Compare(version.Lang(goMod), version.Lang(res.NewestFailed)) <= 0:
		res.Verdict = fmt.Sprintf("go.mod says %s but %s fails%s", strings.TrimPrefix(goMod, "go"), res.NewestFailed, why(res))
	case res.APINeeds != "" && version.Compare(res.APINeeds, version.Lang(goMod)) > 0:
		res.Verdict = fmt.Sprintf("go.mod says %s but the code uses %s from %s", strings.TrimPrefix(goMod, "go"),
			firstNeeding(res.APINeeds, req), strings.TrimPrefix(res.APINeeds, "go"))
	default:
		res.OK = true
		res.Verdict = fmt.Sprintf("go.mod says %s; the oldest release that works of those tried is %s", strings.TrimPrefix(goMod, "go"), res.Oldest)
		if res.NewestFailed != "" {
			res.Verdict += fmt.Sprintf(" (%s fails%s)", res.NewestFailed, why(res))
		}
	}
}

func why(res *MinResult) string {
	if len(res.Breaks) > 0 {
		b := res.Breaks[0]
		return fmt.Sprintf(": uses %s from %s (%s)", b.Symbol, strings.TrimPrefix(b.Since, "go"), b.Pos)
	}
	for _, a := range res.Tried {
		if a.Go == res.NewestFailed {
			if a.BuildError != "" {
				return ": " + a.BuildError
			}
			if a.FailedTest != "" {
				return ": " + a.FailedTest + " fails"
			}
		}
	}
	return ""
}

func firstNeeding(since string, req MinRequest) string {
	uses, _ := UsedAPIs(req.Base.Dir, req.API)
	for _, u := range uses {
		if u.Since == since {
			return u.Symbol
		}
	}
	return "?"
}
