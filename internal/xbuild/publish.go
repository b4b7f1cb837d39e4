package xbuild

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/goforge/goforge/internal/release"
)

// Publishing. dist/ is replaced as a whole, never file by file: a new
// binary beside an old SHA256SUMS is exactly the inconsistency a user
// must never see. The run builds into dist/.goforge/tmp/run*, then
//
//  1. fills a staging directory beside dist (".DIST.goforge-publish", on
//     the same file system) with the new release: fresh outputs are
//     renamed in, unchanged ones hard-linked from dist, SHA256SUMS,
//     manifest.json and the build state written last;
//  2. swaps it with dist in one rename(2) with RENAME_EXCHANGE, which is
//     atomic: every reader, and every state a SIGKILL can leave, sees
//     either the whole previous release or the whole new one;
//  3. removes the staging path, which now holds the previous release.
//
// Where RENAME_EXCHANGE is not available (not Linux, or a file system
// without it), dist is renamed aside and the staging directory renamed
// into place: for the instant between the two renames dist does not
// exist, and a run that finds it missing renames the previous release
// back (recoverPublish). The staging directory exists only while
// publishing, after every build: it never makes the go command's VCS
// stamping see an untracked file.

// publishPaths are the staging and set-aside paths beside dist.
func publishPaths(dist string) (stage, aside string) {
	dir, base := filepath.Split(dist)
	return filepath.Join(dir, "."+base+".goforge-publish"), filepath.Join(dir, "."+base+".goforge-previous")
}

// recoverPublish finishes what a killed publish left: a previous release
// set aside while dist is missing goes back; other leftovers go.
func recoverPublish(dist string) {
	stage, aside := publishPaths(dist)
	if _, err := os.Lstat(dist); errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Stat(filepath.Join(aside, stateDir)); err == nil {
			os.Rename(aside, dist)
		}
	}
	os.RemoveAll(stage)
	os.RemoveAll(aside)
}

// lockDist resolves dist and serializes the builds that publish beside
// each other: two runs into one dist would remove each other's work
// directories and staging paths. The lock is on dist's parent directory,
// which publishing does not replace (dist itself is swapped), so it holds
// across a publish; two builds into different dists of one parent wait
// for each other too, the price of leaving no lock file behind.
func (b *Builder) lockDist(ctx context.Context) (func(), error) {
	if fi, err := os.Lstat(b.Dist); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		real, err := filepath.EvalSymlinks(b.Dist)
		if err != nil {
			return nil, fmt.Errorf("resolving output directory %q: %w", b.Dist, err)
		}
		b.Dist = real
	}
	parent := filepath.Dir(b.Dist)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("output directory %q is not writable: %w", b.Dist, err)
	}
	unlock, err := lockDir(ctx, parent, func() {
		if b.Waiting != nil {
			b.Waiting(b.Dist)
		}
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("waiting for another build using %s: %w", b.Dist, err)
		}
		return nil, fmt.Errorf("locking %s for the release: %w", parent, err)
	}
	return unlock, nil
}

// prepare repairs an interrupted publish, removes what killed runs left,
// and makes this run's work directory. It fails early when dist or its
// parent is not writable. The caller holds lockDist.
func (b *Builder) prepare() (*workDir, error) {
	recoverPublish(b.Dist)
	tmp := filepath.Join(b.Dist, stateDir, "tmp")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("output directory %q is not writable: %w", b.Dist, err)
	}
	// Work directories of runs that were killed hold only scratch files
	// and the go command's go-build* directories.
	if ents, err := os.ReadDir(tmp); err == nil {
		for _, e := range ents {
			os.RemoveAll(filepath.Join(tmp, e.Name()))
		}
	}
	stage, _ := publishPaths(b.Dist)
	if err := os.Mkdir(stage, 0o755); err != nil {
		return nil, fmt.Errorf("the directory holding %q is not writable (needed to publish the release): %w", b.Dist, err)
	}
	os.Remove(stage)
	root, err := os.MkdirTemp(tmp, "run")
	if err != nil {
		return nil, fmt.Errorf("output directory %q is not writable: %w", b.Dist, err)
	}
	w := &workDir{root: root, out: filepath.Join(root, "out"), jobs: filepath.Join(root, "jobs"), gotmp: filepath.Join(root, "gotmp")}
	for _, d := range []string{w.out, w.jobs, w.gotmp} {
		if err := os.Mkdir(d, 0o755); err != nil {
			os.RemoveAll(root)
			return nil, err
		}
	}
	gi := filepath.Join(b.Dist, ".gitignore")
	if _, err := os.Lstat(gi); errors.Is(err, fs.ErrNotExist) {
		os.WriteFile(gi, gitignore, 0o644)
	}
	return w, nil
}

// gitignore keeps dist out of 'git status', so the go command's VCS
// stamping does not call every later build "modified".
var gitignore = []byte("# written by goforge build: keep release outputs out of git\n*\n")

// goEnv is the environment of every go command the run starts: GOTMPDIR
// in the work directory, so the go-build* directories of a killed go
// command are removed with it.
func (b *Builder) goEnv(j *Job) []string {
	// Added to the runner's environment: the job's settings, and a
	// GOTMPDIR inside the work directory so an interrupted build's
	// temporary files go with it.
	env := append(append([]string(nil), j.Env...), "GOTMPDIR="+b.work.gotmp)
	return append(env, b.cacheEnv...)
}

// publish makes dist hold the release of results. Failed targets are left
// out (their previous outputs too, as those of targets no longer built):
// a release lists what this source builds, and the exit status already
// says that a target failed. With Strict, a failure keeps the previous
// release instead.
func (b *Builder) publish(ctx context.Context, results []*Result, next map[string]*jobState) error {
	allCached, allFailed := true, len(results) > 0
	for _, r := range results {
		if r.Failed() && b.Strict {
			b.Published = "refused"
			return nil
		}
		allCached = allCached && r.Status == StatusCached
		allFailed = allFailed && r.Failed()
	}
	if allFailed {
		// An empty release helps nobody: keep the previous one.
		b.Published = "none"
		return nil
	}
	files, sums, manifest := b.releaseFiles(results)
	if !b.Clean && allCached && len(next) == len(b.state.Jobs) &&
		sameContent(filepath.Join(b.Dist, "SHA256SUMS"), sums) && sameContent(filepath.Join(b.Dist, "manifest.json"), manifest) {
		b.Published = "unchanged"
		return nil
	}
	stage, _ := publishPaths(b.Dist)
	os.RemoveAll(stage)
	st := &state{Schema: stateSchema, Jobs: next}
	if err := b.fillStage(stage, files, sums, manifest, st); err != nil {
		os.RemoveAll(stage)
		return fmt.Errorf("staging the release: %w", err)
	}
	if ctx.Err() != nil {
		os.RemoveAll(stage)
		return fmt.Errorf("stopped before publishing, %s keeps its previous release: %w", b.Dist, context.Cause(ctx))
	}
	if err := swapDirs(stage, b.Dist); err != nil {
		os.RemoveAll(stage)
		return fmt.Errorf("publishing %s: %w", b.Dist, err)
	}
	os.RemoveAll(stage) // the previous release
	b.Published = "published"
	return nil
}

// releaseFile is one file of the release and whether this run made it
// (it is in the work directory) or an earlier one (it is in dist).
type releaseFile struct {
	release.File
	fresh bool
}

// releaseFiles lists the files of the successful results and renders
// SHA256SUMS and manifest.json for exactly those.
func (b *Builder) releaseFiles(results []*Result) ([]releaseFile, []byte, []byte) {
	var files []releaseFile
	var listed []release.File
	m := &release.Manifest{Schema: 1, Version: b.Stamp.Version, Commit: b.Stamp.Commit, Date: b.Stamp.Date, GoVersion: b.TC.Version()}
	names := map[string]bool{}
	for i, r := range results {
		if r == nil || r.Failed() || r.Binary == nil {
			continue
		}
		j := b.Jobs[i]
		names[j.Name] = true
		mt := release.ManifestTarget{
			Target: j.Target.String(), GOOS: j.Target.GOOS, GOARCH: j.Target.GOARCH, Variant: j.Target.Variant,
			Package: j.Package, Env: j.Env, Flags: j.Args, Binary: *r.Binary, Archive: r.Archive,
			Static: r.Static, Verified: r.Verified == "ok",
		}
		if r.Info != nil {
			mt.Format, mt.Arch = r.Info.Format, r.Info.Arch
		}
		m.Targets = append(m.Targets, mt)
		for _, f := range []*release.File{r.Binary, r.Archive} {
			if f != nil {
				files = append(files, releaseFile{File: *f, fresh: r.Status != StatusCached})
				listed = append(listed, *f)
			}
		}
	}
	m.Name = strings.Join(sortedKeys(names), ",")
	m.Files = listed
	return files, release.Checksums(listed), m.Encode()
}

func sameContent(name string, data []byte) bool {
	old, err := os.ReadFile(name)
	return err == nil && bytes.Equal(old, data)
}

// fillStage writes the new release into stage. SHA256SUMS and the
// manifest cover exactly files; other files the user keeps in dist are
// carried over unless Clean (and named in Kept).
func (b *Builder) fillStage(stage string, files []releaseFile, sums, manifest []byte, st *state) error {
	if err := os.MkdirAll(filepath.Join(stage, stateDir), 0o755); err != nil {
		return err
	}
	inRelease := map[string]bool{"SHA256SUMS": true, "manifest.json": true, stateDir: true}
	for _, f := range files {
		dst := filepath.Join(stage, f.Name)
		inRelease[f.Name] = true
		var err error
		if f.fresh {
			err = os.Rename(filepath.Join(b.work.out, f.Name), dst)
		} else {
			err = linkOrCopy(filepath.Join(b.Dist, f.Name), dst)
		}
		if err != nil {
			return err
		}
	}
	if err := b.carryOver(stage, inRelease); err != nil {
		return err
	}
	for name, data := range map[string][]byte{"SHA256SUMS": sums, "manifest.json": manifest} {
		if err := os.WriteFile(filepath.Join(stage, name), data, 0o644); err != nil {
			return err
		}
	}
	return st.save(stage)
}

// carryOver links into stage what dist holds besides goforge's own files:
// .gitignore, and with Clean nothing else; without it, files the user put
// there. Files of the previous release (in its SHA256SUMS or state) are
// not carried: a failed or removed target's outputs leave the release.
func (b *Builder) carryOver(stage string, inRelease map[string]bool) error {
	owned := b.previousFiles()
	ents, err := os.ReadDir(b.Dist)
	if err != nil {
		return err
	}
	for _, e := range ents {
		name := e.Name()
		if inRelease[name] || owned[name] || (b.Clean && name != ".gitignore") {
			continue
		}
		if name != ".gitignore" {
			b.Kept = append(b.Kept, name)
		}
		if err := copyTree(filepath.Join(b.Dist, name), filepath.Join(stage, name)); err != nil {
			return err
		}
	}
	if _, err := os.Lstat(filepath.Join(stage, ".gitignore")); err != nil {
		return os.WriteFile(filepath.Join(stage, ".gitignore"), gitignore, 0o644)
	}
	return nil
}

// previousFiles names the files goforge published or recorded in dist.
func (b *Builder) previousFiles() map[string]bool {
	owned := map[string]bool{}
	if f, err := os.Open(filepath.Join(b.Dist, "SHA256SUMS")); err == nil {
		sums, _ := release.ParseChecksums(f)
		f.Close()
		for n := range sums {
			owned[n] = true
		}
	}
	for _, js := range b.state.Jobs {
		for _, o := range js.Outputs {
			owned[o.Name] = true
		}
	}
	return owned
}

// copyTree recreates src at dst with hard links (copies across devices).
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, to)
		}
		return linkOrCopy(p, to)
	})
}

func linkOrCopy(src, dst string) error {
	if os.Link(src, dst) == nil {
		return nil
	}
	fi, err := copyFile(src, dst, nil)
	if err == nil {
		err = os.Chtimes(dst, fi.ModTime(), fi.ModTime())
	}
	return err
}

// copyFile copies src to dst, a new file with src's permissions, writing
// the bytes to tee too when it is not nil, and returns src's info.
func copyFile(src, dst string, tee io.Writer) (os.FileInfo, error) {
	in, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return nil, err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm())
	if err != nil {
		return nil, err
	}
	var w io.Writer = out
	if tee != nil {
		w = io.MultiWriter(out, tee)
	}
	_, err = io.Copy(w, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return fi, err
}
