package dockerfile

import (
	"context"
	"path/filepath"
)

// Mode is what Generate does with the files.
type Mode int

const (
	WriteFiles Mode = iota // write them (replacing goforge's own only)
	ForceWrite             // write them, replacing the user's too
	CheckFiles             // compare them with those on disk
	PrintOnly              // only return them
)

// Result is what Generate produced: the files, where they belong, and
// with CheckFiles the differences ("" none: up to date) or the paths
// written.
type Result struct {
	Root    string
	Files   []File
	Diffs   []string
	Written []string
}

// Generate plans the Dockerfile and .dockerignore for req (see Project)
// and writes, checks or only returns them according to mode.
func Generate(ctx context.Context, req Request, mode Mode) (*Result, error) {
	spec, root, err := Project(ctx, req)
	if err != nil {
		return nil, err
	}
	res := &Result{Root: root, Files: Files(spec)}
	switch mode {
	case PrintOnly:
		return res, nil
	case CheckFiles:
		res.Diffs, err = Diff(root, res.Files)
		return res, err
	}
	if err := Write(root, res.Files, mode == ForceWrite); err != nil {
		return nil, err
	}
	for _, f := range res.Files {
		res.Written = append(res.Written, filepath.Join(root, f.Name))
	}
	return res, nil
}
