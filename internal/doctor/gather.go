package doctor

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/goforge/goforge/internal/gocmd"
	"github.com/goforge/goforge/internal/goenv"

	"github.com/goforge/goforge/internal/units"
)

// Gather collects the facts about the Go environment of dir under
// environ. It runs the go command twice, concurrently ('go env -json' and
// 'go help', both with GOTOOLCHAIN=local so that a diagnosis never
// downloads anything), and compiles an empty C file when cgo is on.
func Gather(ctx context.Context, environ []string, dir string) (*Facts, error) {
	env := goenv.EnvironMap(environ)
	f := &Facts{HostOS: runtime.GOOS, HostArch: goenv.HostArch(), PathList: env["PATH"]}
	predicted := predictCC(env)
	var wg sync.WaitGroup
	var ccProbe Probe
	wg.Go(func() { ccProbe = probeCC(ctx, predicted, environ, dir) })
	wg.Go(func() {
		if gos := goenv.FindOnPath(env["PATH"]); len(gos) > 0 {
			f.GoHelpErr = runGoHelp(ctx, gos[0].Path, environ, dir)
		}
	})
	snap, err := goenv.Load(ctx, environ, dir)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	f.Snap = snap
	f.Pin = gatherPin(env, dir)
	if snap.GoEnvErr != nil {
		// The go command does not start when, say, GOCACHE cannot be
		// created; judge the directories the user set explicitly anyway.
		// With no go at all, judge the defaults it would use.
		dirs := map[string]string{
			"GOPATH": snap.Configured("GOPATH"), "GOCACHE": snap.Configured("GOCACHE"), "GOMODCACHE": snap.Configured("GOMODCACHE"),
		}
		if snap.Active() == nil {
			defaultDirs(dirs, env)
		}
		f.Dirs = probeDirs(dirs)
		return f, nil
	}
	f.CC = ccProbe
	if cc := snap.Values["CC"]; snap.Values["CGO_ENABLED"] == "1" && cc != predicted {
		f.CC = probeCC(ctx, cc, environ, dir)
	}
	f.ModFile, f.GoLine, f.ToolLine = governingModFile(snap.Values)
	f.Dirs = probeDirs(snap.Values)
	return f, nil
}

// defaultDirs fills in the directories the go command would use by
// default, by its rules (cmd/go/internal/cfg, os.UserCacheDir), for when
// there is no go command to ask.
func defaultDirs(dirs, env map[string]string) {
	home := env["HOME"]
	if runtime.GOOS == "windows" {
		home = env["USERPROFILE"]
	}
	if dirs["GOPATH"] == "" && home != "" {
		dirs["GOPATH"] = filepath.Join(home, "go")
	}
	if gp := filepath.SplitList(dirs["GOPATH"]); dirs["GOMODCACHE"] == "" && len(gp) > 0 && gp[0] != "" {
		dirs["GOMODCACHE"] = filepath.Join(gp[0], "pkg", "mod")
	}
	if dirs["GOCACHE"] != "" {
		return
	}
	var cache string
	switch runtime.GOOS {
	case "windows":
		cache = env["LocalAppData"]
	case "darwin", "ios":
		if home != "" {
			cache = filepath.Join(home, "Library", "Caches")
		}
	default:
		cache = env["XDG_CACHE_HOME"]
		if !filepath.IsAbs(cache) && home != "" {
			cache = filepath.Join(home, ".cache")
		}
	}
	if cache != "" {
		dirs["GOCACHE"] = filepath.Join(cache, "go-build")
	}
}

// predictCC guesses the C compiler go will use before 'go env' says, so
// that the probe can run at the same time as the go command.
func predictCC(env map[string]string) string {
	if cc := env["CC"]; cc != "" {
		return cc
	}
	switch runtime.GOOS {
	case "darwin", "ios", "freebsd", "openbsd":
		return "clang"
	}
	return "gcc"
}

// probeCC checks that cc compiles a trivial C file. A success is
// remembered, keyed by the compiler's path, size and modification time, so
// that later runs cost a stat instead of a compile (the compile is several
// times slower than the go command itself); a changed or failing compiler
// is always compiled with again.
func probeCC(ctx context.Context, cc string, environ []string, dir string) Probe {
	p := Probe{Name: cc}
	args := strings.Fields(cc)
	if len(args) == 0 {
		p.Err = errors.New("CC is empty")
		return p
	}
	path, err := exec.LookPath(args[0])
	if err != nil {
		p.Err = fmt.Errorf("%q not found on PATH", args[0])
		return p
	}
	p.Path = path
	stamp := ccStamp(cc, path)
	if stamp != "" && cachedOK(stamp) {
		return p
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, append(args[1:], "-x", "c", "-c", "-o", os.DevNull, "-")...)
	cmd.Env, cmd.Dir = environ, dir
	cmd.Stdin = strings.NewReader("int main(void) { return 0; }\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		p.Err = fmt.Errorf("compiling an empty program: %v%s", err, causeLine(stderr.String()))
		return p
	}
	rememberOK(stamp)
	return p
}

// ccStamp identifies a compiler installation: its command line and the
// resolved binary's path, size and modification time. It is "" when the
// compiler cannot be identified.
func ccStamp(cc, path string) string {
	resolved, err := filepath.EvalSymlinks(path)
	if err != nil {
		return ""
	}
	fi, err := os.Stat(resolved)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%s\x00%s\x00%d\x00%d", cc, resolved, fi.Size(), fi.ModTime().UnixNano())
}

// ccCacheFile is where a compiler that worked is remembered.
func ccCacheFile(stamp string) string {
	dir, err := os.UserCacheDir()
	if err != nil || stamp == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(stamp))
	return filepath.Join(dir, "goforge", "doctor", "cc-"+hex.EncodeToString(sum[:8]))
}

func cachedOK(stamp string) bool {
	f := ccCacheFile(stamp)
	if f == "" {
		return false
	}
	data, err := os.ReadFile(f)
	return err == nil && string(data) == stamp
}

func rememberOK(stamp string) {
	f := ccCacheFile(stamp)
	if f == "" {
		return
	}
	if os.MkdirAll(filepath.Dir(f), 0o755) == nil {
		os.WriteFile(f, []byte(stamp), 0o644) // best effort: a miss only costs a compile
	}
}

func runGoHelp(ctx context.Context, goPath string, environ []string, dir string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	r := &gocmd.Runner{Go: goPath, Env: environ}
	out, err := r.Run(ctx, gocmd.Invocation{Args: []string{"help"}, Dir: dir})
	var gerr *gocmd.Error
	if errors.As(err, &gerr) {
		return fmt.Errorf("%v%s", gerr.Err, causeLine(gerr.Stderr))
	}
	if err != nil {
		return err
	}
	if !bytes.Contains(out, []byte("go <command>")) {
		return errors.New("unexpected output: no command list")
	}
	return nil
}

// causeLine is ": " and the first line of a tool's stderr, or "".
func causeLine(s string) string {
	if line := units.FirstLine(s); line != "" {
		return ": " + line
	}
	return ""
}

// governingModFile finds the go.work or go.mod that decides the toolchain,
// as the go command does (go.work first), and reads its go and toolchain
// lines.
func governingModFile(v map[string]string) (file, goLine, toolLine string) {
	file = v["GOWORK"]
	if file == "" || file == "off" {
		file = v["GOMOD"]
	}
	if file == "" || file == os.DevNull {
		return "", "", ""
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return file, "", ""
	}
	goLine, toolLine = goenv.ModLines(data)
	return file, goLine, toolLine
}

func probeDirs(v map[string]string) []DirFacts {
	var ds []DirFacts
	if gp := filepath.SplitList(v["GOPATH"]); len(gp) > 0 && gp[0] != "" {
		ds = append(ds, probeDir("GOPATH", gp[0]))
	}
	if c := v["GOCACHE"]; c != "" && c != "off" {
		ds = append(ds, probeDir("GOCACHE", c))
	}
	if m := v["GOMODCACHE"]; m != "" {
		ds = append(ds, probeDir("GOMODCACHE", m))
	}
	return ds
}

// probeDir checks that the go command could write in path, creating it if
// needed: path itself when it exists, else its nearest existing ancestor.
func probeDir(name, path string) DirFacts {
	d := DirFacts{Var: name, Path: path}
	existing := path
	for {
		fi, err := os.Stat(existing)
		if err == nil && !fi.IsDir() {
			d.Err = fmt.Errorf("%s is a file, not a directory", existing)
			return d
		}
		if err == nil {
			break
		}
		parent := filepath.Dir(existing)
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) || parent == existing {
			d.Err = err
			return d
		}
		existing = parent
	}
	tmp, err := os.CreateTemp(existing, ".goforge-doctor-*")
	if err != nil {
		d.Err = err
		return d
	}
	tmp.Close()
	os.Remove(tmp.Name())
	d.Writable = true
	d.Free, d.FreeKnown = diskFree(existing)
	return d
}
