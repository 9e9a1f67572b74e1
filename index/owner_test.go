package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// ownerArchive is an archive with one interview and no index yet, whose
// writers wait short.
func ownerArchive(t *testing.T) *archive.Archive {
	t.Helper()
	a, err := archive.Create(filepath.Join(t.TempDir(), "arch"))
	if err != nil {
		t.Fatal(err)
	}
	a.SetLockWait(300 * time.Millisecond)
	t.Cleanup(func() { a.Close() })
	ingestOwned(t, a, "viajes")
	return a
}

func ingestOwned(t *testing.T, a *archive.Archive, id string) {
	t.Helper()
	src := &archive.Source{Interview: archive.Interview{ID: id, Title: id, Language: "es", Narrators: []string{}, Interviewers: []string{}, Media: []archive.Media{}, Sealed: []archive.Seal{}},
		HasMeta: true, Files: []archive.File{{Name: "es.srt", Lang: "es", Data: []byte(esSRT)}, {Name: "en.srt", Lang: "en", Data: []byte(enSRT)}}}
	if _, err := a.Ingest(context.Background(), src); err != nil {
		t.Fatal(err)
	}
}

// TestOpenArchiveCatchesUp: the index is built when missing and caught
// up after every change, and its holder's note lasts while it is open.
func TestOpenArchiveCatchesUp(t *testing.T) {
	ctx := context.Background()
	a := ownerArchive(t)
	var notes []string
	opt := OpenOptions{What: "search", Note: func(m string) { notes = append(notes, m) }}
	ix, err := OpenArchive(ctx, a, opt)
	if err != nil {
		t.Fatal(err)
	}
	h, ok := HolderOf(a.Dir())
	if !ok || h.PID != os.Getpid() || h.What != "search" || h.Serving() {
		t.Errorf("holder while open: %+v %v, want this process's search", h, ok)
	}
	if c, _ := ix.Counts(); c["viajes"] == 0 {
		t.Errorf("counts %v: the interview was not indexed", c)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := HolderOf(a.Dir()); ok {
		t.Error("the holder's note outlived Close")
	}
	ingestOwned(t, a, "otra")
	n, err := CatchUp(ctx, a, opt)
	if err != nil || n != 1 {
		t.Fatalf("CatchUp after an ingest: %d %v, want 1 interview", n, err)
	}
	if len(notes) != 2 || !strings.Contains(notes[1], "updated for 1 interview") {
		t.Errorf("notes %q: want two catch-ups told", notes)
	}
	ix, err = OpenArchive(ctx, a, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if stale, _ := ix.stale(ctx, a); stale {
		t.Error("stale after CatchUp")
	}
}

// TestOpenArchiveOtherVersion: an index another version built is rebuilt,
// and the rebuild is told.
func TestOpenArchiveOtherVersion(t *testing.T) {
	ctx := context.Background()
	a := ownerArchive(t)
	ix, err := Open(a.IndexDir())
	if err != nil {
		t.Fatal(err)
	}
	ix.bi.SetInternal([]byte("mapping_version"), []byte("0"))
	ix.Close()
	var notes []string
	ix, err = OpenArchive(ctx, a, OpenOptions{Note: func(m string) { notes = append(notes, m) }})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if len(notes) == 0 || !strings.Contains(notes[0], "another version") {
		t.Errorf("notes %q: want the rebuild told", notes)
	}
	if c, _ := ix.Counts(); c["viajes"] == 0 {
		t.Error("not indexed after the rebuild")
	}
}

// TestBusyNamesHolder: a process finding the index open elsewhere waits
// for a command and names it, and does not wait for a server.
func TestBusyNamesHolder(t *testing.T) {
	ctx := context.Background()
	a := ownerArchive(t)
	held, err := OpenArchive(ctx, a, OpenOptions{What: "search"})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = OpenArchive(ctx, a, OpenOptions{What: "show", Wait: 200 * time.Millisecond})
	var be *BusyError
	if !errors.As(err, &be) || !errors.Is(err, ErrBusy) || be.Holder == nil || be.Holder.What != "search" || be.Waited == 0 {
		t.Fatalf("got %v, want a BusyError naming the search after waiting", err)
	}
	if !strings.Contains(err.Error(), "recuerdo search (pid ") {
		t.Errorf("error %q does not name the holder", err)
	}
	if time.Since(start) < 200*time.Millisecond {
		t.Errorf("gave up after %s, before its wait", time.Since(start))
	}
	// Let go while another waits: it gets in.
	go func() { time.Sleep(300 * time.Millisecond); held.Close() }()
	ix, err := OpenArchive(ctx, a, OpenOptions{What: "show", Wait: 10 * time.Second})
	if err != nil {
		t.Fatalf("after the holder closed: %v", err)
	}
	ix.Close()

	live, err := Serve(ctx, a, ServeOptions{URL: "http://127.0.0.1:1", Audience: "family"})
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	for name, call := range map[string]func() error{
		"OpenArchive": func() error { _, err := OpenArchive(ctx, a, OpenOptions{Wait: time.Minute}); return err },
		"CatchUp":     func() error { _, err := CatchUp(ctx, a, OpenOptions{Wait: time.Minute}); return err },
		"Rebuild":     func() error { _, err := Rebuild(ctx, a, OpenOptions{Wait: time.Minute}); return err },
	} {
		start := time.Now()
		err := call()
		if !errors.As(err, &be) || be.Holder == nil || !be.Holder.Serving() || be.Holder.URL != "http://127.0.0.1:1" {
			t.Errorf("%s while serving: got %v, want a BusyError naming the server", name, err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s waited %s for a server", name, d)
		}
	}
}

// TestStaleHolderIgnored: a note whose process has gone names no one.
func TestStaleHolderIgnored(t *testing.T) {
	dir := t.TempDir()
	if err := writeHolder(dir, Holder{PID: 999999999, What: "serve", URL: "http://127.0.0.1:1"}); err != nil {
		t.Fatal(err)
	}
	if h, ok := HolderOf(dir); ok {
		t.Errorf("a dead process's note: %+v", h)
	}
	os.WriteFile(filepath.Join(dir, holderName), []byte("not json"), 0o644)
	if _, ok := HolderOf(dir); ok {
		t.Error("a damaged note names a holder")
	}
}

// TestRebuildSwaps: a rebuild replaces the index whole, clears what an
// interrupted one left, and refuses while the archive is held.
func TestRebuildSwaps(t *testing.T) {
	ctx := context.Background()
	a := ownerArchive(t)
	ingestOwned(t, a, "otra")
	if _, err := CatchUp(ctx, a, OpenOptions{}); err != nil {
		t.Fatal(err)
	}
	// What a rebuild killed half-way leaves.
	if err := os.MkdirAll(a.IndexDir()+".new", 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(a.IndexDir()+".new", "junk"), []byte("x"), 0o644)
	r, err := Rebuild(ctx, a, OpenOptions{What: "reindex"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Interviews != 2 || r.Segments == 0 {
		t.Errorf("rebuilt %+v, want 2 interviews", r)
	}
	for _, p := range []string{a.IndexDir() + ".new", a.IndexDir() + ".old"} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s left behind", p)
		}
	}
	if _, ok := HolderOf(a.Dir()); ok {
		t.Error("the rebuild's note outlived it")
	}
	ix, err := OpenArchive(ctx, a, OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := ix.Counts(); len(c) != 2 {
		t.Errorf("counts %v after the rebuild", c)
	}
	// A rebuild also runs with no index at all, and with the archive busy
	// it fails naming the archive's holder.
	lock, err := a.Lock("ingest x", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Unlock()
	ix.Close()
	if _, err := Rebuild(ctx, a, OpenOptions{Wait: 100 * time.Millisecond}); !errors.Is(err, archive.ErrBusy) || !strings.Contains(err.Error(), "ingest x") {
		t.Errorf("rebuild with the archive held: %v", err)
	}
}
