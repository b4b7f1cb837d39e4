// Package command is the framework of goforge's command tree, as
// cmd/go's base.Command is the go command's: a Command per verb with its
// usage, help, flags and Run, flag parsing that lets flags follow
// arguments, help output, and the usage and exit-status errors. S is what
// every Run receives (the cli package's Stdio).
package command

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// A Command is one verb of goforge (or one sub-verb, such as "inspect funcs").
// Each command is built by its own constructor, which declares the command's
// flags on Flags and sets Run; nothing about a command lives in package
// globals, so commands can be built and run in parallel in tests.
type Command[S any] struct {
	// Name is the verb as typed: "doctor", "funcs".
	Name string
	// Usage is the argument synopsis after the command path,
	// e.g. "[--json] VERSION".
	Usage string
	// Short is a one-line description shown in command lists.
	Short string
	// Long is the full help text shown by 'goforge help <cmd>'.
	Long string
	// Flags holds the command's flags; constructors declare them here.
	Flags *flag.FlagSet
	// Run executes the command with the positional arguments left after
	// flag parsing. A nil Run with Subcommands makes a pure group command.
	Run func(ctx context.Context, st S, args []string) error
	// Subcommands are the sub-verbs (e.g. "inspect funcs").
	Subcommands []*Command[S]
	// RawArgs, when set, disables flag parsing after the first positional
	// argument (used by "exec VERSION -- cmd args").
	RawArgs bool

	parent *Command[S]
}

// New returns a command with an empty flag set named after it.
func New[S any](name, usage, short, long string) *Command[S] {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &Command[S]{Name: name, Usage: usage, Short: short, Long: long, Flags: fs}
}

// Path is the full command path, e.g. "goforge inspect funcs".
func (c *Command[S]) Path() string {
	if c.parent == nil {
		return c.Name
	}
	return c.parent.Path() + " " + c.Name
}

// HelpPath is what follows "goforge help" for this command.
func (c *Command[S]) HelpPath() string {
	return strings.TrimPrefix(strings.TrimPrefix(c.Path(), "goforge"), " ")
}

// Lookup finds a direct subcommand by name.
func (c *Command[S]) Lookup(name string) *Command[S] {
	for _, s := range c.Subcommands {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// SubcommandNames lists the names of c's subcommands, comma-separated,
// for messages such as "unknown view".
func (c *Command[S]) SubcommandNames() string {
	var names []string
	for _, s := range c.Subcommands {
		names = append(names, s.Name)
	}
	return strings.Join(names, ", ")
}

// Add attaches subcommands to c.
func (c *Command[S]) Add(subs ...*Command[S]) {
	for _, s := range subs {
		s.parent = c
		c.Subcommands = append(c.Subcommands, s)
	}
}

// UsageError is an error in how goforge was called. It makes goforge exit
// with status 2 and point at the command's help.
type UsageError struct {
	// Help is what follows "goforge help" for the command.
	Help string
	Err  error
}

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Usagef returns a UsageError for c.
func (c *Command[S]) Usagef(format string, args ...any) error {
	return &UsageError{Help: c.HelpPath(), Err: fmt.Errorf(format, args...)}
}

// ExitError asks for a specific exit status without printing anything
// more: the command has already said what happened (doctor's failed checks,
// a child process's own exit status under "exec").
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// parseFlags parses flags anywhere among the arguments (flags may follow
// positional arguments, as users expect); "--" ends flag parsing.
func (c *Command[S]) parseFlags(args []string) ([]string, error) {
	var pos []string
	for {
		if err := c.Flags.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, c.Usagef("%s", flagErrorText(err))
		}
		rest := c.Flags.Args()
		// flag.Parse stops at the first non-flag or after "--".
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		if c.RawArgs {
			return append(pos, rest[1:]...), nil
		}
		args = rest[1:]
	}
}

// Execute finds the subcommand named by args and runs it; help goes
// to out.
func (c *Command[S]) Execute(ctx context.Context, st S, out io.Writer, args []string) error {
	if len(c.Subcommands) > 0 && len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		if sub := c.Lookup(args[0]); sub != nil {
			return sub.Execute(ctx, st, out, args[1:])
		}
		if c.Run == nil {
			return c.Usagef("unknown command %q", args[0])
		}
	}
	pos, err := c.parseFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		c.PrintHelp(out)
		return nil
	}
	if err != nil {
		return err
	}
	if c.Run == nil {
		if len(pos) > 0 {
			return c.Usagef("unknown command %q", pos[0])
		}
		return c.Usagef("missing subcommand")
	}
	return c.Run(ctx, st, pos)
}

// PrintHelp writes the long help for c.
func (c *Command[S]) PrintHelp(w io.Writer) {
	fmt.Fprintf(w, "usage: %s", c.Path())
	if c.Usage != "" {
		fmt.Fprintf(w, " %s", c.Usage)
	}
	fmt.Fprintln(w)
	if c.Long != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.Long))
	} else if c.Short != "" {
		fmt.Fprintf(w, "\n%s.\n", c.Short)
	}
	if len(c.Subcommands) > 0 {
		fmt.Fprintf(w, "\nCommands:\n")
		PrintCommandList(w, c.Subcommands)
	}
	var flags []*flag.Flag
	c.Flags.VisitAll(func(f *flag.Flag) { flags = append(flags, f) })
	if len(flags) > 0 {
		fmt.Fprintf(w, "\nFlags:\n")
		for _, f := range flags {
			line, usage := FlagHelp(f)
			fmt.Fprintf(w, "%-26s %s\n", "  "+line, usage)
		}
	}
}

// FlagSpelling is how a flag is written on goforge's command line and in
// its messages: "-o" for a one-letter name, "--name" otherwise.
func FlagSpelling(name string) string {
	if utf8.RuneCountInString(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// FlagHelp returns the two columns of f's line in help: its spelling with a
// placeholder for its value ("-j N", "--depth N", "--o FILE" never), and its
// usage with the default. Defaults are shown as the go command's flag
// package shows them: strings quoted, numbers, durations and booleans not.
func FlagHelp(f *flag.Flag) (line, usage string) {
	name, usage := flag.UnquoteUsage(f)
	line = FlagSpelling(f.Name)
	if ph := placeholder(name); ph != "" {
		line += " " + ph
	}
	if isZeroDefault(f.DefValue) {
		return line, usage
	}
	if isStringFlag(f) {
		return line, usage + fmt.Sprintf(" (default %q)", f.DefValue)
	}
	return line, usage + fmt.Sprintf(" (default %s)", f.DefValue)
}

// placeholder turns the flag package's type names into the placeholders
// goforge's help uses; a name set in the usage's back quotes is kept.
func placeholder(name string) string {
	switch name {
	case "int", "uint", "float":
		return "N"
	case "duration":
		return "DURATION"
	case "string":
		return "STRING"
	case "value":
		return "VALUE"
	}
	return name
}

func isZeroDefault(v string) bool {
	switch v {
	case "", "false", "0", "0s":
		return true
	}
	return false
}

// isStringFlag reports whether f holds a plain string, whose default help
// quotes (as the flag package's PrintDefaults does).
func isStringFlag(f *flag.Flag) bool {
	return fmt.Sprintf("%T", f.Value) == "*flag.stringValue"
}

// PrintCommandList writes one line per command, sorted by name.
func PrintCommandList[S any](w io.Writer, cmds []*Command[S]) {
	sorted := append([]*Command[S](nil), cmds...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	for _, s := range sorted {
		fmt.Fprintf(w, "  %-14s %s\n", s.Name, s.Short)
	}
}

// OneLine puts a message on one line: its lines joined with "; " (a
// message holding several errors), spaces collapsed.
func OneLine(s string) string {
	var parts []string
	for _, line := range strings.Split(s, "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			parts = append(parts, strings.Join(f, " "))
		}
	}
	return strings.Join(parts, "; ")
}

// flagErrorText rewrites the flag package's messages in goforge's voice,
// with each flag spelled as the user would type it ("-o", "--depth").
func flagErrorText(err error) string {
	msg := err.Error()
	for _, r := range flagErrors {
		if m := r.re.FindStringSubmatch(msg); m != nil {
			args := make([]any, 0, len(m)-1)
			for i, v := range m[1:] {
				if i == r.flag {
					v = FlagSpelling(v)
				}
				args = append(args, v)
			}
			return fmt.Sprintf(r.format, args...)
		}
	}
	return msg
}

// flagErrors maps each message of the flag package (Go 1.21 and later) to
// goforge's: re's submatch number flag (0-based) is the flag's bare name.
var flagErrors = []struct {
	re     *regexp.Regexp
	flag   int
	format string
}{
	{regexp.MustCompile(`^flag provided but not defined: -+(.*)$`), 0, "unknown flag %s"},
	{regexp.MustCompile(`^flag needs an argument: -+(.*)$`), 0, "flag %s needs an argument"},
	{regexp.MustCompile(`^invalid value ("(?:[^"\\]|\\.)*") for flag -+([^:]*): (.*)$`), 1, "invalid value %s for %s: %s"},
	{regexp.MustCompile(`^invalid boolean value ("(?:[^"\\]|\\.)*") for -+([^:]*): (.*)$`), 1, "invalid value %s for %s: %s"},
	{regexp.MustCompile(`^invalid boolean flag ([^:]*): (.*)$`), 0, "invalid value for %s: %s"},
}
