// Checks of what builds need: GOTOOLCHAIN not switching behind the
// user's back, a C compiler when cgo is on, writable directories with
// space to spare.

package doctor

import (
	"fmt"
	"go/version"
	"strings"

	"github.com/goforge/goforge/internal/goenv"
	"github.com/goforge/goforge/internal/units"
)

func checkToolchain(f *Facts) Result {
	local := f.Snap.Values["GOVERSION"]
	gotc := f.Snap.Values["GOTOOLCHAIN"]
	where := "no go.mod or go.work here"
	if f.ModFile != "" {
		where = f.ModFile
	}
	sel, err := goenv.SelectToolchain(gotc, local, f.GoLine, f.ToolLine)
	if err != nil {
		return Result{ID: "gotoolchain", Status: Fail, Summary: err.Error(), Fix: "go env -w GOTOOLCHAIN=local (or auto)"}
	}
	if !sel.Switches() {
		if need := "go" + f.GoLine; f.GoLine != "" && version.IsValid(local) && version.Compare(need, local) > 0 {
			return Result{ID: "gotoolchain", Status: Fail,
				Summary: fmt.Sprintf("%s requires go >= %s but %s runs with GOTOOLCHAIN=%s: builds will refuse to start", where, f.GoLine, local, gotc),
				Fix:     fmt.Sprintf("goforge install %s && goforge use %s", f.GoLine, f.GoLine)}
		}
		return Result{ID: "gotoolchain", Status: Pass, Summary: fmt.Sprintf("go runs the local %s here (GOTOOLCHAIN=%s; %s)", local, gotc, where)}
	}
	verb := "silently download and run"
	if sel.Mode == "path" {
		verb = "look on PATH for and run"
	}
	return Result{ID: "gotoolchain", Status: Fail,
		Summary: fmt.Sprintf("go would %s %s instead of the local %s (%s in %s; GOTOOLCHAIN=%s)", verb, sel.Toolchain, local, sel.Reason, where, gotc),
		Fix:     fmt.Sprintf("goforge install %s && goforge use %s; or set GOTOOLCHAIN=local to forbid switching", strings.TrimPrefix(sel.Toolchain, "go"), strings.TrimPrefix(sel.Toolchain, "go"))}
}

func checkCgo(f *Facts) Result {
	v := f.Snap.Values
	if v["CGO_ENABLED"] != "1" {
		return Result{ID: "cgo", Status: Pass, Summary: "cgo is off (CGO_ENABLED=" + v["CGO_ENABLED"] + "): builds are pure Go"}
	}
	if f.CC.Err != nil {
		return Result{ID: "cgo", Status: Fail,
			Summary: fmt.Sprintf("CGO_ENABLED=1 but the C compiler %q does not work: %v", f.CC.Name, f.CC.Err),
			Fix:     "install a C compiler (Debian: apt-get install gcc), set CC to one, or set CGO_ENABLED=0"}
	}
	return Result{ID: "cgo", Status: Pass, Summary: fmt.Sprintf("cgo is on and %s (%s) compiles C", f.CC.Name, f.CC.Path)}
}

func checkDir(d DirFacts) Result {
	id := "dir-" + strings.ToLower(d.Var)
	if !d.Writable {
		return Result{ID: id, Status: Fail,
			Summary: fmt.Sprintf("%s %s is not writable: %v", d.Var, d.Path, d.Err),
			Fix:     fmt.Sprintf("fix its permissions, or point %s at a writable directory ('go env -w %s=...')", d.Var, d.Var)}
	}
	if d.FreeKnown && d.Free < VeryLowDisk {
		return Result{ID: id, Status: Fail, Summary: fmt.Sprintf("%s %s: only %s free", d.Var, d.Path, units.Bytes(int64(d.Free))),
			Fix: "free disk space ('go clean -cache -modcache' frees the caches)"}
	}
	if d.FreeKnown && d.Free < LowDisk {
		return Result{ID: id, Status: Warn, Summary: fmt.Sprintf("%s %s: only %s free", d.Var, d.Path, units.Bytes(int64(d.Free))),
			Fix: "free disk space ('go clean -cache' frees the build cache)"}
	}
	s := fmt.Sprintf("%s %s is writable", d.Var, d.Path)
	if d.FreeKnown {
		s += fmt.Sprintf(" (%s free)", units.Bytes(int64(d.Free)))
	}
	return Result{ID: id, Status: Pass, Summary: s}
}
