package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/goforge/goforge/internal/completion"
	"github.com/goforge/goforge/internal/platform"
)

func newCompletionCmd(root *Command) *Command {
	c := NewCommand("completion", "bash|zsh|fish", "print a shell completion script", `
Completion prints a script that completes goforge's verbs, sub-verbs and
flags in bash, zsh or fish, and the values of some: installed versions for
use, uninstall, exec and which, and target patterns (os/arch from the
active toolchain's table, all, first-class, cgo, host, default) for
--targets, --target and --exclude. The script asks goforge itself at each
TAB, so new verbs and flags complete without loading it again.

Load it with:
  bash:  source <(goforge completion bash)       (in ~/.bashrc)
  zsh:   source <(goforge completion zsh)        (in ~/.zshrc, after compinit)
  fish:  goforge completion fish | source        (in config.fish)`)
	c.Run = func(ctx context.Context, st *Stdio, args []string) error {
		if len(args) > 0 && args[0] == "__complete" {
			tree := completion.FromCommand(root, completionKinds)
			for _, cand := range completion.Complete(tree, args[1:], completionValues(ctx, st, root)) {
				fmt.Fprintln(st.Out, cand)
			}
			return nil
		}
		if len(args) != 1 {
			return c.Usagef("want one shell: %s", strings.Join(completion.Shells, ", "))
		}
		script, err := completion.Script(args[0], "goforge")
		if err != nil {
			return c.Usagef("%s", err)
		}
		_, err = fmt.Fprint(st.Out, script)
		return err
	}
	return c
}

// completionKinds names the dynamic values of goforge's arguments and flags.
var completionKinds = completion.Kinds{
	Args: func(path string) string {
		switch path {
		case "use", "uninstall", "exec", "which":
			return "versions"
		case "targets":
			return "targets"
		case "help":
			return "commands"
		}
		return ""
	},
	Flags: func(path, flag string) string {
		switch flag {
		case "targets", "target", "exclude":
			return "targets"
		}
		return ""
	},
}

// targetKeywords are the target patterns that are not os/arch pairs.
var targetKeywords = []string{"all", "first-class", "cgo", "host", "default"}

// completionValues lists installed versions and target patterns. Errors
// give no candidates: a TAB must not print diagnostics into the prompt.
func completionValues(ctx context.Context, st *Stdio, root *Command) completion.Values {
	return func(kind, word string) []string {
		switch kind {
		case "commands":
			var out []string
			for _, c := range root.Subcommands {
				out = append(out, c.Name)
			}
			return out
		case "versions":
			h, err := st.Home()
			if err != nil {
				return nil
			}
			insts, _ := h.List()
			var out []string
			for _, inst := range insts {
				out = append(out, inst.Name)
			}
			return out
		case "targets":
			return targetCandidates(ctx, st, word)
		}
		return nil
	}
}

// targetCandidates completes the last item of a comma-separated list.
func targetCandidates(ctx context.Context, st *Stdio, word string) []string {
	done := word[:strings.LastIndex(word, ",")+1]
	cands := append([]string(nil), targetKeywords...)
	if r, _, err := st.goRunner(ctx); err == nil {
		if table, err := platform.Load(ctx, r); err == nil {
			for _, p := range table.Ports {
				cands = append(cands, p.String())
			}
		}
	}
	for i, c := range cands {
		cands[i] = done + c
	}
	return cands
}
