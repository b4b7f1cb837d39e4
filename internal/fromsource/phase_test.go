package fromsource

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParsePhase(t *testing.T) {
	tests := []struct {
		line, want string
	}{
		// Go 1.26.8 (recorded) and Go 1.19.8 (src/cmd/dist/build.go) phase lines.
		{"Building Go cmd/dist using /usr/local/go. (go1.26.8 linux/amd64)", PhaseDist},
		{"Building Go toolchain1 using /usr/local/go.", PhaseToolchain1},
		{"Building Go bootstrap cmd/go (go_bootstrap) using Go toolchain1.", PhaseGoBootstrap},
		{"Building Go toolchain2 using go_bootstrap and Go toolchain1.", PhaseToolchain2},
		{"Building Go toolchain3 using go_bootstrap and Go toolchain2.", PhaseToolchain3},
		{"Building packages and commands for linux/amd64.", PhasePackages},
		{"Building commands for host, linux/amd64.", PhaseHost},
		{"Building packages and commands for host, linux/amd64.", PhaseHost},
		{"Building packages and commands for target, linux/arm64.", PhaseTarget},
		{"##### Building Go toolchain1 using /root/go1.4.", PhaseToolchain1},
		{"Building Go toolchain1 using /x.\r\n", PhaseToolchain1},
		{"---", ""},
		{"Installed Go for linux/amd64 in /tmp/go", ""},
		{"# cmd/compile", ""},
		{"  Building Go toolchain1 using /x", ""},
		{"", ""},
	}
	for _, tt := range tests {
		p, ok := ParsePhase(tt.line)
		if ok != (tt.want != "") || p.Name != tt.want {
			t.Errorf("ParsePhase(%q) = %q, %v; want %q", tt.line, p.Name, ok, tt.want)
		}
	}
}

// readRecording reads a recorded make.bash run: "seconds<TAB>line" lines.
func readRecording(tb testing.TB, name string) (times []time.Duration, lines []string) {
	tb.Helper()
	f, err := os.Open(name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		ts, line, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			tb.Fatalf("bad recording line %q", sc.Text())
		}
		sec, err := strconv.ParseFloat(ts, 64)
		if err != nil {
			tb.Fatal(err)
		}
		times = append(times, time.Duration(sec*float64(time.Second)))
		lines = append(lines, line)
	}
	return times, lines
}

func TestTrackerOnRecordedMakeBash(t *testing.T) {
	names := []string{PhaseDist, PhaseToolchain1, PhaseGoBootstrap, PhaseToolchain2, PhaseToolchain3, PhasePackages}
	tests := []struct {
		file string
		secs []float64
	}{
		{"testdata/make-go1.26.8-linux-amd64.txt", []float64{7.82, 38.27, 20.82, 37.63, 166.99, 226.48}},
		{"testdata/make-go1.19.8-linux-amd64.txt", []float64{1.99, 69.9, 30.52, 154.81, 151.89, 148.06}},
	}
	for _, tt := range tests {
		times, lines := readRecording(t, tt.file)
		start := time.Unix(1_800_000_000, 0)
		tr := NewTracker(start)
		started, installed := 0, false
		for i, line := range lines {
			if tr.Line(line, start.Add(times[i])) {
				started++
			}
			installed = installed || IsInstalledLine(line)
		}
		end := start.Add(times[len(times)-1])
		tr.Finish(end, true)
		if !installed {
			t.Errorf("%s: no 'Installed Go for' line", tt.file)
		}
		ph := tr.Phases()
		if started != PhaseCount(false) || len(ph) != len(names) {
			t.Fatalf("%s: got %d phases (%d starts), want %d", tt.file, len(ph), started, len(names))
		}
		var sum time.Duration
		for i, name := range names {
			if ph[i].Name != name || ph[i].Seconds != tt.secs[i] || !ph[i].Done {
				t.Errorf("%s: phase %d = %s %.2fs done=%v; want %s %.2fs done", tt.file, i, ph[i].Name, ph[i].Seconds, ph[i].Done, name, tt.secs[i])
			}
			sum += ph[i].Duration
		}
		if total := tr.Elapsed(end); sum != total {
			t.Errorf("%s: phases add up to %v, total is %v", tt.file, sum, total)
		}
	}
}

func TestTrackerFailedBuild(t *testing.T) {
	start := time.Unix(0, 0)
	tr := NewTracker(start)
	if _, _, ok := tr.Current(); ok {
		t.Fatal("Current before any phase line: ok")
	}
	tr.Line("Building Go cmd/dist using /b. (go1.26.8 linux/amd64)", start.Add(time.Second))
	tr.Line("Building Go toolchain1 using /b.", start.Add(3*time.Second))
	tr.Line("cmd/compile/internal/ssa: broken", start.Add(4*time.Second))
	tr.Finish(start.Add(10*time.Second), false)
	ph := tr.Phases()
	if len(ph) != 2 || !ph[0].Done || ph[1].Done || ph[1].Duration != 7*time.Second {
		t.Fatalf("phases = %+v", ph)
	}
	cur, i, ok := tr.Current()
	if !ok || i != 2 || cur.Name != PhaseToolchain1 {
		t.Errorf("Current = %v %d %v", cur.Name, i, ok)
	}
}

func FuzzParsePhase(f *testing.F) {
	_, lines := readRecording(f, "testdata/make-go1.26.8-linux-amd64.txt")
	for _, l := range lines {
		f.Add(l)
	}
	f.Fuzz(func(t *testing.T, line string) {
		p, ok := ParsePhase(line)
		if ok && (p.Name == "" || !strings.Contains(line, "Building ")) {
			t.Errorf("ParsePhase(%q) = %+v", line, p)
		}
		tr := NewTracker(time.Unix(0, 0))
		if tr.Line(line, time.Unix(1, 0)) != ok {
			t.Errorf("Tracker.Line and ParsePhase disagree on %q", line)
		}
	})
}
