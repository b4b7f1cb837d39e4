package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goforge/goforge/internal/command"
)

// walk calls f for every command in the tree below c.
func walk(c *Command, f func(*Command)) {
	f(c)
	for _, s := range c.Subcommands {
		walk(s, f)
	}
}

// sandbox is an environment and working directory for commands run in
// process, away from the developer's own toolchains and rc files. The
// process itself is not touched, so tests using it run in parallel.
type sandbox struct {
	env []string
	dir string
}

// isolate returns a fresh sandbox.
func isolate(t *testing.T) sandbox {
	dir := t.TempDir()
	return sandbox{dir: dir, env: []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "PWD=" + dir,
		"XDG_DATA_HOME=" + dir + "/data", "XDG_CONFIG_HOME=" + dir + "/config", "XDG_CACHE_HOME=" + dir + "/cache",
		"GOFORGE_HOME=" + dir + "/goforge", "GOPROXY=off", "GOFLAGS=", "GOTOOLCHAIN=local",
	}}
}

func (sb sandbox) run(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	st := &Stdio{In: strings.NewReader(""), Out: &out, Err: &errb, Env: sb.env, Dir: sb.dir}
	code = Run(context.Background(), st, args)
	return code, out.String(), errb.String()
}

var usageLine = regexp.MustCompile(`^goforge: [^\n]+ \(run 'goforge help[^']*'\)\n$`)

// TestEveryCommandUsageErrors checks the contract of every command, present
// and future: help works, and a bad flag is one goforge: line on stderr,
// exit 2, nothing on stdout.
func TestEveryCommandUsageErrors(t *testing.T) {
	t.Parallel()
	walk(NewRoot(), func(c *Command) {
		path := strings.Fields(c.Path())[1:]
		t.Run(strings.Join(append([]string{"goforge"}, path...), "_"), func(t *testing.T) {
			t.Parallel()
			sb := isolate(t)
			code, out, errs := sb.run(append([]string{"help"}, path...)...)
			if code != 0 || !strings.Contains(out, "usage: goforge") || errs != "" {
				t.Errorf("help %v: exit %d, stdout %q, stderr %q", path, code, out, errs)
			}
			if c.Short == "" && len(path) > 0 {
				t.Errorf("%s has no short description", c.Path())
			}
			code, out, errs = sb.run(append(path, "--no-such-flag")...)
			if code != 2 || out != "" || !usageLine.MatchString(errs) {
				t.Errorf("%v --no-such-flag: exit %d, stdout %q, stderr %q; want exit 2, one goforge: line", path, code, out, errs)
			}
		})
	})
}

// flagKinds are the flag package's value types whose values a test can get
// wrong: their bad values must be usage errors.
var flagKinds = map[string]string{
	"*flag.boolValue": "bool", "*flag.intValue": "int", "*flag.int64Value": "int",
	"*flag.uintValue": "int", "*flag.uint64Value": "int", "*flag.float64Value": "int",
	"*flag.durationValue": "duration",
}

// TestEveryFlagHelpAndBadValue checks every flag of every command, present
// and future: help shows it in one style ("-x" for one letter, "--name"
// otherwise, a placeholder that is not the flag package's type name, numeric
// defaults unquoted), and a bad value for a typed flag is one goforge: line
// naming the flag as typed, exit 2, nothing on stdout.
func TestEveryFlagHelpAndBadValue(t *testing.T) {
	t.Parallel()
	walk(NewRoot(), func(c *Command) {
		path := strings.Fields(c.Path())[1:]
		sb := isolate(t)
		_, help, _ := sb.run(append([]string{"help"}, path...)...)
		if len(path) == 0 {
			help = ""
			var b strings.Builder
			c.PrintHelp(&b)
			help = b.String()
		}
		c.Flags.VisitAll(func(f *flag.Flag) {
			kind := flagKinds[fmt.Sprintf("%T", f.Value)]
			checkFlagHelp(t, c, f, kind, help)
			if kind == "" {
				return
			}
			bad := "bogus"
			if kind == "bool" {
				bad = "maybe"
			}
			spelled := command.FlagSpelling(f.Name)
			code, out, errs := sb.run(append(path, spelled+"="+bad)...)
			want := regexp.MustCompile(`^goforge: invalid value "` + bad + `" for ` + regexp.QuoteMeta(spelled) + `: [^\n]+ \(run 'goforge help[^']*'\)\n$`)
			if code != 2 || out != "" || !want.MatchString(errs) {
				t.Errorf("%s %s=%s: exit %d, stdout %q, stderr %q; want exit 2, one goforge: line naming %s", c.Path(), spelled, bad, code, out, errs, spelled)
			}
		})
	})
}

// checkFlagHelp checks f's line in c's help.
func checkFlagHelp(t *testing.T, c *Command, f *flag.Flag, kind, help string) {
	t.Helper()
	spelled := command.FlagSpelling(f.Name)
	var line string
	for _, l := range strings.Split(help, "\n") {
		if strings.HasPrefix(l, "  "+spelled+" ") {
			line = l
		}
	}
	if line == "" {
		t.Errorf("%s: help has no line for %s:\n%s", c.Path(), spelled, help)
		return
	}
	// The flag column is 26 wide with one space after it, so the usages of
	// a command line up.
	if len(line) < 28 || line[26] != ' ' || line[27] == ' ' {
		t.Errorf("%s: %s's line does not keep the flag column: %q", c.Path(), spelled, line)
		return
	}
	col := strings.Fields(line[:26])
	switch {
	case kind == "bool" && len(col) > 1:
		t.Errorf("%s: bool flag %s shows a placeholder: %q", c.Path(), spelled, line)
	case kind != "bool" && len(col) != 2:
		t.Errorf("%s: %s shows no placeholder for its value: %q", c.Path(), spelled, line)
	case len(col) == 2:
		switch col[1] {
		case "int", "uint", "float", "string", "duration", "value":
			t.Errorf("%s: %s shows the flag package's type name %q as its placeholder: %q", c.Path(), spelled, col[1], line)
		}
	}
	if (kind == "int" || kind == "duration" || kind == "bool") && strings.Contains(line, `(default "`) {
		t.Errorf("%s: %s quotes its %s default: %q", c.Path(), spelled, kind, line)
	}
}

// requiredArg matches a usage synopsis that names a required positional
// argument outside brackets, such as "FILE" in "[--json] FILE".
var requiredArg = regexp.MustCompile(`(^|\s)[A-Z][A-Z_:.]+(\s|$)`)

// TestMissingArguments runs every command whose usage names a required
// argument without it: a usage error, exit 2, nothing on stdout.
func TestMissingArguments(t *testing.T) {
	t.Parallel()
	sb := isolate(t)
	walk(NewRoot(), func(c *Command) {
		usage := regexp.MustCompile(`\[[^\]]*\]`).ReplaceAllString(c.Usage, "")
		if c.Run == nil || !requiredArg.MatchString(usage) || strings.Contains(c.Usage, "...]") {
			return
		}
		path := strings.Fields(c.Path())[1:]
		code, out, errs := sb.run(path...)
		if code != 2 || out != "" || !usageLine.MatchString(errs) {
			t.Errorf("%s with no arguments (usage %q): exit %d, stdout %q, stderr %q; want exit 2, one goforge: line", c.Path(), c.Usage, code, out, errs)
		}
	})
}

// TestCommandsUseStdioNotProcess runs commands side by side in two
// sandboxes: each writes into and reads from its own Stdio.Dir and
// environment, never the process's working directory or variables.
func TestCommandsUseStdioNotProcess(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"1.21.4", "1.22.5"} {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			sb := isolate(t)
			if code, _, errs := sb.run("use", "--local", v); code != 0 || !strings.Contains(errs, filepath.Join(sb.dir, ".goenv")+" pins go "+v) {
				t.Fatalf("use --local %s: exit %d, stderr %q", v, code, errs)
			}
			data, err := os.ReadFile(filepath.Join(sb.dir, ".goenv"))
			if err != nil || !strings.Contains(string(data), v) {
				t.Fatalf("the pin is not in the sandbox's directory: %q, %v", data, err)
			}
			code, out, errs := sb.run("env", "--json")
			if code != 0 || !strings.Contains(out, `"query": "`+v+`"`) || !strings.Contains(out, `"source": "`+filepath.Join(sb.dir, ".goenv")+`"`) {
				t.Errorf("env --json in the sandbox: exit %d, stderr %q, stdout %.400s", code, errs, out)
			}
		})
	}
}
