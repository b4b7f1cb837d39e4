package image

import (
	"fmt"
	"path"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

const defaultPath = "PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// configure sets the image config: platform, created time, the program as
// ENTRYPOINT, the non-root USER, environment and labels. The base's CMD is
// dropped, as a Dockerfile's ENTRYPOINT does.
func configure(img v1.Image, p Program, n Needs, o Options, anns map[string]string) (v1.Image, error) {
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("reading the base config: %w", err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture, cf.Variant = p.Platform.OS, p.Platform.Architecture, p.Platform.Variant
	cf.Created = v1.Time{Time: o.Created}
	c := &cf.Config
	c.Entrypoint = []string{path.Join(BinDir, p.Name)}
	c.Cmd = nil
	c.User = fmt.Sprintf("%d:%d", NonrootUID, NonrootUID)
	if c.WorkingDir == "" {
		c.WorkingDir = "/"
	}
	c.Env = setEnv(c.Env, defaultPath, false)
	if n.Zoneinfo {
		c.Env = setEnv(c.Env, "ZONEINFO="+ZoneinfoPath, true)
	}
	if c.Labels == nil {
		c.Labels = map[string]string{}
	}
	for k, v := range anns {
		c.Labels[k] = v
	}
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		return nil, err
	}
	return mutate.Annotations(img, anns).(v1.Image), nil
}

// setEnv adds NAME=value to env; an existing NAME is replaced only when
// replace is set.
func setEnv(env []string, kv string, replace bool) []string {
	name, _, _ := strings.Cut(kv, "=")
	for i, e := range env {
		if strings.HasPrefix(e, name+"=") {
			if replace {
				env[i] = kv
			}
			return env
		}
	}
	return append(env, kv)
}
