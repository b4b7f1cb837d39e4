package goenv

import "path/filepath"

// Report is the schema of 'goforge env --json'. Field names are a stable
// contract for scripts.
type Report struct {
	Go             *GoBinary      `json:"go"`         // the active go command, or null
	GoOnPath       []GoBinary     `json:"go_on_path"` // every go on PATH, in order
	Vars           map[string]Var `json:"vars"`       // every variable 'go env -json' reports
	GOBINEffective string         `json:"gobin_effective"`
	GOENVFile      FileInfo       `json:"goenv_file"`
	GOROOTEnvFile  FileInfo       `json:"goroot_env_file"`
}

// A Var is one variable's value and where it came from
// ("env", "goenv", "goroot" or "default").
type Var struct {
	Value  string `json:"value"`
	Origin string `json:"origin"`
}

// FileInfo describes a go env file and the variables it sets.
type FileInfo struct {
	Path   string   `json:"path"`
	Exists bool     `json:"exists"`
	Sets   []string `json:"sets"` // keys the file sets, in file order
	// Overrides lists the keys the file sets that are in force, that is,
	// not themselves overridden by the environment (or, for go.env, by
	// the GOENV file).
	Overrides []string `json:"overrides"`
}

// Report builds the env report from the snapshot.
func (s *Snapshot) Report() Report {
	r := Report{
		Go:             s.Active(),
		GoOnPath:       s.PathGos,
		Vars:           map[string]Var{},
		GOBINEffective: s.EffectiveGOBIN(),
		GOENVFile:      s.fileInfo(s.UserPath, s.UserOK, s.User, FromGOENV),
		GOROOTEnvFile:  s.fileInfo("", s.GorootOK, s.Goroot, FromGOROOT),
	}
	if r.GoOnPath == nil {
		r.GoOnPath = []GoBinary{}
	}
	if root := s.Values["GOROOT"]; root != "" {
		r.GOROOTEnvFile.Path = filepath.Join(root, "go.env")
	}
	for name, v := range s.Values {
		r.Vars[name] = Var{Value: v, Origin: s.Origin(name)}
	}
	return r
}

func (s *Snapshot) fileInfo(path string, ok bool, f EnvFile, origin string) FileInfo {
	fi := FileInfo{Path: path, Exists: ok, Sets: append([]string{}, f.Keys...), Overrides: []string{}}
	for _, k := range f.Keys {
		if s.Origin(k) == origin {
			fi.Overrides = append(fi.Overrides, k)
		}
	}
	return fi
}
