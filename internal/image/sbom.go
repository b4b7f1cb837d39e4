package image

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// SPDXMediaType is the media type of the SBOM, as a file and as the
// artifact type of its OCI referrer.
const SPDXMediaType = "application/spdx+json"

type spdxDoc struct {
	SPDXVersion       string             `json:"spdxVersion"`
	DataLicense       string             `json:"dataLicense"`
	SPDXID            string             `json:"SPDXID"`
	Name              string             `json:"name"`
	DocumentNamespace string             `json:"documentNamespace"`
	CreationInfo      spdxCreation       `json:"creationInfo"`
	Packages          []spdxPackage      `json:"packages"`
	Relationships     []spdxRelationship `json:"relationships"`
}

type spdxCreation struct {
	Created  string   `json:"created"`
	Creators []string `json:"creators"`
}

type spdxPackage struct {
	Name             string       `json:"name"`
	SPDXID           string       `json:"SPDXID"`
	VersionInfo      string       `json:"versionInfo,omitempty"`
	DownloadLocation string       `json:"downloadLocation"`
	FilesAnalyzed    bool         `json:"filesAnalyzed"`
	Comment          string       `json:"comment,omitempty"`
	ExternalRefs     []spdxExtRef `json:"externalRefs,omitempty"`
}

type spdxExtRef struct {
	Category string `json:"referenceCategory"`
	Type     string `json:"referenceType"`
	Locator  string `json:"referenceLocator"`
}

type spdxRelationship struct {
	Element string `json:"spdxElementId"`
	Type    string `json:"relationshipType"`
	Related string `json:"relatedSpdxElement"`
}

// SPDX returns an SPDX 2.3 JSON document of the Go modules linked into
// the programs (the union over platforms), plus the Go standard library,
// for the image with the given index digest. It is deterministic: the
// same programs and options give the same bytes.
func SPDX(progs []Program, o Options, digest v1.Hash) ([]byte, error) {
	if len(progs) == 0 {
		return nil, fmt.Errorf("writing the SBOM: no programs")
	}
	name := progs[0].Name
	doc := spdxDoc{
		SPDXVersion: "SPDX-2.3", DataLicense: "CC0-1.0", SPDXID: "SPDXRef-DOCUMENT", Name: name,
		DocumentNamespace: "https://goforge.dev/spdx/" + name + "/" + digest.Hex,
		CreationInfo:      spdxCreation{Created: o.Created.UTC().Format(time.RFC3339), Creators: []string{"Tool: goforge"}},
	}
	main, deps := modulesOf(progs)
	doc.Packages = append(doc.Packages, modulePackage("SPDXRef-Package-main", main))
	doc.Relationships = append(doc.Relationships, spdxRelationship{"SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Package-main"})
	for i, m := range deps {
		id := fmt.Sprintf("SPDXRef-Package-%d", i+1)
		doc.Packages = append(doc.Packages, modulePackage(id, m))
		doc.Relationships = append(doc.Relationships, spdxRelationship{"SPDXRef-Package-main", "DEPENDS_ON", id})
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("writing the SBOM: %w", err)
	}
	return append(out, '\n'), nil
}

// modulesOf returns the main module and the sorted, distinct other
// modules of the programs, with the standard library as module "stdlib".
func modulesOf(progs []Program) (Module, []Module) {
	var main Module
	seen := map[string]Module{}
	for _, p := range progs {
		for _, m := range p.Needs.Modules {
			if m.Main {
				main = m
				continue
			}
			seen[m.Path+"@"+m.Version] = m
		}
		if v := p.Needs.GoVersion; v != "" {
			seen["stdlib@"+v] = Module{Path: "stdlib", Version: v}
		}
	}
	if main.Path == "" {
		main = Module{Path: progs[0].Name}
	}
	deps := make([]Module, 0, len(seen))
	for _, m := range seen {
		deps = append(deps, m)
	}
	sort.Slice(deps, func(i, j int) bool {
		if deps[i].Path != deps[j].Path {
			return deps[i].Path < deps[j].Path
		}
		return deps[i].Version < deps[j].Version
	})
	return main, deps
}

func modulePackage(id string, m Module) spdxPackage {
	p := spdxPackage{Name: m.Path, SPDXID: id, VersionInfo: m.Version, DownloadLocation: "NOASSERTION"}
	if m.Version != "" && m.Version != "(devel)" {
		p.ExternalRefs = []spdxExtRef{{"PACKAGE-MANAGER", "purl", "pkg:golang/" + purlPath(m.Path) + "@" + m.Version}}
	}
	if m.Sum != "" {
		p.Comment = "go.sum " + m.Sum
	}
	return p
}

// purlPath escapes a module path for a package URL: the path segments
// stay, characters outside the unreserved set are percent-encoded.
func purlPath(p string) string {
	var b strings.Builder
	for _, r := range p {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("/-._~", r):
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, "%%%02X", r)
		}
	}
	return b.String()
}
