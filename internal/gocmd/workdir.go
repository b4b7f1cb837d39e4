package gocmd

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// workDirPrefix names the directories the runner gives the go command as
// GOTMPDIR: goforge-go-<pid>-<random> in the system's temporary directory.
const workDirPrefix = "goforge-go-"

var sweepOnce sync.Once

// workDir makes a directory for the go command's work files (go-build*)
// that Run removes when the command is done, so a go command killed by an
// interrupt (SIGKILL to its process group: it cannot clean up) leaves
// nothing behind. It returns "" when the caller set GOTMPDIR, and for
// 'go env', whose report must show the user's own GOTMPDIR and GOGCCFLAGS.
// The first call also removes the directories of goforge processes that
// died before they could (SIGKILL).
func workDir(env, args []string) string {
	if Getenv(env, "GOTMPDIR") != "" || (len(args) > 0 && args[0] == "env") {
		return ""
	}
	sweepOnce.Do(sweepWorkDirs)
	dir, err := os.MkdirTemp("", fmt.Sprintf("%s%d-", workDirPrefix, os.Getpid()))
	if err != nil {
		return ""
	}
	return dir
}

// sweepWorkDirs removes the work directories of goforge processes that
// are gone.
func sweepWorkDirs() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), workDirPrefix+"*"))
	for _, d := range dirs {
		pidText, _, ok := strings.Cut(strings.TrimPrefix(filepath.Base(d), workDirPrefix), "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		os.RemoveAll(d)
	}
}
