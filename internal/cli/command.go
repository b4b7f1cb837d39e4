// Package cli holds goforge's command tree. It is the only package that
// reads os.Args and decides what goes to the terminal; every capability
// lives in its own internal package and is called from here.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
)

// A Command is one verb of goforge (or one sub-verb, such as "inspect funcs").
// Each command is built by its own constructor, which declares the command's
// flags on Flags and sets Run; nothing about a command lives in package
// globals, so commands can be built and run in parallel in tests.
type Command struct {
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
	Run func(ctx context.Context, st *Stdio, args []string) error
	// Subcommands are the sub-verbs (e.g. "inspect funcs").
	Subcommands []*Command
	// RawArgs, when set, disables flag parsing after the first positional
	// argument (used by "exec VERSION -- cmd args").
	RawArgs bool

	parent *Command
}

// NewCommand returns a command with an empty flag set named after it.
func NewCommand(name, usage, short, long string) *Command {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &Command{Name: name, Usage: usage, Short: short, Long: long, Flags: fs}
}

// Path is the full command path, e.g. "goforge inspect funcs".
func (c *Command) Path() string {
	if c.parent == nil {
		return c.Name
	}
	return c.parent.Path() + " " + c.Name
}

// helpPath is what follows "goforge help" for this command.
func (c *Command) helpPath() string {
	return strings.TrimPrefix(strings.TrimPrefix(c.Path(), "goforge"), " ")
}

// Lookup finds a direct subcommand by name.
func (c *Command) Lookup(name string) *Command {
	for _, s := range c.Subcommands {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Add attaches subcommands to c.
func (c *Command) Add(subs ...*Command) {
	for _, s := range subs {
		s.parent = c
		c.Subcommands = append(c.Subcommands, s)
	}
}

// UsageError is an error in how goforge was called. It makes goforge exit
// with status 2 and point at the command's help.
type UsageError struct {
	Cmd *Command
	Err error
}

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Usagef returns a UsageError for c.
func (c *Command) Usagef(format string, args ...any) error {
	return &UsageError{Cmd: c, Err: fmt.Errorf(format, args...)}
}

// ExitError asks for a specific exit status without printing anything
// more: the command has already said what happened (doctor's failed checks,
// a child process's own exit status under "exec").
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// parseFlags parses flags anywhere among the arguments (flags may follow
// positional arguments, as users expect); "--" ends flag parsing.
func (c *Command) parseFlags(args []string) ([]string, error) {
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

// execute finds the subcommand named by args and runs it.
func (c *Command) execute(ctx context.Context, st *Stdio, args []string) error {
	if len(c.Subcommands) > 0 && len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		if sub := c.Lookup(args[0]); sub != nil {
			return sub.execute(ctx, st, args[1:])
		}
		if c.Run == nil {
			return c.Usagef("unknown command %q", args[0])
		}
	}
	pos, err := c.parseFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		c.printHelp(st.Out)
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

// printHelp writes the long help for c.
func (c *Command) printHelp(w io.Writer) {
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
		printCommandList(w, c.Subcommands)
	}
	var flags []*flag.Flag
	c.Flags.VisitAll(func(f *flag.Flag) { flags = append(flags, f) })
	if len(flags) > 0 {
		fmt.Fprintf(w, "\nFlags:\n")
		for _, f := range flags {
			name, usage := flag.UnquoteUsage(f)
			line := "  --" + f.Name
			if name != "" {
				line += " " + name
			}
			if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
				usage += fmt.Sprintf(" (default %q)", f.DefValue)
			}
			fmt.Fprintf(w, "%-26s %s\n", line, usage)
		}
	}
}

func printCommandList(w io.Writer, cmds []*Command) {
	sorted := append([]*Command(nil), cmds...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	for _, s := range sorted {
		fmt.Fprintf(w, "  %-14s %s\n", s.Name, s.Short)
	}
}

// Main runs goforge with the process's arguments and standard streams and
// returns the exit status.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	st := &Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}
	return Run(ctx, st, os.Args[1:])
}

// Run runs goforge with args and returns the exit status: 0 on success,
// 1 on failure, 2 on a usage error. Errors are printed once, to st.Err,
// prefixed with "goforge: ".
func Run(ctx context.Context, st *Stdio, args []string) int {
	root := NewRoot()
	err := root.execute(ctx, st, args)
	if err == nil {
		return 0
	}
	var exit *ExitError
	if errors.As(err, &exit) {
		return exit.Code
	}
	var usage *UsageError
	if errors.As(err, &usage) {
		hint := "goforge help"
		if p := usage.Cmd.helpPath(); p != "" {
			hint += " " + p
		}
		fmt.Fprintf(st.Err, "goforge: %s (run '%s')\n", oneLine(usage.Err.Error()), hint)
		return 2
	}
	fmt.Fprintf(st.Err, "goforge: %s\n", err)
	return 1
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// flagErrorText rewrites the flag package's messages in goforge's voice.
func flagErrorText(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return "unknown flag " + "-" + name
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return "flag " + "-" + name + " needs an argument"
	}
	return msg
}
