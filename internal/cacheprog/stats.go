package cacheprog

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"
)

// counters are the live statistics of one cache program.
type counters struct {
	gets, puts                  atomic.Int64
	localHits, localMisses      atomic.Int64
	remoteHits, remoteMisses    atomic.Int64
	remoteErrors, corrupt       atomic.Int64
	uploads, uploadsSkipped     atomic.Int64
	repaired                    atomic.Int64
	uploadsDropped, uploadsLost atomic.Int64
	bytesDown, bytesUp          atomic.Int64
	savedMillis                 atomic.Int64
}

// Stats is the summary a cache program reports at close; its JSON form
// (one object per line in --stats-file) is stable.
type Stats struct {
	Dir            string `json:"dir"`
	Remote         string `json:"remote,omitempty"`
	Gets           int64  `json:"gets"`
	Puts           int64  `json:"puts"`
	LocalHits      int64  `json:"local_hits"`
	LocalMisses    int64  `json:"local_misses"`
	RemoteHits     int64  `json:"remote_hits"`
	RemoteMisses   int64  `json:"remote_misses"`
	RemoteErrors   int64  `json:"remote_errors"`
	Corrupt        int64  `json:"corrupt"`
	Uploads        int64  `json:"uploads"`
	UploadsSkipped int64  `json:"uploads_skipped"`
	// Repaired counts uploads of outputs whose remote copy was corrupt,
	// put over it without the "already there" check.
	Repaired       int64   `json:"repaired"`
	UploadsDropped int64   `json:"uploads_dropped"`
	UploadsLost    int64   `json:"uploads_unfinished"`
	BytesDown      int64   `json:"bytes_down"`
	BytesUp        int64   `json:"bytes_up"`
	SavedSeconds   float64 `json:"time_saved_seconds"`
	RemoteDisabled string  `json:"remote_disabled,omitempty"`
	EvictedFiles   int64   `json:"evicted_files"`
	EvictedBytes   int64   `json:"evicted_bytes"`
	LocalSize      int64   `json:"local_size"`
	DurationSecs   float64 `json:"duration_seconds"`
}

func (c *counters) snapshot() Stats {
	return Stats{
		Gets: c.gets.Load(), Puts: c.puts.Load(),
		LocalHits: c.localHits.Load(), LocalMisses: c.localMisses.Load(),
		RemoteHits: c.remoteHits.Load(), RemoteMisses: c.remoteMisses.Load(),
		RemoteErrors: c.remoteErrors.Load(), Corrupt: c.corrupt.Load(),
		Uploads: c.uploads.Load(), UploadsSkipped: c.uploadsSkipped.Load(), Repaired: c.repaired.Load(),
		UploadsDropped: c.uploadsDropped.Load(), UploadsLost: c.uploadsLost.Load(),
		BytesDown: c.bytesDown.Load(), BytesUp: c.bytesUp.Load(),
		SavedSeconds: float64(c.savedMillis.Load()) / 1000,
	}
}

// Summary is the one line printed to stderr at close.
func (s Stats) Summary() string {
	line := fmt.Sprintf("goforge cacheprog: %d gets: %d local hits, %d remote hits, %d misses; %d puts",
		s.Gets, s.LocalHits, s.RemoteHits, s.Gets-s.LocalHits-s.RemoteHits, s.Puts)
	if s.Remote != "" {
		line += fmt.Sprintf("; remote %s down, %s up (%d uploads, %d already there)",
			human(s.BytesDown), human(s.BytesUp), s.Uploads, s.UploadsSkipped)
		if s.Corrupt > 0 {
			line += fmt.Sprintf("; %d corrupt downloads", s.Corrupt)
		}
		if s.Repaired > 0 {
			line += fmt.Sprintf("; %d corrupt remote copies replaced", s.Repaired)
		}
		if s.UploadsDropped+s.UploadsLost > 0 {
			line += fmt.Sprintf("; %d uploads dropped", s.UploadsDropped+s.UploadsLost)
		}
	}
	if s.SavedSeconds > 0 {
		line += fmt.Sprintf("; about %s of build time saved", time.Duration(s.SavedSeconds*float64(time.Second)).Round(100*time.Millisecond))
	}
	if s.EvictedFiles > 0 {
		line += fmt.Sprintf("; evicted %d files (%s)", s.EvictedFiles, human(s.EvictedBytes))
	}
	return line
}

func human(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// appendJSON adds s as one JSON line to file: several go commands (one per
// target of a release) share one stats file, each appending its own line.
func appendJSON(file string, s Stats) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("writing statistics: %w", err)
	}
	_, err = f.Write(append(b, '\n'))
	if err2 := f.Close(); err == nil {
		err = err2
	}
	if err != nil {
		return fmt.Errorf("writing statistics: %w", err)
	}
	return nil
}

// ReadStats reads a stats file written by --stats-file, one Stats a line.
func ReadStats(r io.Reader) ([]Stats, error) {
	var all []Stats
	dec := json.NewDecoder(r)
	for {
		var s Stats
		if err := dec.Decode(&s); err == io.EOF {
			return all, nil
		} else if err != nil {
			return all, fmt.Errorf("reading statistics: %w", err)
		}
		all = append(all, s)
	}
}
