module github.com/goforge/goforge

go 1.26.0

require github.com/rogpeppe/go-internal v1.16.0

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/tetratelabs/wazero v1.12.0
	golang.org/x/mod v0.43.0
	golang.org/x/sys v0.50.0
	golang.org/x/tools v0.52.0 // indirect
)
