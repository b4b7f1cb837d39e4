//go:build !unix

package binfile

import "os"

func mapFile(fh *os.File, size int64) []byte { return nil }

func unmapFile(b []byte) error { return nil }
