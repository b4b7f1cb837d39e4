package telemetry

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// sharedPerm is the mode of the files goforge writes for people to share
// (the timeline, the metrics file): readable by all, less the umask, as
// any file a shell redirection creates.
const sharedPerm = 0o644

// writeShared writes what write produces to path atomically: a temporary
// file beside it, created with sharedPerm so that the umask applies (the
// kernel masks a new file's mode; os.CreateTemp would give 0600 whatever
// the umask), then renamed over path. On error nothing is left behind.
// The temporary name starts with a dot and does not end in path's
// extension, so node_exporter's textfile collector (which reads *.prom)
// never sees half a file.
func writeShared(path string, write func(io.Writer) error) error {
	f, err := createExcl(path)
	if err != nil {
		return err
	}
	tmp := f.Name()
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// createExcl creates a new temporary file beside path with sharedPerm.
func createExcl(path string) (*os.File, error) {
	dir, base := filepath.Split(path)
	for range 100 {
		name := filepath.Join(dir, fmt.Sprintf(".%s.%016x.tmp", base, rand.Uint64()))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, sharedPerm)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("creating a temporary file beside %s: too many exist", path)
}
