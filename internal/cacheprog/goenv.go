package cacheprog

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// GoEnv returns the environment that makes a go command use goforge (the
// executable exe) as its cache program with cfg's directory, size cap and
// remote. The command line is quoted the way cmd/go splits GOCACHEPROG
// (spaces separate fields; a field may be wrapped in single or double
// quotes). The remote URL, which may carry credentials, goes into
// GOFORGE_CACHE_REMOTE rather than the command line, where ps would show it.
func GoEnv(exe string, cfg Config) ([]string, error) {
	args := []string{exe, "cacheprog"}
	if cfg.Dir != "" {
		args = append(args, "--dir", cfg.Dir)
	}
	if cfg.MaxSize > 0 {
		args = append(args, "--max-size", strconv.FormatInt(cfg.MaxSize, 10))
	}
	if cfg.StatsFile != "" {
		args = append(args, "--stats-file", cfg.StatsFile)
	}
	if cfg.WarningsFile != "" {
		args = append(args, "--warnings-file", cfg.WarningsFile)
	}
	if cfg.Quiet {
		args = append(args, "--quiet")
	}
	line, err := quoteArgs(args)
	if err != nil {
		return nil, err
	}
	env := []string{"GOCACHEPROG=" + line}
	if cfg.Remote.URL != "" {
		env = append(env, "GOFORGE_CACHE_REMOTE="+cfg.Remote.URL)
	}
	return env, nil
}

// quoteArgs joins args so that cmd/go's quoted.Split gives them back.
func quoteArgs(args []string) (string, error) {
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		switch {
		case a != "" && !strings.ContainsAny(a, " \t\n\r'\""):
			b.WriteString(a)
		case !strings.Contains(a, "'"):
			b.WriteString("'" + a + "'")
		case !strings.Contains(a, `"`):
			b.WriteString(`"` + a + `"`)
		default:
			return "", fmt.Errorf("cannot put %q in GOCACHEPROG: it contains both quote characters", a)
		}
	}
	return b.String(), nil
}

// ParseSize reads a size such as "5GB", "500M", "2GiB" or "1048576".
// K, M, G and T are powers of 1024, with or without "B" or "iB".
func ParseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "B"), "I")
	mult := int64(1)
	if n := len(t); n > 0 {
		switch t[n-1] {
		case 'K':
			mult = 1 << 10
		case 'M':
			mult = 1 << 20
		case 'G':
			mult = 1 << 30
		case 'T':
			mult = 1 << 40
		}
		if mult > 1 {
			t = t[:n-1]
		}
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
	if err != nil || !(f > 0) || f*float64(mult) > 1<<62 {
		return 0, fmt.Errorf("bad size %q: want a positive number of bytes, or with K, M, G or T", s)
	}
	return int64(f * float64(mult)), nil
}

// TeamEnv is the environment that makes the go command use the team
// build cache at rawURL: GOCACHEPROG runs exe's cacheprog with its local
// tier in DefaultDir(getenv), rawURL as the remote tier, and its warnings
// appended to warnings (see ReadWarnings; "": on the go command's
// stderr). A URL that is not http(s) is a *URLError. The local directory
// is checked here (CheckDir), once, rather than failing every go command.
func TeamEnv(exe, rawURL, warnings string, getenv func(string) string) ([]string, error) {
	if err := CheckURL(rawURL); err != nil {
		return nil, err
	}
	if exe == "" {
		return nil, fmt.Errorf("using the team cache: goforge's own executable is unknown")
	}
	dir := DefaultDir(getenv)
	if err := CheckDir(dir); err != nil {
		return nil, fmt.Errorf("using the team cache: %w (set GOFORGE_CACHE_DIR to a writable directory)", err)
	}
	// Quiet: the summary would reach the user only inside the error of a
	// failed go build, between the compiler's messages.
	return GoEnv(exe, Config{Dir: dir, WarningsFile: warnings, Quiet: true, Remote: RemoteConfig{URL: rawURL}})
}

// CheckURL returns a *URLError when rawURL is not an http(s) URL with a
// host.
func CheckURL(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &URLError{URL: Redact(rawURL)}
	}
	return nil
}

// A URLError is a cache URL goforge cannot use.
type URLError struct{ URL string }

func (e *URLError) Error() string {
	return fmt.Sprintf("cache %q is not an http(s) URL of a cache server", e.URL)
}
