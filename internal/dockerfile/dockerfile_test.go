package dockerfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func spec() Spec {
	return Spec{Name: "app", Package: "./cmd/app", GoVersion: "1.26.0", Base: "scratch", HasGoSum: true}
}

func TestDockerfileVariants(t *testing.T) {
	for _, tc := range []struct {
		name        string
		edit        func(*Spec)
		want, avoid []string
	}{
		{"scratch static", func(s *Spec) {},
			[]string{"ARG GO_VERSION=1.26.0", "FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build", "COPY go.mod go.sum ./",
				"RUN --mount=type=cache,target=/go/pkg/mod go mod download", "--mount=type=cache,target=/root/.cache/go-build",
				`CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags "-s -w" -o /out/app ./cmd/app`,
				"FROM scratch", "COPY --from=build /out/passwd /out/group /etc/", "USER 65532:65532", `ENTRYPOINT ["/usr/local/bin/app"]`},
			[]string{"ca-certificates.crt", "zoneinfo", "apk"}},
		{"scratch certs and zones", func(s *Spec) { s.CACerts, s.Zoneinfo = true, true },
			[]string{"COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt",
				"COPY --from=build /usr/local/go/lib/time/zoneinfo.zip /usr/share/zoneinfo.zip", "ENV ZONEINFO=/usr/share/zoneinfo.zip"}, nil},
		{"no go.sum", func(s *Spec) { s.HasGoSum = false }, []string{"COPY go.mod ./"}, []string{"COPY go.mod go.sum"}},
		{"scratch cgo musl", func(s *Spec) { s.Cgo = true },
			[]string{"FROM golang:${GO_VERSION}-alpine AS build", "RUN apk add --no-cache build-base",
				`CGO_ENABLED=1 go build -trimpath -ldflags "-s -w -linkmode external -extldflags -static"`},
			[]string{"$BUILDPLATFORM"}},
		{"distroless", func(s *Spec) { s.Base, s.CACerts = "distroless", true },
			[]string{"FROM gcr.io/distroless/static-debian12:nonroot"}, []string{"/out/passwd", "ca-certificates.crt"}},
		{"distroless cgo", func(s *Spec) { s.Base, s.Cgo = "distroless", true },
			[]string{"FROM golang:${GO_VERSION}-bookworm AS build", "gcr.io/distroless/base-debian12:nonroot", "CGO_ENABLED=1 go build"}, []string{"apk", "-extldflags"}},
		{"alpine", func(s *Spec) { s.Base, s.CACerts, s.Zoneinfo = "alpine", true, true },
			[]string{"FROM alpine:3.22", "apk add --no-cache ca-certificates tzdata", "adduser -S -D -H -u 65532 -G nonroot nonroot"}, nil},
		{"alpine, nothing needed", func(s *Spec) { s.Base = "alpine" }, []string{"RUN addgroup -S -g 65532"}, []string{"apk add"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := spec()
			tc.edit(&s)
			if err := s.Check(); err != nil {
				t.Fatal(err)
			}
			df := Dockerfile(s)
			for _, w := range tc.want {
				if !strings.Contains(df, w) {
					t.Errorf("missing %q in\n%s", w, df)
				}
			}
			for _, a := range tc.avoid {
				if strings.Contains(df, a) {
					t.Errorf("unexpected %q in\n%s", a, df)
				}
			}
			// The module download layer comes before the sources.
			if strings.Index(df, "go mod download") > strings.Index(df, "COPY . .") {
				t.Errorf("go mod download after COPY . .")
			}
		})
	}
}

func TestSpecCheck(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Spec)
		want string
	}{
		{func(s *Spec) { s.Base = "ubuntu" }, `unknown base "ubuntu"`},
		{func(s *Spec) { s.GoVersion = "" }, "bad Go version"},
		{func(s *Spec) { s.GoVersion = "1.22 $(rm -rf /)" }, "bad Go version"},
		{func(s *Spec) { s.Name = "a b" }, "bad program name"},
	} {
		s := spec()
		tc.edit(&s)
		if err := s.Check(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Check(%+v) = %v, want %q", s, err, tc.want)
		}
	}
}

func TestDiffAndWrite(t *testing.T) {
	dir := t.TempDir()
	files := Files(spec())
	diffs, err := Diff(dir, files)
	if err != nil || len(diffs) != 2 || diffs[0] != "Dockerfile: missing" {
		t.Fatalf("diff of nothing: %v %v", diffs, err)
	}
	if err := Write(dir, files, false); err != nil {
		t.Fatal(err)
	}
	if diffs, _ := Diff(dir, files); len(diffs) != 0 {
		t.Errorf("just written, differs: %v", diffs)
	}
	// One inserted line is one difference; a changed line is two.
	df := filepath.Join(dir, "Dockerfile")
	data, _ := os.ReadFile(df)
	edited := strings.Replace(string(data), "WORKDIR /src\n", "WORKDIR /src\nRUN echo hi\n", 1)
	edited = strings.Replace(edited, "USER 65532:65532", "USER root", 1)
	os.WriteFile(df, []byte(edited), 0o644)
	diffs, _ = Diff(dir, files)
	want := []string{`Dockerfile:9: unexpected "RUN echo hi"`, `unexpected "USER root"`, `missing "USER 65532:65532"`}
	if len(diffs) != 3 {
		t.Fatalf("diffs: %q", diffs)
	}
	for i, w := range want {
		if !strings.Contains(diffs[i], w) {
			t.Errorf("diff %d = %q, want %q", i, diffs[i], w)
		}
	}
	// Regenerating replaces goforge's own file, but not a user's.
	if err := Write(dir, files, false); err != nil {
		t.Errorf("rewriting goforge's file: %v", err)
	}
	os.WriteFile(df, []byte("FROM busybox\n"), 0o644)
	if err := Write(dir, files, false); err == nil || !strings.Contains(err.Error(), "not written by goforge") {
		t.Errorf("overwrote the user's Dockerfile: %v", err)
	}
	if data, _ := os.ReadFile(df); string(data) != "FROM busybox\n" {
		t.Errorf("user's Dockerfile changed to %q", data)
	}
	if err := Write(dir, files, true); err != nil {
		t.Errorf("--force: %v", err)
	}
}
