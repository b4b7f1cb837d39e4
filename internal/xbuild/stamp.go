package xbuild

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Stamp is what version stamping writes into a binary.
type Stamp struct {
	Version string `json:"version"`
	Commit  string `json:"commit,omitempty"`
	// Date is RFC 3339 in UTC: SOURCE_DATE_EPOCH when set, else the commit
	// time, so two builds of one commit are identical.
	Date string `json:"date,omitempty"`
	// Epoch is Date in Unix seconds; archives use it as every entry's
	// modification time. Zero means "no date known".
	Epoch int64 `json:"epoch,omitempty"`
	// VCS is what the go command's own VCS stamping reads from git (the
	// commit, its time, and whether 'git status' shows changes), which
	// goes into every binary as vcs.revision, vcs.time and vcs.modified
	// whatever the version says: part of each target's build key.
	VCS string `json:"-"`
}

// DefaultStampVars are the variables -X sets unless the config says
// otherwise. -X on a variable a program lacks is ignored by the linker.
var DefaultStampVars = StampVars{Version: "main.version", Commit: "main.commit", Date: "main.date"}

// LinkFlags returns the -X flags for the stamp.
func (s Stamp) LinkFlags(vars StampVars) string {
	var fs []string
	add := func(name, val string) {
		if name != "" && val != "" {
			fs = append(fs, "-X "+name+"="+val)
		}
	}
	add(vars.Version, s.Version)
	add(vars.Commit, s.Commit)
	add(vars.Date, s.Date)
	return strings.Join(fs, " ")
}

// ReadStamp derives the stamp for the source in dir: the version from
// 'git describe --tags --always' plus "-dirty" when 'git status' (as the
// go command's own VCS stamping sees it) shows changes, the commit hash,
// and the date. override replaces the version; sourceDateEpoch is
// $SOURCE_DATE_EPOCH. Outside a git work tree the version is "dev".
func ReadStamp(ctx context.Context, dir, override, sourceDateEpoch string) (Stamp, error) {
	var describe, head, status string
	var errDescribe, errHead error
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); describe, errDescribe = git(ctx, dir, "describe", "--tags", "--always") }()
	go func() { defer wg.Done(); head, errHead = git(ctx, dir, "log", "-1", "--format=%H %ct") }()
	go func() { defer wg.Done(); status, _ = git(ctx, dir, "status", "--porcelain") }()
	wg.Wait()
	s := Stamp{Version: "dev"}
	if errHead == nil {
		s.VCS = fmt.Sprintf("%s modified=%t", head, status != "")
	}
	if errDescribe == nil && errHead == nil && describe != "" {
		s.Version = describe
		if status != "" {
			s.Version += "-dirty"
		}
		if hash, ct, ok := strings.Cut(head, " "); ok {
			s.Commit = hash
			s.Epoch, _ = strconv.ParseInt(ct, 10, 64)
		}
	}
	if override != "" {
		s.Version = override
	}
	if sourceDateEpoch != "" {
		sec, err := strconv.ParseInt(sourceDateEpoch, 10, 64)
		if err != nil {
			return Stamp{}, &BadInputError{Msg: "bad SOURCE_DATE_EPOCH " + strconv.Quote(sourceDateEpoch) + ": want seconds since 1970"}
		}
		if sec < minEpoch || sec > maxEpoch {
			return Stamp{}, &BadInputError{Msg: fmt.Sprintf("SOURCE_DATE_EPOCH %d is out of range: archives can record times from %s to %s (%d to %d)",
				sec, time.Unix(minEpoch, 0).UTC().Format(time.DateOnly), time.Unix(maxEpoch, 0).UTC().Format(time.DateOnly), int64(minEpoch), int64(maxEpoch))}
		}
		s.Epoch = sec
	}
	if s.Epoch != 0 {
		s.Date = time.Unix(s.Epoch, 0).UTC().Format(time.RFC3339)
	}
	return s, nil
}

// The range of SOURCE_DATE_EPOCH: not before 1970 (the specification's
// "seconds since the epoch"), and not past 2107, the last year zip's
// MS-DOS dates can hold (tar could go further, but one stamp serves both).
// Archives record times before 1980, zip's first year, as 1980.
const (
	minEpoch = 0
	maxEpoch = 4354819199 // 2107-12-31T23:59:59Z
)

func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}

// BadInputError is an error in what the user asked for (as opposed to a
// failure while doing it); the command line reports it as a usage error.
type BadInputError struct{ Msg string }

func (e *BadInputError) Error() string { return e.Msg }
