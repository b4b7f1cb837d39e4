package xbuild

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/goforge/goforge/internal/release"
	"github.com/goforge/goforge/internal/verify"
)

// runOutput executes the output under the runner this machine has for
// the target and records what happened. A target nothing here can run is
// "skipped", with the reason; that is not a failure.
func (b *Builder) runOutput(ctx context.Context, j *Job, path string, r *Result) {
	host := b.TC.Host()
	runner := verify.FindRunner(verify.RunnerEnv{HostOS: host.GOOS, HostArch: host.GOARCH, GOROOT: b.TC.Env["GOROOT"]},
		j.Target.GOOS, j.Target.GOARCH)
	runner.Sysroot = CrossSysroot(j)
	switch {
	case runner.Missing != "":
		r.Ran, r.SkipReason = "skipped", "needs "+runner.Missing
		return
	case runner.Kind == "":
		r.Ran, r.SkipReason = "skipped", "cannot run "+j.Target.GOOS+"/"+j.Target.GOARCH+" on "+host.GOOS+"/"+host.GOARCH
		return
	}
	r.RanWith = runner.Kind
	res, err := verify.Run(ctx, runner, path, b.Run.Args)
	if err != nil {
		r.Ran, r.RunOutput = "failed", err.Error()
		return
	}
	r.RunOutput = strings.TrimSpace(res.Output)
	switch {
	case res.ExitCode != 0:
		r.Ran = "failed"
		r.RunOutput = fmt.Sprintf("exit status %d: %s", res.ExitCode, r.RunOutput)
	case b.Run.Expect != nil && !b.Run.Expect.MatchString(res.Output):
		r.Ran = "failed"
		r.RunOutput = fmt.Sprintf("output does not match %q: %s", b.Run.Expect, r.RunOutput)
	default:
		r.Ran = "ok"
	}
}

// archive packs the binary (renamed to the program's name), the extra
// files and, for js/wasm, wasm_exec.js and an index.html that runs it.
func (b *Builder) archive(j *Job, bin string, r *Result) error {
	progName := j.Name + exeSuffix(j.Target)
	entries := []release.Entry{{Name: progName, Source: bin, Exec: true}}
	entries = append(entries, b.Extra...)
	if j.Target.GOOS == "js" && j.Target.GOARCH == "wasm" {
		web, err := b.wasmWebFiles(j, progName)
		if err != nil {
			return err
		}
		if web == nil {
			r.Notes = append(r.Notes, fmt.Sprintf("the archive holds the .wasm without wasm_exec.js and index.html: %s's GOROOT has no wasm_exec.js (the golang.org/toolchain zips before go1.24 leave misc/ out; a full Go distribution of the same version has it)", b.TC.Version()))
		}
		entries = append(entries, web...)
	}
	ext := ".tar.gz"
	if j.Target.GOOS == "windows" {
		ext = ".zip"
	}
	name := strings.TrimSuffix(j.File, exeSuffix(j.Target)) + ext
	path := filepath.Join(b.work.out, name)
	if err := release.WriteArchive(path, entries, b.Stamp.Epoch); err != nil {
		return err
	}
	f, err := release.Describe(path)
	if err != nil {
		return err
	}
	r.Archive = &f
	if b.Reproducible {
		again := filepath.Join(b.jobDir(j), "again"+ext)
		if err := release.WriteArchive(again, entries, b.Stamp.Epoch); err != nil {
			return err
		}
		g, err := release.Describe(again)
		if err != nil {
			return err
		}
		if g.SHA256 != f.SHA256 {
			r.Reproducible = "differs"
			return fmt.Errorf("not reproducible: two archives of %s differ", j.Target)
		}
	}
	return nil
}

// wasmWebFiles returns wasm_exec.js from the toolchain (lib/wasm since Go
// 1.24, misc/wasm before) and an index.html that loads the module; none
// when the toolchain has no wasm_exec.js (the golang.org/toolchain module
// zips before go1.24 leave misc/ out): the glue must match the Go that
// built the module, so another version's is no substitute.
func (b *Builder) wasmWebFiles(j *Job, wasmName string) ([]release.Entry, error) {
	goroot := b.TC.Env["GOROOT"]
	var js string
	for _, dir := range []string{"lib/wasm", "misc/wasm"} {
		p := filepath.Join(goroot, dir, "wasm_exec.js")
		if _, err := os.Stat(p); err == nil {
			js = p
			break
		}
	}
	if js == "" {
		return nil, nil
	}
	html := filepath.Join(b.jobDir(j), "index.html")
	if err := os.WriteFile(html, []byte(indexHTML(j.Name, wasmName)), 0o644); err != nil {
		return nil, err
	}
	return []release.Entry{{Name: "wasm_exec.js", Source: js}, {Name: "index.html", Source: html}}, nil
}

func indexHTML(title, wasm string) string {
	return `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<title>` + title + `</title>
<script src="wasm_exec.js"></script>
</head>
<body>
<pre id="out"></pre>
<script>
// Serve this directory over HTTP (WebAssembly.instantiateStreaming needs
// application/wasm), e.g. 'goforge wasm serve' or 'python3 -m http.server'.
const out = document.getElementById("out");
const dec = new TextDecoder();
globalThis.fs.writeSync = function (fd, buf) {
	out.textContent += dec.decode(buf);
	return buf.length;
};
const go = new Go();
go.argv = ["` + wasm + `"].concat(new URLSearchParams(location.search).getAll("arg"));
WebAssembly.instantiateStreaming(fetch("` + wasm + `"), go.importObject)
	.then((r) => go.run(r.instance))
	.catch((e) => { out.textContent += "error: " + e + "\n"; });
</script>
</body>
</html>
`
}

// DefaultExpect is the --run check when none is given: the output must
// mention the stamped version.
func DefaultExpect(version string) *regexp.Regexp {
	return regexp.MustCompile(regexp.QuoteMeta(version))
}
