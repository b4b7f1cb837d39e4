// Package goenv reads the Go environment the way the go command does and
// says where each value came from: the process environment, the user's
// GOENV file (written by 'go env -w'), $GOROOT/go.env, or the go command's
// own default.
package goenv

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
)

// Where a value came from.
const (
	FromEnv     = "env"     // the process environment
	FromGOENV   = "goenv"   // the user's GOENV file ('go env -w')
	FromGOROOT  = "goroot"  // $GOROOT/go.env
	FromDefault = "default" // computed by the go command
)

// An EnvFile is a parsed go env file: the keys in file order and their values.
type EnvFile struct {
	Keys   []string
	Values map[string]string
}

// ParseEnvFile parses a go env file exactly as cmd/go reads one: each line
// KEY=VALUE, values taken verbatim; lines without '=' or whose first byte
// is not an upper-case letter (comments, blanks) are ignored; a later line
// wins over an earlier one.
func ParseEnvFile(data []byte) EnvFile {
	f := EnvFile{Values: map[string]string{}}
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		i := bytes.IndexByte(line, '=')
		if i < 0 || line[0] < 'A' || 'Z' < line[0] {
			continue
		}
		key, val := string(line[:i]), string(line[i+1:])
		if _, seen := f.Values[key]; !seen {
			f.Keys = append(f.Keys, key)
		}
		f.Values[key] = val
	}
	return f
}

// EnvFilePath reports the user's go env file as the go command finds it:
// $GOENV, or go/env under the user config dir. GOENV=off yields "".
func EnvFilePath(getenv func(string) string) string {
	if file := getenv("GOENV"); file != "" {
		if file == "off" {
			return ""
		}
		return file
	}
	dir := userConfigDir(getenv)
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "go", "env")
}

// userConfigDir mirrors os.UserConfigDir but reads variables through getenv,
// so a caller can describe an environment other than its own.
func userConfigDir(getenv func(string) string) string {
	switch runtime.GOOS {
	case "windows":
		return getenv("AppData")
	case "darwin", "ios":
		if h := getenv("HOME"); h != "" {
			return filepath.Join(h, "Library", "Application Support")
		}
		return ""
	case "plan9":
		if h := getenv("home"); h != "" {
			return filepath.Join(h, "lib")
		}
		return ""
	}
	if dir := getenv("XDG_CONFIG_HOME"); dir != "" && filepath.IsAbs(dir) {
		return dir
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".config")
	}
	return ""
}

// UserCacheDir mirrors os.UserCacheDir but reads variables through
// getenv, so a command run for another environment (a test's, a
// sandbox's) finds that environment's cache directory, not the process's.
// It returns "" when the environment names none.
func UserCacheDir(getenv func(string) string) string {
	var dir string
	switch runtime.GOOS {
	case "windows":
		dir = getenv("LocalAppData")
	case "darwin", "ios":
		if h := getenv("HOME"); h != "" {
			dir = filepath.Join(h, "Library", "Caches")
		}
	case "plan9":
		if h := getenv("home"); h != "" {
			dir = filepath.Join(h, "lib", "cache")
		}
	default:
		dir = getenv("XDG_CACHE_HOME")
		if h := getenv("HOME"); !filepath.IsAbs(dir) && h != "" {
			dir = filepath.Join(h, ".cache")
		}
	}
	if !filepath.IsAbs(dir) {
		return ""
	}
	return dir
}

// readEnvFile reads and parses a go env file; a missing file is empty.
func readEnvFile(path string) (EnvFile, bool, error) {
	if path == "" {
		return ParseEnvFile(nil), false, nil
	}
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return ParseEnvFile(nil), false, nil
	}
	if err != nil {
		return ParseEnvFile(nil), false, err
	}
	return ParseEnvFile(data), true, nil
}

// Origin reports where the go command takes name's value from, in its
// order of precedence: process environment, user GOENV file,
// $GOROOT/go.env, its own default. GOROOT never comes from go.env.
func Origin(name string, environ map[string]string, user, goroot EnvFile) string {
	if v, ok := environ[name]; ok && v != "" {
		return FromEnv
	}
	if _, ok := user.Values[name]; ok {
		return FromGOENV
	}
	if _, ok := goroot.Values[name]; ok && name != "GOROOT" {
		return FromGOROOT
	}
	return FromDefault
}
