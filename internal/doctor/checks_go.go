package doctor

import (
	"fmt"
	"go/version"
	"os"
	"strings"

	"github.com/goforge/goforge/internal/goenv"
	"github.com/goforge/goforge/internal/units"
)

func checkGoOnPath(f *Facts) []Result {
	gos := f.Snap.PathGos
	if len(gos) == 0 {
		return []Result{{ID: "go-on-path", Status: Fail, Summary: "no go command on PATH", Fix: noGoFix(f.Pin)}}
	}
	active := gos[0]
	rs := []Result{{ID: "go-on-path", Status: Pass, Summary: active.Path + describe(active)}}
	if len(gos) == 1 {
		return rs
	}
	var others []string
	differ := false
	for _, g := range gos[1:] {
		others = append(others, g.Path+describe(g))
		if !goenv.SameDir(g.Resolved, active.Resolved) && g.Version != active.Version {
			differ = true
		}
	}
	r := Result{ID: "go-multiple", Status: Pass,
		Summary: fmt.Sprintf("%d go commands on PATH; %s wins over %s", len(gos), active.Path, strings.Join(others, ", "))}
	if differ {
		r.Status = Warn
		r.Fix = "remove the directories of the go commands you do not use from PATH, or let goforge manage them ('goforge adopt DIR')"
	}
	return append(rs, r)
}

// noGoFix names the remedy for a PATH without go from what goforge has
// installed: a global default only needs to be on PATH; installed
// versions without a default need 'goforge use'; nothing installed needs
// an install.
func noGoFix(p *PinFacts) string {
	switch {
	case p == nil || p.CurrentBin == "":
		return "install Go ('goforge install latest && goforge use latest') or add its bin directory to PATH"
	case p.Current != "":
		return fmt.Sprintf("%s is installed and the default: load the shell hook ('%s', then open a new shell) or put %s on PATH", p.Current, p.Hook, p.CurrentBin)
	case p.Managed > 0:
		return fmt.Sprintf("goforge has %s installed but no default: 'goforge use VERSION' ('goforge list' names them), then load the shell hook ('%s') or put %s on PATH", units.Count(p.Managed, "version"), p.Hook, p.CurrentBin)
	}
	return fmt.Sprintf("install Go: 'goforge install latest && goforge use latest', then load the shell hook ('%s') or put %s on PATH", p.Hook, p.CurrentBin)
}

func describe(g goenv.GoBinary) string {
	var parts []string
	if g.Version != "" {
		parts = append(parts, g.Version)
	}
	if g.GOARCH != "" {
		parts = append(parts, g.GOOS+"/"+g.GOARCH)
	}
	if len(parts) == 0 {
		return " (not a Go binary: a wrapper script?)"
	}
	return " (" + strings.Join(parts, " ") + ")"
}

func checkGoArch(f *Facts) Result {
	g := f.Snap.Active()
	switch {
	case g.GOARCH == "":
		return Result{ID: "go-arch", Status: Pass, Summary: "go is not a native binary (a wrapper script?); architecture not checked"}
	case g.GOOS == f.HostOS && g.GOARCH == f.HostArch:
		return Result{ID: "go-arch", Status: Pass, Summary: fmt.Sprintf("go is built for this machine (%s/%s)", g.GOOS, g.GOARCH)}
	}
	r := Result{ID: "go-arch", Status: Fail,
		Summary: fmt.Sprintf("go is built for %s/%s but this machine is %s/%s: it runs under emulation or not at all, and builds for %s by default",
			g.GOOS, g.GOARCH, f.HostOS, f.HostArch, g.GOARCH),
		Fix: fmt.Sprintf("install the %s/%s toolchain: goforge install --os %s --arch %s latest", f.HostOS, f.HostArch, f.HostOS, f.HostArch)}
	if g.GOOS == f.HostOS && (g.GOARCH == "386" && f.HostArch == "amd64" || g.GOARCH == "arm" && f.HostArch == "arm64") {
		r.Status = Warn // runs natively, but is slower and builds 32-bit by default
	}
	return r
}

func checkGoVersion(f *Facts) Result {
	g := f.Snap.Active()
	v := g.Version
	if v == "" && f.Snap.GoEnvErr == nil {
		v = f.Snap.Values["GOVERSION"]
	}
	if v == "" {
		return Result{ID: "go-version", Status: Fail, Summary: "cannot tell the version of " + g.Path,
			Fix: "reinstall Go: the go command on PATH is not a working Go binary"}
	}
	if !version.IsValid(v) {
		return Result{ID: "go-version", Status: Warn, Summary: "go version " + v + " (a development or custom build)",
			Fix: "use a release for reproducible builds: goforge install latest"}
	}
	return Result{ID: "go-version", Status: Pass, Summary: "go version " + v}
}

func checkGoEnv(f *Facts) Result {
	if err := f.Snap.GoEnvErr; err != nil {
		fix := "check GOROOT and GOFLAGS in the environment, or reinstall Go"
		if keys := f.Snap.User.Keys; len(keys) > 0 {
			fix = fmt.Sprintf("check the environment and the GOENV file %s (it sets %s; 'go env -u NAME' removes one)",
				f.Snap.UserPath, strings.Join(keys, ", "))
		}
		return Result{ID: "go-env", Status: Fail, Summary: "'go env' does not work: " + err.Error(), Fix: fix}
	}
	return Result{ID: "go-env", Status: Pass, Summary: fmt.Sprintf("'go env' works (%d variables)", len(f.Snap.Values))}
}

func checkGoHelp(f *Facts) Result {
	if f.GoHelpErr != nil {
		return Result{ID: "go-help", Status: Fail, Summary: "'go help' does not work: " + f.GoHelpErr.Error(),
			Fix: "reinstall Go"}
	}
	return Result{ID: "go-help", Status: Pass, Summary: "'go help' works"}
}

func checkTarget(f *Facts) Result {
	v := f.Snap.Values
	goos, goarch := v["GOOS"], v["GOARCH"]
	if goos == f.HostOS && goarch == f.HostArch {
		return Result{ID: "goos-goarch", Status: Pass, Summary: fmt.Sprintf("GOOS/GOARCH %s/%s match this machine", goos, goarch)}
	}
	var set []string
	for _, k := range []string{"GOOS", "GOARCH"} {
		if o := f.Snap.Origin(k); o == goenv.FromEnv || o == goenv.FromGOENV {
			set = append(set, fmt.Sprintf("%s=%s from %s", k, v[k], originName(o)))
		}
	}
	r := Result{ID: "goos-goarch", Status: Warn,
		Summary: fmt.Sprintf("go builds for %s/%s by default, not this machine's %s/%s", goos, goarch, f.HostOS, f.HostArch)}
	if len(set) > 0 {
		r.Summary += " (" + strings.Join(set, ", ") + ")"
		r.Fix = "unset GOOS/GOARCH (or 'go env -u GOOS GOARCH') unless every build should cross-compile"
	} else {
		r.Fix = "use a go built for this machine (see go-arch)"
	}
	return r
}

func originName(o string) string {
	switch o {
	case goenv.FromEnv:
		return "the environment"
	case goenv.FromGOENV:
		return "the GOENV file"
	case goenv.FromGOROOT:
		return "$GOROOT/go.env"
	}
	return "the default"
}

func checkGOROOT(f *Facts) Result {
	o := f.Snap.Origin("GOROOT")
	if o != goenv.FromEnv && o != goenv.FromGOENV {
		if f.Snap.GoEnvErr != nil {
			return Result{ID: "goroot", Status: Skip, Summary: "GOROOT is not set; needs a working 'go env' to say more"}
		}
		return Result{ID: "goroot", Status: Pass, Summary: "GOROOT " + f.Snap.Values["GOROOT"] + " (found from the go binary)"}
	}
	root := f.Snap.Configured("GOROOT")
	unset := "unset GOROOT"
	if o == goenv.FromGOENV {
		// 'go env -u' cannot help: with a bad GOROOT the go command does not start.
		unset = "delete the GOROOT line from " + f.Snap.UserPath
	}
	where := fmt.Sprintf("GOROOT=%s (from %s)", root, originName(o))
	if _, err := os.Stat(root); err != nil {
		return Result{ID: "goroot", Status: Fail, Summary: where + " does not exist", Fix: unset + "; go finds its own root"}
	}
	if !goenv.IsGOROOT(root) {
		return Result{ID: "goroot", Status: Fail, Summary: where + " is not a Go root (no pkg/tool)", Fix: unset + "; go finds its own root"}
	}
	own := f.Snap.Active().GOROOT
	if own != "" && !goenv.SameDir(own, root) {
		return Result{ID: "goroot", Status: Fail,
			Summary: fmt.Sprintf("%s, but the go on PATH belongs to %s: it would use another toolchain's compiler and standard library", where, own),
			Fix:     unset + ", or put " + root + "/bin first on PATH"}
	}
	return Result{ID: "goroot", Status: Warn, Summary: where + " matches the go on PATH, but setting it is not needed",
		Fix: unset + ": a stale GOROOT is the most common cause of 'version mismatch' errors after an upgrade"}
}

func checkGOBIN(f *Facts) Result {
	bin := f.Snap.EffectiveGOBIN()
	if goenv.InPathList(bin, f.PathList) {
		return Result{ID: "gobin-on-path", Status: Pass, Summary: bin + " ('go install' target) is on PATH"}
	}
	return Result{ID: "gobin-on-path", Status: Warn,
		Summary: bin + " ('go install' target) is not on PATH: installed tools will not be found",
		Fix:     fmt.Sprintf("export PATH=\"$PATH:%s\" in your shell's rc file (or 'goforge shell-init')", bin)}
}
