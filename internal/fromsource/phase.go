package fromsource

import (
	"strings"
	"time"
)

// A Phase is one step of make.bash as announced by its progress lines.
type Phase struct {
	// Name is the short, stable name of the phase ("toolchain1").
	Name string `json:"name"`
	// Line is the make.bash line that started the phase.
	Line string `json:"line"`
}

// Phase names, in the order make.bash runs them. A cross toolchain
// (GOOS/GOARCH differ from the host) has host and target phases instead of
// PhasePackages.
const (
	PhaseDist        = "cmd/dist"
	PhaseToolchain1  = "toolchain1"
	PhaseGoBootstrap = "go_bootstrap"
	PhaseToolchain2  = "toolchain2"
	PhaseToolchain3  = "toolchain3"
	PhasePackages    = "packages and commands"
	PhaseHost        = "host commands"
	PhaseTarget      = "target packages and commands"
)

// phasePrefixes maps the start of each phase line, as printed by make.bash
// and cmd/dist from Go 1.19 through Go 1.26, to its phase. Order matters:
// the generic "packages and commands for" comes after its host/target forms.
var phasePrefixes = []struct{ prefix, name string }{
	{"Building Go cmd/dist using ", PhaseDist},
	{"Building Go toolchain1 using ", PhaseToolchain1},
	{"Building Go bootstrap cmd/go (go_bootstrap) using ", PhaseGoBootstrap},
	{"Building Go toolchain2 using ", PhaseToolchain2},
	{"Building Go toolchain3 using ", PhaseToolchain3},
	{"Building commands for host, ", PhaseHost},                  // Go 1.20 and later
	{"Building packages and commands for host, ", PhaseHost},     // Go 1.19 and earlier
	{"Building packages and commands for target, ", PhaseTarget}, // all versions
	{"Building packages and commands for ", PhasePackages},
}

// ParsePhase reports whether line starts a make.bash phase, and which.
func ParsePhase(line string) (Phase, bool) {
	line = strings.TrimRight(line, "\r\n")
	// Go 1.5 through 1.9 printed its phases after a "##### " banner.
	trimmed := strings.TrimPrefix(line, "##### ")
	for _, p := range phasePrefixes {
		if strings.HasPrefix(trimmed, p.prefix) {
			return Phase{Name: p.name, Line: line}, true
		}
	}
	return Phase{}, false
}

// IsInstalledLine reports whether line is cmd/dist's closing banner
// ("Installed Go for linux/amd64 in /path"), printed once the build succeeded.
func IsInstalledLine(line string) bool {
	return strings.HasPrefix(line, "Installed Go for ")
}

// PhaseCount is the number of phases make.bash runs: six for a native
// toolchain, seven for a cross toolchain.
func PhaseCount(cross bool) int {
	if cross {
		return 7
	}
	return 6
}

// A PhaseTime is a phase with when it started and how long it took.
type PhaseTime struct {
	Phase
	Start    time.Time     `json:"-"`
	Duration time.Duration `json:"-"`
	Seconds  float64       `json:"seconds"`
	// Done reports whether the phase finished (a later phase started or the
	// build succeeded); false for the phase a failed build was in.
	Done bool `json:"done"`
}

// A Tracker follows make.bash's output and times its phases. The clock is
// passed in, so the tracker is pure and tests can replay recorded output.
type Tracker struct {
	start  time.Time
	phases []PhaseTime
}

// NewTracker returns a tracker for a build that started at start.
func NewTracker(start time.Time) *Tracker { return &Tracker{start: start} }

// Line feeds one line of output seen at now. It reports whether the line
// started a new phase; that phase is then the last of Phases.
func (t *Tracker) Line(line string, now time.Time) bool {
	p, ok := ParsePhase(line)
	if !ok {
		return false
	}
	t.closeCurrent(now)
	t.phases = append(t.phases, PhaseTime{Phase: p, Start: now})
	return true
}

func (t *Tracker) closeCurrent(now time.Time) {
	if n := len(t.phases); n > 0 && !t.phases[n-1].Done {
		cur := &t.phases[n-1]
		cur.Duration = now.Sub(cur.Start)
		cur.Seconds = roundSeconds(cur.Duration)
		cur.Done = true
	}
}

// Finish ends the build at now. If ok, the current phase is complete;
// otherwise it keeps Done false, marking where the build stopped.
func (t *Tracker) Finish(now time.Time, ok bool) {
	if n := len(t.phases); n > 0 {
		t.closeCurrent(now)
		t.phases[n-1].Done = ok
	}
}

// Phases returns the phases seen so far.
func (t *Tracker) Phases() []PhaseTime { return t.phases }

// Current returns the phase in progress and its 1-based index, or ok false
// before the first phase line.
func (t *Tracker) Current() (p PhaseTime, index int, ok bool) {
	if len(t.phases) == 0 {
		return PhaseTime{}, 0, false
	}
	return t.phases[len(t.phases)-1], len(t.phases), true
}

// Elapsed is the time since the build started.
func (t *Tracker) Elapsed(now time.Time) time.Duration { return now.Sub(t.start) }

func roundSeconds(d time.Duration) float64 {
	return float64(d.Round(10*time.Millisecond)) / float64(time.Second)
}
