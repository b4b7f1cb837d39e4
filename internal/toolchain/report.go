package toolchain

import "time"

// Report is the schema of an installed version in --json output.
type Report struct {
	Name             string `json:"name"`
	Version          string `json:"version"`
	GOOS             string `json:"goos"`
	GOARCH           string `json:"goarch"`
	GOROOT           string `json:"goroot"`
	Origin           string `json:"origin"`
	Source           string `json:"source,omitempty"`
	SHA256           string `json:"sha256,omitempty"`
	H1               string `json:"h1,omitempty"`
	InstalledAt      string `json:"installed_at,omitempty"`
	Active           bool   `json:"active"`
	ActiveReason     string `json:"active_reason,omitempty"`
	AlreadyInstalled bool   `json:"already_installed,omitempty"`
}

// Report describes inst for --json output: active says whether it is the
// one selected here, already whether an install found it in place.
func (inst Installed) Report(active, already bool) Report {
	v := Report{Name: inst.Name, Version: inst.Meta.Version, GOOS: inst.Meta.GOOS, GOARCH: inst.Meta.GOARCH,
		GOROOT: inst.Dir, Origin: inst.Meta.Origin, Source: inst.Meta.Source, SHA256: inst.Meta.SHA256, H1: inst.Meta.H1,
		Active: active, AlreadyInstalled: already}
	if !inst.Meta.InstalledAt.IsZero() {
		v.InstalledAt = inst.Meta.InstalledAt.Format(time.RFC3339)
	}
	return v
}
