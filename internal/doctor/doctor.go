// Package doctor diagnoses a Go installation: the checks of the seed's
// "verify the installation" table and the misconfigurations users actually
// hit. Gathering facts (gather.go) is kept apart from judging them
// (this file), so every judgement is a table test.
package doctor

import (
	"github.com/goforge/goforge/internal/goenv"
)

// Status of one check.
const (
	Pass = "pass"
	Warn = "warn"
	Fail = "fail"
	Skip = "skip" // could not be checked because an earlier check failed
)

// A Result is the outcome of one check. Fix is a one-line remedy, set for
// warnings and failures.
type Result struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Summary string `json:"summary"`
	Fix     string `json:"fix,omitempty"`
}

// Facts is everything the checks judge, gathered beforehand.
type Facts struct {
	HostOS, HostArch string
	PathList         string
	Snap             *goenv.Snapshot
	GoHelpErr        error
	ModFile          string // the go.work or go.mod that governs the directory
	GoLine, ToolLine string
	CC               Probe
	Dirs             []DirFacts
	Pin              *PinFacts // the directory's goforge pin (pin.go)
}

// A Probe is the outcome of trying a tool.
type Probe struct {
	Name string // as configured, e.g. "gcc"
	Path string // as found on PATH
	Err  error
}

// DirFacts describes one of the directories the go command writes to.
type DirFacts struct {
	Var       string // GOPATH, GOCACHE, GOMODCACHE
	Path      string
	Writable  bool
	Err       error  // why it is not writable
	Free      uint64 // bytes free on its file system
	FreeKnown bool
}

// Disk space thresholds for the directory checks.
const (
	LowDisk     = 1 << 30   // warn below 1 GiB free
	VeryLowDisk = 100 << 20 // fail below 100 MiB free
)

// Check judges the facts and returns one result per check, in a fixed order.
func Check(f *Facts) []Result {
	var rs []Result
	rs = append(rs, checkGoOnPath(f)...)
	if f.Snap.Active() == nil {
		// What needs no go command is still worth judging.
		rs = append(rs, checkPin(f), checkPinActive(f))
		for _, d := range f.Dirs {
			rs = append(rs, checkDir(d))
		}
		return rs
	}
	rs = append(rs, checkGoArch(f), checkGoVersion(f), checkGoEnv(f), checkGoHelp(f))
	if f.Snap.GoEnvErr != nil {
		rs = append(rs, skipped("goos-goarch")...)
		rs = append(rs, checkGOROOT(f))
		rs = append(rs, skipped("gobin-on-path", "gotoolchain")...)
		rs = append(rs, checkPin(f), checkPinActive(f))
		rs = append(rs, skipped("cgo")...)
		for _, d := range f.Dirs {
			rs = append(rs, checkDir(d))
		}
		return rs
	}
	rs = append(rs, checkTarget(f), checkGOROOT(f), checkGOBIN(f), checkToolchain(f), checkPin(f), checkPinActive(f), checkCgo(f))
	for _, d := range f.Dirs {
		rs = append(rs, checkDir(d))
	}
	return rs
}

func skipped(ids ...string) []Result {
	rs := make([]Result, len(ids))
	for i, id := range ids {
		rs[i] = Result{ID: id, Status: Skip, Summary: "needs a working 'go env'"}
	}
	return rs
}

// Failed reports whether any result failed.
func Failed(rs []Result) bool {
	for _, r := range rs {
		if r.Status == Fail {
			return true
		}
	}
	return false
}
