package firmware

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"text/template"
)

//go:embed templates/*
var templates embed.FS

// scaffoldFiles are the files New writes, in the order it lists them.
var scaffoldFiles = []string{"firmware.toml", "board.h", "linker.ld", "startup.c", "semihost.c", "main.c"}

// New writes a minimal firmware project for the board into dir, which
// must not exist or be empty. It returns the paths it wrote.
func New(dir, boardName string) ([]string, error) {
	return NewIn("", dir, boardName)
}

// NewIn is New with a relative dir taken from workDir ("" is the
// process's); paths and messages name dir as given.
func NewIn(workDir, dir, boardName string) ([]string, error) {
	b, err := LookupBoard(boardName)
	if err != nil {
		return nil, err
	}
	abs := dir
	if workDir != "" && !filepath.IsAbs(dir) {
		abs = filepath.Join(workDir, dir)
	}
	if err := ensureEmptyDir(abs, dir); err != nil {
		return nil, err
	}
	data := struct {
		Board Board
		Core  Core
	}{b, b.Core()}
	var written []string
	for _, name := range scaffoldFiles {
		text, err := templates.ReadFile("templates/" + name)
		if err != nil {
			return written, err
		}
		t, err := template.New(name).Parse(string(text))
		if err != nil {
			return written, fmt.Errorf("parsing template %s: %w", name, err)
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, data); err != nil {
			return written, fmt.Errorf("rendering %s: %w", name, err)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(filepath.Join(abs, name), buf.Bytes(), 0o644); err != nil {
			return written, fmt.Errorf("writing %s: %w", path, err)
		}
		written = append(written, path)
	}
	return written, nil
}

// ensureEmptyDir creates dir, or accepts it when it exists and is empty,
// so that New never overwrites someone's files.
// abs is dir made absolute; messages name dir.
func ensureEmptyDir(abs, dir string) error {
	entries, err := os.ReadDir(abs)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(abs, 0o755); err != nil {
			return fmt.Errorf("creating %s: %w", dir, err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", dir, err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is not empty: scaffold into a new directory", dir)
	}
	return nil
}
