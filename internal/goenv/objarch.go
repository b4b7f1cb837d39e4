package goenv

import "github.com/goforge/goforge/internal/binfile"

// ObjectTarget reads the OS and architecture an executable was built for
// from its object file header, in GOOS/GOARCH spelling.
func ObjectTarget(path string) (goos, goarch string, err error) {
	f, err := binfile.Open(path)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	return f.OS, f.Arch, nil
}
