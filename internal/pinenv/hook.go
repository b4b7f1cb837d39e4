package pinenv

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/goforge/goforge/internal/pin"
	"github.com/goforge/goforge/internal/shellhook"
	"github.com/goforge/goforge/internal/toolchain"
)

// HookStep is one run of the shell hook: from base (the environment
// without what the hook set before) and prev (what it recorded), it
// returns the environment the shell should have now, with the new state
// recorded in it, and a note for people ("" when nothing changed that
// they need to hear about).
func HookStep(ctx context.Context, r Request, base map[string]string, prev shellhook.State) (map[string]string, string) {
	s, perr := Resolve(ctx, r)
	final, next := base, shellhook.State{}
	if perr == nil || errors.As(perr, new(*NotInstalledError)) {
		s.FillEnv(r.Home, base, false)
		if s.Project {
			final, next = shellhook.Apply(base, s.Prepend, s.Vars)
		}
	}
	if s.HasInst && s.Project && s.Res.Pin.Kind != pin.KindGlobal {
		next.Version, next.Source = s.Inst.Name, s.Res.Pin.Source()
	}
	note := ""
	if perr != nil {
		next.Warned = perr.Error()
		if next.Warned != prev.Warned {
			note = perr.Error()
		}
	} else if next.Version != "" && (next.Version != prev.Version || next.Source != prev.Source) {
		note = next.Version + " (" + next.Source + ")"
	}
	next.Dir = r.Dir
	if enc := next.Encode(); enc != "" {
		final[shellhook.StateVar] = enc
	}
	return final, note
}

// HookScript is the shell code that changes env into final, plus the
// hook's watch state for dir. A stamp that cannot be written is returned
// as an error along with a script that works without it.
func HookScript(shell string, h *toolchain.Home, dir string, env, final map[string]string, ver string) (string, error) {
	var b strings.Builder
	for _, c := range shellhook.Diff(env, final) {
		if c.Key == "PWD" || c.Key == "OLDPWD" || c.Key == "_" || c.Key == "SHLVL" {
			continue
		}
		b.WriteString(shellhook.Export(shell, c) + "\n")
	}
	w := shellhook.StatAll(append(pin.WatchList(dir), h.Dir(), h.VersionsDir()))
	stamp := ""
	var err error
	if shell != "pwsh" {
		stamp, err = shellhook.Stamp(stampDir(), w.Newest)
	}
	b.WriteString(shellhook.Fresh(shell, dir, ver, stamp, w))
	return b.String(), err
}

// stampDir holds the hook's stamp files.
func stampDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "goforge", "hook-stamps-"+strconv.Itoa(os.Getuid()))
}

// ShellExports resolves r's pin (installing it when r allows) and
// returns the shell commands, in shell's syntax, that select it on top of
// base: PATH first, then the variables in sorted order.
func ShellExports(ctx context.Context, r Request, base map[string]string, shell string) (Setup, []string, error) {
	s, err := Resolve(ctx, r)
	if err != nil {
		return s, nil, err
	}
	if !s.HasInst {
		return s, nil, errors.New("no Go version selected here: no pin file and no global default (run 'goforge use VERSION' or 'goforge use --local VERSION')")
	}
	s.FillEnv(r.Home, base, true)
	final, _ := shellhook.Apply(base, s.Prepend, s.Vars)
	keys := []string{"PATH"}
	for _, kv := range s.Vars {
		keys = append(keys, kv.Key)
	}
	sort.Strings(keys[1:])
	var lines []string
	for _, k := range keys {
		lines = append(lines, shellhook.Export(shell, shellhook.Change{Key: k, Value: final[k]}))
	}
	return s, lines, nil
}
