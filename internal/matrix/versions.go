package matrix

import (
	"context"
	"errors"
	"fmt"
	"go/version"
	"slices"
	"strconv"
	"strings"
)

// A VersionSource knows which Go releases are installed and which could be.
// The matrix never reaches the network itself: the caller's source does.
type VersionSource interface {
	// Installed returns the Go versions installed for this machine
	// ("go1.22.5"), in any order.
	Installed() ([]string, error)
	// Remote returns the Go releases that could be installed for this
	// machine, in any order. It is called only when the installed versions
	// do not answer the question.
	Remote(ctx context.Context) ([]string, error)
}

// Spec words accepted by ParseVersionList besides versions.
const (
	SpecGoMod       = "go.mod"         // the go line's release, newest patch
	SpecGoModLatest = "go.mod..latest" // every release from the go line to the newest
	SpecSupported   = "supported"      // the two newest releases
	SpecInstalled   = "installed"      // every installed release
)

// ParseVersionList splits a --go list ("1.19,1.22.5,go.mod,supported") into
// its entries, checking the syntax of each. It does no lookups.
func ParseVersionList(list string) ([]string, error) {
	if strings.TrimSpace(list) == "" {
		return nil, errors.New("empty version list")
	}
	var out []string
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		switch {
		case f == "":
			return nil, fmt.Errorf("empty entry in version list %q", list)
		case f == SpecGoMod, f == SpecGoModLatest, f == SpecSupported, f == SpecInstalled, f == "latest":
		case normalize(f) == "":
			return nil, fmt.Errorf("%q is not a Go version (want 1.22, 1.22.5, go.mod, go.mod..latest, supported or installed)", f)
		}
		out = append(out, f)
	}
	return out, nil
}

// normalize turns "1.22.5", "go1.22.5" or "1.22" into "go1.22.5"/"go1.22";
// it returns "" for anything else.
func normalize(v string) string {
	v = strings.TrimPrefix(strings.TrimPrefix(v, "v"), "go")
	v = "go" + v
	if !version.IsValid(v) {
		return ""
	}
	return v
}

// isLang reports whether v (normalized) is a language version (go1.22).
func isLang(v string) bool { return version.Lang(v) == v }

// A Resolution is a resolved version list: the releases to run, newest
// first, and which of them still need installing.
type Resolution struct {
	Versions []string // "go1.22.5", newest first, no duplicates
	Missing  []string // the subset not installed
}

// Resolve turns entries from ParseVersionList into releases. goLine is the
// go line of the module's go.mod ("1.21" or "1.21.0"; "" without one).
func Resolve(ctx context.Context, entries []string, goLine string, src VersionSource) (Resolution, error) {
	r := resolver{ctx: ctx, src: src, goLine: goLine}
	inst, err := src.Installed()
	if err != nil {
		return Resolution{}, err
	}
	r.installed = inst
	var res Resolution
	for _, e := range entries {
		vs, err := r.entry(e)
		if err != nil {
			return Resolution{}, err
		}
		for _, v := range vs {
			if !slices.Contains(res.Versions, v) {
				res.Versions = append(res.Versions, v)
			}
		}
	}
	slices.SortFunc(res.Versions, func(a, b string) int { return version.Compare(b, a) })
	for _, v := range res.Versions {
		if !slices.Contains(r.installed, v) {
			res.Missing = append(res.Missing, v)
		}
	}
	return res, nil
}

type resolver struct {
	ctx       context.Context
	src       VersionSource
	goLine    string
	installed []string
	remote    []string
	remoteErr error
	asked     bool
}

func (r *resolver) entry(e string) ([]string, error) {
	switch e {
	case SpecInstalled:
		if len(r.installed) == 0 {
			return nil, errors.New("no Go versions are installed (see 'goforge install')")
		}
		return releasesOnly(r.installed), nil
	case SpecSupported:
		return r.supported()
	case "latest":
		rel, err := r.releases()
		if err != nil {
			return nil, err
		}
		return []string{newestOf(rel)}, nil
	case SpecGoMod, SpecGoModLatest:
		lang, err := r.goModLang()
		if err != nil {
			return nil, err
		}
		if e == SpecGoMod {
			v, err := r.one(lang)
			return []string{v}, err
		}
		return r.langRange(lang)
	}
	v, err := r.one(normalize(e))
	return []string{v}, err
}

// one resolves a single version: a language version to its newest patch
// (installed first, so that no network is needed when one is there), a
// release to itself when it is installed or offered.
func (r *resolver) one(v string) (string, error) {
	if isLang(v) {
		if best := newestIn(r.installed, v); best != "" {
			return best, nil
		}
		rel, err := r.releases()
		if err != nil {
			return "", fmt.Errorf("%s is not installed and the available releases are unknown: %w", v, err)
		}
		if best := newestIn(rel, v); best != "" {
			return best, nil
		}
		return "", fmt.Errorf("no Go release matches %q", strings.TrimPrefix(v, "go"))
	}
	if slices.Contains(r.installed, v) {
		return v, nil
	}
	rel, err := r.releases()
	if err != nil {
		return "", fmt.Errorf("%s is not installed and the available releases are unknown: %w", v, err)
	}
	if !slices.Contains(rel, v) {
		return "", fmt.Errorf("no Go release %q exists", strings.TrimPrefix(v, "go"))
	}
	return v, nil
}

// releases returns every known release: installed and remote. A remote
// failure is an error only when the installed versions do not answer.
func (r *resolver) releases() ([]string, error) {
	if !r.asked {
		r.asked = true
		r.remote, r.remoteErr = r.src.Remote(r.ctx)
	}
	if r.remoteErr != nil {
		return nil, fmt.Errorf("listing Go releases: %w", r.remoteErr)
	}
	all := append(releasesOnly(r.installed), releasesOnly(r.remote)...)
	return all, nil
}

func (r *resolver) supported() ([]string, error) {
	rel, err := r.releases()
	if err != nil {
		return nil, err
	}
	langs := langsOf(rel)
	if len(langs) > 2 {
		langs = langs[:2]
	}
	var out []string
	for _, l := range langs {
		out = append(out, newestIn(rel, l))
	}
	return out, nil
}

func (r *resolver) goModLang() (string, error) {
	if r.goLine == "" {
		return "", errors.New("go.mod has no go line")
	}
	v := normalize(r.goLine)
	if v == "" {
		return "", fmt.Errorf("go.mod's go line %q is not a Go version", r.goLine)
	}
	return version.Lang(v), nil
}

// langRange is every language version from lang to the newest known one,
// each at its newest patch. Without a remote list it stops at the newest
// installed release, which is as far as anyone can know offline.
func (r *resolver) langRange(lang string) ([]string, error) {
	rel, err := r.releases()
	if err != nil {
		rel = releasesOnly(r.installed)
	}
	var out []string
	for _, l := range langsOf(rel) {
		if version.Compare(l, lang) >= 0 {
			out = append(out, newestIn(rel, l))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no Go release from %s on is known", lang)
	}
	return out, nil
}

// releasesOnly keeps final releases (no rc, beta or devel).
func releasesOnly(vs []string) []string {
	var out []string
	for _, v := range vs {
		if version.IsValid(v) && !strings.ContainsAny(strings.TrimPrefix(v, "go"), "abcdefghijklmnopqrstuvwxyz") {
			out = append(out, v)
		}
	}
	return out
}

// newestIn returns the newest release in vs of language version lang.
func newestIn(vs []string, lang string) string {
	best := ""
	for _, v := range releasesOnly(vs) {
		if version.Lang(v) == lang && (best == "" || version.Compare(v, best) > 0) {
			best = v
		}
	}
	return best
}

func newestOf(vs []string) string {
	best := ""
	for _, v := range vs {
		if best == "" || version.Compare(v, best) > 0 {
			best = v
		}
	}
	return best
}

// langsOf returns the distinct language versions of vs, newest first.
func langsOf(vs []string) []string {
	var langs []string
	for _, v := range vs {
		if l := version.Lang(v); l != "" && !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	slices.SortFunc(langs, func(a, b string) int { return version.Compare(b, a) })
	return langs
}

// minorOf returns the minor number of a Go version: 21 for go1.21.5.
func minorOf(v string) int {
	l := strings.TrimPrefix(version.Lang(v), "go1.")
	n, _ := strconv.Atoi(l)
	return n
}

// Newest returns the newest release src knows (remote when it answers,
// installed otherwise), or fallback when it is newer or nothing is known.
func Newest(ctx context.Context, src VersionSource, fallback string) string {
	var all []string
	if inst, err := src.Installed(); err == nil {
		all = append(all, inst...)
	}
	if rem, err := src.Remote(ctx); err == nil {
		all = append(all, rem...)
	}
	all = releasesOnly(append(all, fallback))
	if len(all) == 0 {
		return fallback
	}
	return newestOf(all)
}
