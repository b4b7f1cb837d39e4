package xbuild

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// perBuildMemory is what one concurrent go build of a mid-size program
// may need at its peak (the compiler on a large package plus the linker).
const perBuildMemory = 1 << 30

// Workers chooses how many builds run at once: one per core, fewer when
// available memory would not hold that many builds at their peak, and at
// least one. All builds share one GOCACHE, so targets that share work (the
// same GOOS/GOARCH at different levels) reuse each other's compiled
// packages.
func Workers(cores int, availMem int64) int {
	n := max(1, cores)
	if availMem > 0 {
		n = min(n, int(max(1, availMem/perBuildMemory)))
	}
	return n
}

// DefaultWorkers is Workers for this machine.
func DefaultWorkers() int { return Workers(runtime.NumCPU(), AvailableMemory()) }

// AvailableMemory reads MemAvailable from /proc/meminfo, or 0 when it is
// not known (then only cores bound the concurrency).
func AvailableMemory() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemAvailable:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}
