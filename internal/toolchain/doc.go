// Package toolchain manages goforge's installed Go toolchains.
//
// On-disk layout of a goforge home ($GOFORGE_HOME, else
// $XDG_DATA_HOME/goforge, else ~/.local/share/goforge):
//
//	versions/<name>/    one complete GOROOT per installed version; an adopted
//	                    GOROOT is a symlink versions/<name> -> DIR
//	meta/<name>.json    how it got there (see Meta)
//	current             symlink -> versions/<name>, the global default;
//	                    replaced atomically (new link, then rename over)
//	bin/                shared GOBIN, so 'go install'ed tools survive switches
//	tmp/                staging (same filesystem as versions/, so the final
//	                    step of every install is one rename)
//	locks/<name>.lock   per-version locks, removed by their holder (see Lock)
//	sumdb/              checksum database state (latest signed tree head)
//
// Names: go1.22.5 (host platform), go1.22.5.linux-arm64 (another platform),
// go1.26.8-src (built from source), devel-<hash> (built from a dev tree).
//
// A version is visible (List, Find, Use) only once versions/<name> exists,
// and that directory appears by a single rename of a fully prepared and
// verified staging directory, so a killed install leaves nothing visible;
// the next install removes the leftovers of dead processes from tmp/.
package toolchain
