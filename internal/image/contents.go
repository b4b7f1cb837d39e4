package image

import (
	"fmt"
	"os"
	"path"
)

// Paths inside the image.
const (
	BinDir       = "/usr/local/bin"
	CACertsPath  = "/etc/ssl/certs/ca-certificates.crt"
	ZoneinfoPath = "/usr/share/zoneinfo.zip"
	// NonrootUID is the uid and gid of the user the program runs as,
	// the same as distroless's "nonroot".
	NonrootUID = 65532
)

// Sources says where the build machine's files come from.
type Sources struct {
	// CACerts is the CA bundle copied when the program verifies
	// certificates (default /etc/ssl/certs/ca-certificates.crt).
	CACerts string
	// Zoneinfo is the time zone database, a zip as Go reads it through
	// $ZONEINFO (default $GOROOT/lib/time/zoneinfo.zip of the toolchain).
	Zoneinfo string
}

// systemEntries returns the files layer: /etc/passwd and /etc/group with
// root and the non-root user, its home, a world-writable /tmp, the CA
// bundle and the zoneinfo database when the program needs them.
func systemEntries(n Needs, src Sources) ([]entry, error) {
	passwd := fmt.Sprintf("root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:%d:%d:nonroot:/home/nonroot:/sbin/nologin\n", NonrootUID, NonrootUID)
	group := fmt.Sprintf("root:x:0:\nnonroot:x:%d:\n", NonrootUID)
	es := []entry{
		{Name: "/etc/passwd", Mode: 0o644, Data: []byte(passwd)},
		{Name: "/etc/group", Mode: 0o644, Data: []byte(group)},
		{Name: "/home/nonroot", Mode: 0o700, UID: NonrootUID, Dir: true},
		{Name: "/tmp", Mode: 0o1777, Dir: true},
	}
	if n.CACerts {
		data, err := os.ReadFile(src.CACerts)
		if err != nil {
			return nil, fmt.Errorf("reading the CA bundle for a program that links crypto/x509: %w", err)
		}
		es = append(es, entry{Name: CACertsPath, Mode: 0o644, Data: data})
	}
	if n.Zoneinfo {
		data, err := os.ReadFile(src.Zoneinfo)
		if err != nil {
			return nil, fmt.Errorf("reading the time zone database for a program that loads time zones: %w", err)
		}
		es = append(es, entry{Name: ZoneinfoPath, Mode: 0o644, Data: data})
	}
	return es, nil
}

// appEntries returns the program layer.
func appEntries(name string, data []byte) []entry {
	return []entry{{Name: path.Join(BinDir, name), Mode: 0o755, Data: data}}
}
