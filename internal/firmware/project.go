package firmware

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// ConfigFile is the project file that names the board.
const ConfigFile = "firmware.toml"

// Config is firmware.toml.
type Config struct {
	// Board names an entry of the board table.
	Board string `toml:"board"`
	// Name is the base name of the outputs (default "firmware").
	Name string `toml:"name"`
	// Core overrides the board's core ("M4" for an M4F part whose FPU
	// is not used).
	Core string `toml:"core"`
	// FlashSize and RAMSize override the board's sizes, for a variant
	// of a part with less memory. The checks use them.
	FlashSize uint64 `toml:"flash_size"`
	RAMSize   uint64 `toml:"ram_size"`
	// CFlags are added when compiling, LDFlags when linking.
	CFlags  []string `toml:"cflags"`
	LDFlags []string `toml:"ldflags"`
	// Libs are archives or objects to link, relative to the project.
	Libs []string `toml:"libs"`
	// LinkerScript is the linker script (default linker.ld).
	LinkerScript string `toml:"linker_script"`
}

// A Project is a firmware directory with its configuration resolved.
type Project struct {
	Dir     string
	Config  Config
	Board   Board
	Core    Core
	Sources []string // absolute paths of the C and assembly files
}

// LoadProject reads dir's firmware.toml and finds its sources: the .c,
// .s and .S files in dir itself.
func LoadProject(dir string) (*Project, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	return loadProject(abs, dir)
}

// loadProject is LoadProject of the absolute directory abs, named dir in
// messages as the user gave it.
func loadProject(abs, dir string) (*Project, error) {
	path := filepath.Join(abs, ConfigFile)
	var cfg Config
	md, err := toml.DecodeFile(path, &cfg)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no %s in %s (create a project with 'goforge firmware new')", ConfigFile, dir)
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if undec := md.Undecoded(); len(undec) > 0 {
		return nil, fmt.Errorf("reading %s: unknown key %q", path, undec[0].String())
	}
	p := &Project{Dir: abs, Config: cfg}
	if err := p.resolve(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if p.Sources, err = findSources(abs); err != nil {
		return nil, err
	}
	return p, nil
}

// resolve applies the configuration to the board table.
func (p *Project) resolve() error {
	cfg := &p.Config
	if cfg.Board == "" {
		return errors.New("no board (add board = \"NAME\")")
	}
	b, err := LookupBoard(cfg.Board)
	if err != nil {
		return err
	}
	if cfg.FlashSize > 0 {
		b.Flash.Size = cfg.FlashSize
	}
	if cfg.RAMSize > 0 {
		b.RAM.Size = cfg.RAMSize
	}
	if cfg.Core != "" {
		b.CoreName = cfg.Core
	}
	if p.Core, err = LookupCore(b.CoreName); err != nil {
		return err
	}
	p.Board = b
	if cfg.Name == "" {
		cfg.Name = "firmware"
	}
	if strings.ContainsAny(cfg.Name, `/\`) || cfg.Name == "." || cfg.Name == ".." {
		return fmt.Errorf("bad name %q: want a file name", cfg.Name)
	}
	if cfg.LinkerScript == "" {
		cfg.LinkerScript = "linker.ld"
	}
	return nil
}

// findSources lists dir's C and assembly files. gcc -c writes every
// object under its base name, so two sources may not share one.
func findSources(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("listing sources: %w", err)
	}
	var srcs []string
	seen := map[string]string{}
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if e.IsDir() || (ext != ".c" && ext != ".s" && ext != ".S") {
			continue
		}
		obj := strings.TrimSuffix(e.Name(), ext) + ".o"
		if other, ok := seen[obj]; ok {
			return nil, fmt.Errorf("%s and %s would both compile to %s: rename one", other, e.Name(), obj)
		}
		seen[obj] = e.Name()
		srcs = append(srcs, filepath.Join(dir, e.Name()))
	}
	if len(srcs) == 0 {
		return nil, fmt.Errorf("no .c, .s or .S files in %s", dir)
	}
	sort.Strings(srcs)
	return srcs, nil
}
