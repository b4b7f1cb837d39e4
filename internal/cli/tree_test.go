package cli

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
)

// walk calls f for every command in the tree below c.
func walk(c *Command, f func(*Command)) {
	f(c)
	for _, s := range c.Subcommands {
		walk(s, f)
	}
}

func runArgs(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Run(context.Background(), &Stdio{In: strings.NewReader(""), Out: &out, Err: &errb}, args)
	return code, out.String(), errb.String()
}

// isolate keeps commands run in-process away from the developer's own
// toolchains and rc files.
func isolate(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_DATA_HOME", dir+"/data")
	t.Setenv("XDG_CONFIG_HOME", dir+"/config")
	t.Setenv("XDG_CACHE_HOME", dir+"/cache")
	t.Setenv("GOFORGE_HOME", dir+"/goforge")
	t.Setenv("GOPROXY", "off")
	t.Chdir(dir)
}

var usageLine = regexp.MustCompile(`^goforge: [^\n]+ \(run 'goforge help[^']*'\)\n$`)

// TestEveryCommandUsageErrors checks the contract of every command, present
// and future: help works, and a bad flag is one goforge: line on stderr,
// exit 2, nothing on stdout.
func TestEveryCommandUsageErrors(t *testing.T) {
	isolate(t)
	walk(NewRoot(), func(c *Command) {
		path := strings.Fields(c.Path())[1:]
		t.Run(strings.Join(append([]string{"goforge"}, path...), "_"), func(t *testing.T) {
			code, out, errs := runArgs(append([]string{"help"}, path...)...)
			if code != 0 || !strings.Contains(out, "usage: goforge") || errs != "" {
				t.Errorf("help %v: exit %d, stdout %q, stderr %q", path, code, out, errs)
			}
			if c.Short == "" && len(path) > 0 {
				t.Errorf("%s has no short description", c.Path())
			}
			code, out, errs = runArgs(append(path, "--no-such-flag")...)
			if code != 2 || out != "" || !usageLine.MatchString(errs) {
				t.Errorf("%v --no-such-flag: exit %d, stdout %q, stderr %q; want exit 2, one goforge: line", path, code, out, errs)
			}
		})
	})
}

// requiredArg matches a usage synopsis that names a required positional
// argument outside brackets, such as "FILE" in "[--json] FILE".
var requiredArg = regexp.MustCompile(`(^|\s)[A-Z][A-Z_:.]+(\s|$)`)

// TestMissingArguments runs every command whose usage names a required
// argument without it: a usage error, exit 2, nothing on stdout.
func TestMissingArguments(t *testing.T) {
	isolate(t)
	walk(NewRoot(), func(c *Command) {
		usage := regexp.MustCompile(`\[[^\]]*\]`).ReplaceAllString(c.Usage, "")
		if c.Run == nil || !requiredArg.MatchString(usage) || strings.Contains(c.Usage, "...]") {
			return
		}
		path := strings.Fields(c.Path())[1:]
		code, out, errs := runArgs(path...)
		if code != 2 || out != "" || !usageLine.MatchString(errs) {
			t.Errorf("%s with no arguments (usage %q): exit %d, stdout %q, stderr %q; want exit 2, one goforge: line", c.Path(), c.Usage, code, out, errs)
		}
	})
}
