package command

import (
	"flag"
	"io"
	"testing"
	"time"
)

// TestFlagErrorText feeds every message of the flag package through the
// rewrite: each names the flag as typed ("-j", "--depth"), never "flag -x".
func TestFlagErrorText(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--nosuch"}, "unknown flag --nosuch"},
		{[]string{"-v"}, "unknown flag -v"},
		{[]string{"--depth"}, "flag --depth needs an argument"},
		{[]string{"-j"}, "flag -j needs an argument"},
		{[]string{"--depth", "x"}, `invalid value "x" for --depth: parse error`},
		{[]string{"-depth=99999999999999999999"}, `invalid value "99999999999999999999" for --depth: value out of range`},
		{[]string{"-j", "1.5"}, `invalid value "1.5" for -j: parse error`},
		{[]string{"--timeout", "soon"}, `invalid value "soon" for --timeout: parse error`},
		{[]string{"--json=maybe"}, `invalid value "maybe" for --json: parse error`},
		{[]string{`--tag=a"b: c`, "--depth", `a"b: c`}, `invalid value "a\"b: c" for --depth: parse error`},
		{[]string{"---x"}, "bad flag syntax: ---x"},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		fs.Int("depth", -1, "")
		fs.Int("j", 0, "")
		fs.String("tag", "", "")
		fs.Duration("timeout", 0, "")
		fs.Bool("json", false, "")
		err := fs.Parse(tc.args)
		if err == nil {
			t.Fatalf("%q: no error", tc.args)
		}
		if got := flagErrorText(err); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.args, got, tc.want)
		}
	}
}

// TestFlagHelp checks the spelling, placeholder and default of each kind
// of flag in help.
func TestFlagHelp(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.Int("j", 4, "builds at once")
	fs.Int("depth", -1, "levels")
	fs.String("o", "", "write to `FILE`")
	fs.String("format", "text", "output format")
	fs.Duration("timeout", time.Minute, "give up after")
	fs.Bool("std", true, "include std")
	fs.Bool("json", false, "print JSON")
	for name, want := range map[string][2]string{
		"j":       {"-j N", "builds at once (default 4)"},
		"depth":   {"--depth N", "levels (default -1)"},
		"o":       {"-o FILE", "write to FILE"},
		"format":  {"--format STRING", `output format (default "text")`},
		"timeout": {"--timeout DURATION", "give up after (default 1m0s)"},
		"std":     {"--std", "include std (default true)"},
		"json":    {"--json", "print JSON"},
	} {
		line, usage := FlagHelp(fs.Lookup(name))
		if line != want[0] || usage != want[1] {
			t.Errorf("%s: %q %q, want %q %q", name, line, usage, want[0], want[1])
		}
	}
}
