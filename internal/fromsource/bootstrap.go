package fromsource

import (
	"errors"
	"fmt"
	"go/version"
	"regexp"
	"sort"
	"strings"
)

// A Requirement is the oldest Go that can bootstrap a source tree, and the
// file that says so.
type Requirement struct {
	Version string `json:"version"` // "go1.24.6"
	From    string `json:"from"`    // "src/cmd/dist/buildtool.go"
}

// DistSources holds the files of a source tree that state its bootstrap
// requirement, keyed by their slash path inside the tree
// ("src/make.bash", "src/cmd/dist/buildtool.go", "src/cmd/dist/notgo124.go").
type DistSources map[string][]byte

var (
	// Go 1.23 and later: const minBootstrap = "go1.22.6" in buildtool.go.
	minBootstrapRE = regexp.MustCompile(`(?m)^const minBootstrap = "(go1(?:\.[0-9]+){1,2})"`)
	// Go 1.21 and later: bootgo=1.20.6 in make.bash.
	bootgoRE = regexp.MustCompile(`(?m)^bootgo=(1(?:\.[0-9]+){1,2})\s*$`)
	// Go 1.20 and later: notgoNNN.go declares an impossible package whose
	// name is the message.
	notgoRE = regexp.MustCompile(`(?m)^package building_Go_requires_Go_(1(?:_[0-9]+){1,2})_or_later`)
	// Every version since Go 1.5: the hint make.bash prints when
	// GOROOT_BOOTSTRAP is missing ("a working Go tree >= Go 1.4.").
	makeHintRE = regexp.MustCompile(`working Go tree >= Go (1(?:\.[0-9]+){1,2})`)
)

// ParseRequirement finds the minimum bootstrap version in a tree's
// cmd/dist and make.bash sources. Each Go release states it in one or more
// of several ways; the strictest statement wins.
func ParseRequirement(src DistSources) (Requirement, error) {
	var best Requirement
	consider := func(v, from string) {
		if !version.IsValid(v) {
			return
		}
		if best.Version == "" || version.Compare(v, best.Version) > 0 {
			best = Requirement{Version: v, From: from}
		}
	}
	for _, name := range sortedKeys(src) {
		data := src[name]
		base := name[strings.LastIndex(name, "/")+1:]
		switch {
		case base == "buildtool.go":
			if m := minBootstrapRE.FindSubmatch(data); m != nil {
				consider(string(m[1]), name)
			}
		case base == "make.bash":
			if m := bootgoRE.FindSubmatch(data); m != nil {
				consider("go"+string(m[1]), name)
			}
			for _, m := range makeHintRE.FindAllSubmatch(data, -1) {
				consider("go"+string(m[1]), name)
			}
		case strings.HasPrefix(base, "notgo") && strings.HasSuffix(base, ".go"):
			if m := notgoRE.FindSubmatch(data); m != nil {
				consider("go"+strings.ReplaceAll(string(m[1]), "_", "."), name)
			}
		}
	}
	if best.Version == "" {
		return Requirement{}, errors.New("no minimum bootstrap version in src/make.bash or src/cmd/dist")
	}
	return best, nil
}

func sortedKeys(m DistSources) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// A Candidate is a Go toolchain that might bootstrap a build.
type Candidate struct {
	Name    string `json:"name"`    // managed version name, or the GOROOT for others
	GOROOT  string `json:"goroot"`  // its root; GOROOT_BOOTSTRAP
	Version string `json:"version"` // its 'go env GOVERSION', e.g. "go1.26.8"
	Origin  string `json:"origin"`  // "managed", "path" (the go on PATH) or "flag" (--bootstrap)
}

// A Rejection says why a candidate cannot bootstrap the tree.
type Rejection struct {
	Candidate
	Reason string `json:"reason"`
}

// NoBootstrapError reports that no candidate satisfies the requirement.
type NoBootstrapError struct {
	Need     Requirement
	Rejected []Rejection
}

func (e *NoBootstrapError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "no Go toolchain can bootstrap this tree: it needs %s or later (%s)", e.Need.Version, e.Need.From)
	if len(e.Rejected) == 0 {
		b.WriteString("; no Go is installed")
	}
	for _, r := range e.Rejected {
		fmt.Fprintf(&b, "\n\t%s (%s): %s", r.Name, r.Origin, r.Reason)
	}
	fmt.Fprintf(&b, "\nget one with 'goforge install %s', register an existing one with 'goforge adopt DIR',"+
		" or name one with --bootstrap VERSION|DIR", strings.TrimPrefix(e.Need.Version, "go"))
	return b.String()
}

// Check reports why c cannot bootstrap a tree needing need, or "" if it
// can. A candidate whose version is not a release ("devel ...") is
// accepted only when the user named it. (A toolchain may bootstrap its own
// source: goforge builds a copy, never the tree in place.)
func Check(c Candidate, need Requirement) string {
	switch {
	case !version.IsValid(c.Version) && c.Origin != "flag":
		return fmt.Sprintf("version %q is not a release", c.Version)
	case version.IsValid(c.Version) && version.Compare(c.Version, need.Version) < 0:
		return fmt.Sprintf("%s is older than %s", c.Version, need.Version)
	}
	return ""
}

// Select picks the bootstrap toolchain for a tree: the newest
// managed version that satisfies need, else the go on PATH if it does.
// To honour --bootstrap, pass only the named candidate, with Origin "flag".
func Select(need Requirement, cands []Candidate) (Candidate, error) {
	var ok []Candidate
	var rejected []Rejection
	for _, c := range cands {
		if why := Check(c, need); why != "" {
			rejected = append(rejected, Rejection{Candidate: c, Reason: why})
			continue
		}
		ok = append(ok, c)
	}
	if len(ok) == 0 {
		return Candidate{}, &NoBootstrapError{Need: need, Rejected: rejected}
	}
	sort.SliceStable(ok, func(i, j int) bool {
		if pi, pj := originRank(ok[i].Origin), originRank(ok[j].Origin); pi != pj {
			return pi < pj
		}
		return version.Compare(ok[i].Version, ok[j].Version) > 0
	})
	return ok[0], nil
}

func originRank(origin string) int {
	switch origin {
	case "flag":
		return 0
	case "managed":
		return 1
	}
	return 2
}
