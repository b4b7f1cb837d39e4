package cli

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/goforge/goforge/internal/buildinfo"

	"github.com/goforge/goforge/internal/command"
)

// constructors lists the constructor of every top-level command, by area.
// The tree is built fresh, with fresh flag sets, for every Run.
var constructors = []func() *Command{
	// environment
	newDoctorCmd, newEnvCmd,
	// toolchains
	newInstallCmd, newListCmd, newUseCmd, newUninstallCmd, newExecCmd, newWhichCmd, newAdoptCmd, newPruneCmd,
	// project pins and shell integration
	newInitCmd, newShellInitCmd, newShellHookCmd, newDirenvCmd,
	// insight
	newGraphCmd, newTargetsCmd, newConstraintsCmd, newInspectCmd,
	// shipping
	newBuildCmd, newCacheprogCmd, newCompareCmd, newImageCmd, newDockerfileCmd, newFirmwareCmd, newMatrixCmd, newCICmd,
}

// NewRoot builds the whole command tree.
func NewRoot() *Command {
	root := NewCommand("goforge", "<command> [arguments]", "", "")
	root.Long = rootLong
	for _, newCmd := range constructors {
		root.Add(newCmd())
	}
	root.Add(newHelpCmd(root), newVersionCmd(), newCompletionCmd(root))
	sort.Slice(root.Subcommands, func(i, j int) bool {
		return root.Subcommands[i].Name < root.Subcommands[j].Name
	})
	var showVersion bool
	// --version is what many tools take; goforge answers as "goforge version".
	root.Flags.BoolVar(&showVersion, "version", false, "print goforge's version (same as 'goforge version')")
	root.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if showVersion {
			if len(args) > 0 {
				return root.Usagef("unexpected argument %q after --version", args[0])
			}
			return printVersion(st.Out, false)
		}
		if len(args) == 0 {
			printRootHelp(st.Err, root)
			return &ExitError{Code: 2}
		}
		return root.Usagef("unknown command %q", args[0])
	}
	return root
}

const rootLong = `goforge takes a Go developer from "no Go on this machine" to verified
release artifacts for every platform: toolchains, insight into code and
binaries, and shipping.`

func printRootHelp(w io.Writer, root *Command) {
	fmt.Fprintf(w, "%s\n\nusage: goforge <command> [arguments]\n\nCommands:\n", rootLong)
	command.PrintCommandList(w, root.Subcommands)
	fmt.Fprintf(w, "\nRun 'goforge help <command>' for more about a command.\n")
}

func newHelpCmd(root *Command) *Command {
	c := NewCommand("help", "[command [subcommand]]", "show help for a command", `
Help prints the usage and flags of a command, or the list of commands.`)
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) == 0 {
			printRootHelp(st.Out, root)
			return nil
		}
		cmd := root
		for _, name := range args {
			sub := cmd.Lookup(name)
			if sub == nil {
				// As "go help nosuch" does, point at the list of commands.
				return root.Usagef("unknown command %q", strings.Join(args, " "))
			}
			cmd = sub
		}
		cmd.PrintHelp(st.Out)
		return nil
	}
	return c
}

func newVersionCmd() *Command {
	var jsonOut bool
	c := NewCommand("version", "[--json]", "print goforge's version and build details", `
Version prints goforge's module version, the Go version that built it, and
the VCS revision when the build recorded one.`)
	c.Flags.BoolVar(&jsonOut, "json", false, "print as JSON")
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) > 0 {
			return c.Usagef("unexpected argument %q", args[0])
		}
		return printVersion(st.Out, jsonOut)
	}
	return c
}

// printVersion writes goforge's version line, or its JSON.
func printVersion(w io.Writer, jsonOut bool) error {
	v := buildinfo.Read()
	if jsonOut {
		return writeJSON(w, v)
	}
	fmt.Fprintf(w, "goforge %s (%s", v.Version, v.GoVersion)
	if v.Revision != "" {
		fmt.Fprintf(w, ", %s", v.Revision)
		if v.Modified {
			fmt.Fprint(w, "+dirty")
		}
	}
	fmt.Fprintf(w, ", %s/%s)\n", v.GOOS, v.GOARCH)
	return nil
}
