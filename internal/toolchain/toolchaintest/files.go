package toolchaintest

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"sort"
)

// Files returns the files of a tiny fake GOROOT for Go version v: a
// VERSION file, bin/go and bin/gofmt shell scripts that print their
// version, a pkg/tool binary, src/_go.mod and a lib/wasm exec helper.
func Files(v, goos, goarch string) map[string]string {
	goScript := "#!/bin/sh\ncase \"$1\" in\nversion) echo \"go version " + v + " " + goos + "/" + goarch + "\" ;;\n" +
		"env) echo \"$GOROOT\" ;;\n*) echo \"fake go " + v + ": $*\" ;;\nesac\n"
	files := map[string]string{
		"VERSION":   v + "\ntime 2024-01-01T00:00:00Z\n",
		"bin/go":    goScript,
		"bin/gofmt": "#!/bin/sh\necho gofmt " + v + "\n",
		"pkg/tool/" + goos + "_" + goarch + "/vet": "#!/bin/sh\necho vet\n",
		"src/_go.mod":              "module std\n\ngo 1.22\n",
		"src/cmd/_go.mod":          "module cmd\n\ngo 1.22\n",
		"lib/wasm/go_js_wasm_exec": "#!/bin/sh\necho wasm\n",
		"README.md":                "fake Go " + v + "\n",
	}
	if goos == "windows" {
		files["bin/go.exe"], files["bin/gofmt.exe"] = files["bin/go"], files["bin/gofmt"]
		delete(files, "bin/go")
		delete(files, "bin/gofmt")
	}
	return files
}

func sortedNames(files map[string]string) []string {
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ModuleZip builds a zip with every file under prefix, recording no
// modes (as module zips do). Names are used as given, so tests can build
// hostile archives.
func ModuleZip(prefix string, files map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range sortedNames(files) {
		w, err := zw.Create(prefix + n)
		if err != nil {
			panic(err)
		}
		w.Write([]byte(files[n]))
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// TarGz builds a .tar.gz with every file under prefix; files under bin/
// and pkg/tool/ get mode 0755.
func TarGz(prefix string, files map[string]string) []byte {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, n := range sortedNames(files) {
		mode := int64(0o644)
		if len(n) > 4 && (n[:4] == "bin/" || (len(n) > 9 && n[:9] == "pkg/tool/")) {
			mode = 0o755
		}
		tw.WriteHeader(&tar.Header{Name: prefix + n, Mode: mode, Size: int64(len(files[n])), Typeflag: tar.TypeReg})
		tw.Write([]byte(files[n]))
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}
