package index

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// TestOpenSearchOwner runs the owner functions on a cluster: the index is
// made on first use and caught up after an ingest, check finds a missing
// and a changed document and an interview the catalogue lacks, a
// catch-up removes that interview, a rebuild switches the aliases to a
// new index and deletes the old one, and an index of another mapping
// version is rebuilt on open.
func TestOpenSearchOwner(t *testing.T) {
	c := osTestConfig(t)
	ctx := context.Background()
	a := ownerArchive(t)
	if err := archive.WriteConfig(a.Dir(), c); err != nil {
		t.Fatal(err)
	}
	var notes []string
	opt := OpenOptions{What: "test", Note: func(m string) { notes = append(notes, m) }}
	// What a first open killed half-way leaves: a meta index, no segments.
	r0, _ := dialOpenSearch(c)
	if _, err := r0.do(ctx, "test", http.MethodPut, "/"+r0.metaName(1), r0.osMetaBody(), nil); err != nil {
		t.Fatal(err)
	}
	ix, err := OpenArchive(ctx, a, opt)
	if err != nil {
		t.Fatal(err)
	}
	if ix.remote == nil {
		t.Fatal("OpenArchive opened bleve for an archive configured for OpenSearch")
	}
	if _, err := os.Stat(a.IndexDir()); !os.IsNotExist(err) {
		t.Errorf("an index folder was made beside the cluster's index: %v", err)
	}
	if _, ok := HolderOf(a.Dir()); ok {
		t.Error("a holder's note for a cluster's index")
	}
	if n, _ := ix.Counts(); n["viajes"] != 8 {
		t.Errorf("counts %v, want viajes 8", n)
	}
	ix.Close()

	ingestOwned(t, a, "otra")
	if n, err := CatchUp(ctx, a, opt); err != nil || n != 1 {
		t.Fatalf("CatchUp after an ingest: %d %v, want 1", n, err)
	}
	probs, err := CheckArchive(ctx, a, opt)
	if err != nil || len(probs) != 0 {
		t.Fatalf("check of a fresh index: %v %v", probs, err)
	}

	r, _ := dialOpenSearch(c)
	ids, err := r.docIDs(ctx, "viajes")
	if err != nil || len(ids) != 8 {
		t.Fatalf("documents of viajes: %v %v", ids, err)
	}
	others, _ := r.docIDs(ctx, "otra")
	must := func(method, path string, body any) {
		t.Helper()
		if _, err := r.do(ctx, "test", method, path, body, nil); err != nil {
			t.Fatal(err)
		}
	}
	must(http.MethodDelete, "/"+r.segs+"/_doc/"+escapeID(ids[0])+"?refresh=true", nil)
	must(http.MethodPost, "/"+r.segs+"/_update/"+escapeID(others[2])+"?refresh=true", map[string]any{"doc": map[string]any{fTextES: "otra cosa"}})
	must(http.MethodPut, "/"+r.segs+"/_doc/ghost-1?refresh=true", map[string]any{fInterview: "ghost", fLang: "es", fTextES: "fantasma", fTimeKey: "ghost"})
	probs, err = CheckArchive(ctx, a, opt)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, p := range probs {
		msgs = append(msgs, p.Subject+": "+p.Msg)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"viajes: index has 7 segments, catalogue 8", "otra: segment " + others[2] + ": index has text_es", "ghost: index has 1 segments of an interview the catalogue does not have"} {
		if !strings.Contains(all, want) {
			t.Errorf("check found:\n%s\nwant %q", all, want)
		}
	}

	// A catch-up (the index behind the catalogue) removes what the
	// catalogue lacks; a rebuild makes the rest right.
	if err := r.setMeta(ctx, "generation", "0", true); err != nil {
		t.Fatal(err)
	}
	if _, err := CatchUp(ctx, a, opt); err != nil {
		t.Fatal(err)
	}
	if n, _ := r.counts(ctx); n["ghost"] != 0 {
		t.Errorf("counts %v after a catch-up: ghost kept", n)
	}
	rb, err := Rebuild(ctx, a, opt)
	if err != nil || rb.Interviews != 2 || rb.Segments != 16 {
		t.Fatalf("rebuild: %+v %v, want 2 interviews, 16 segments", rb, err)
	}
	if n, err := r.current(ctx); err != nil || n != 2 {
		t.Errorf("alias points at generation %d (%v), want 2", n, err)
	}
	if st, _ := r.do(ctx, "test", http.MethodHead, "/"+r.segmentsName(1), nil, nil, 404); st != 404 {
		t.Errorf("the old index %s is still there (%d)", r.segmentsName(1), st)
	}
	if probs, err := CheckArchive(ctx, a, opt); err != nil || len(probs) != 0 {
		t.Errorf("check after the rebuild: %v %v", probs, err)
	}

	// An index of another version is rebuilt when opened.
	if err := r.setMeta(ctx, "mapping", "os0/1", true); err != nil {
		t.Fatal(err)
	}
	notes = nil
	ix, err = OpenArchive(ctx, a, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if len(notes) == 0 || !strings.Contains(notes[0], "another version") {
		t.Errorf("notes %q: want the rebuild told", notes)
	}
	if n, _ := r.current(ctx); n != 3 {
		t.Errorf("generation %d after the version rebuild, want 3", n)
	}
	res, err := ix.Search(ctx, a, "autobus", Options{Audience: archive.Staff})
	if err != nil || res.Total != 4 {
		t.Errorf("search after the rebuilds: %v %v, want 4 hits", res, err)
	}

	// A read-only archive searches the cluster's index as it is, says when
	// it is behind, and never writes to it.
	ingestOwned(t, a, "tercera") // not indexed: no catch-up
	ro, err := archive.OpenWith(a.Dir(), archive.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	notes = nil
	rix, err := OpenArchive(ctx, ro, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !rix.ReadOnly() || len(notes) != 1 || !strings.Contains(notes[0], "older than the catalogue") {
		t.Errorf("read-only open: read-only %v, notes %q", rix.ReadOnly(), notes)
	}
	if res, err := rix.Search(ctx, ro, "autobus", Options{Audience: archive.Staff}); err != nil || res.Total != 4 {
		t.Errorf("read-only search: %v %v", res, err)
	}
	if _, err := CatchUp(ctx, ro, opt); !errors.Is(err, archive.ErrReadOnly) {
		t.Errorf("read-only catch-up: %v, want ErrReadOnly", err)
	}
	if n, _ := r.counts(ctx); n["tercera"] != 0 {
		t.Errorf("a read-only archive indexed: %v", n)
	}
	ro.Close()

	// With the archive's lock held elsewhere, a rebuild waits and names the holder.
	lock, err := a.Lock("ingest x", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Unlock()
	if _, err := Rebuild(ctx, a, OpenOptions{Wait: 100e6}); !errors.Is(err, archive.ErrBusy) || !strings.Contains(err.Error(), "ingest x") {
		t.Errorf("rebuild with the archive held: %v", err)
	}
}

// TestOpenSearchFirstOpenRace: processes opening an archive's index on a
// fresh cluster at the same moment all get the one index one of them made.
func TestOpenSearchFirstOpenRace(t *testing.T) {
	c := osTestConfig(t)
	ctx := context.Background()
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			_, err := openOpenSearch(ctx, c, false)
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	r, _ := dialOpenSearch(c)
	if n, err := r.current(ctx); n != 1 || err != nil {
		t.Errorf("generation %d %v, want 1", n, err)
	}
}
