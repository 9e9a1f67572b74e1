package archive

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestSelections saves, reads, replaces and deletes a selection, refuses
// malformed ones, and carries them through an export and an import.
func TestSelections(t *testing.T) {
	ctx := context.Background()
	a := newArchive(t)
	if _, err := a.Ingest(ctx, testSource("viajes")); err != nil {
		t.Fatal(err)
	}
	s := &Selection{ID: "abuelo-favoritos", Title: "Lo que más nos gusta", Note: "Para la reunión",
		Items: []SelectionItem{{Interview: "viajes", StartMS: 1000, EndMS: 3000, Note: "el autobús"}, {Interview: "viajes", StartMS: 0, EndMS: 1000}}}
	if err := a.SaveSelection(ctx, s); err != nil {
		t.Fatal(err)
	}
	got, err := a.Selection(ctx, "abuelo-favoritos")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, s) {
		t.Errorf("got %+v, want %+v", got, s)
	}
	s.Items = s.Items[1:]
	s.Title = "Otro título"
	if err := a.SaveSelection(ctx, s); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.Selection(ctx, s.ID); got == nil || len(got.Items) != 1 || got.Title != "Otro título" || got.Created != s.Created {
		t.Errorf("after replacing: got %+v", got)
	}
	for _, bad := range []*Selection{
		{ID: "Con Espacios", Title: "x"},
		{ID: "x", Title: ""},
		{ID: "x", Title: "x", Items: []SelectionItem{{Interview: "viajes", StartMS: 5, EndMS: 4}}},
		{ID: "x", Title: "x", Items: []SelectionItem{{StartMS: 0, EndMS: 4}}},
		{ID: "x", Title: "x", Items: make([]SelectionItem, MaxSelectionItems+1)},
	} {
		if err := a.SaveSelection(ctx, bad); err == nil {
			t.Errorf("saved %+v", bad)
		}
	}
	if probs, err := a.Check(ctx); err != nil || len(probs) > 0 {
		t.Errorf("check: %v %v", probs, err)
	}
	// Export and import keep it.
	dir := filepath.Join(t.TempDir(), "export")
	if _, err := a.Export(ctx, dir, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	b := newArchive(t)
	if _, err := b.Import(ctx, dir); err != nil {
		t.Fatal(err)
	}
	want, _ := a.Selections(ctx)
	if got, err := b.Selections(ctx); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("imported selections: got %+v (%v), want %+v", got, err, want)
	}
	// A moment of an interview the archive no longer holds is a problem.
	if err := a.SaveSelection(ctx, &Selection{ID: "perdida", Title: "x", Items: []SelectionItem{{Interview: "nadie", EndMS: 1}}}); err != nil {
		t.Fatal(err)
	}
	probs, err := a.Check(ctx)
	if err != nil || len(probs) != 1 || !strings.Contains(probs[0].Msg, "nadie") {
		t.Errorf("check with a moment of a missing interview: got %v %v", probs, err)
	}
	if err := a.DeleteSelection(ctx, "perdida"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Selection(ctx, "perdida"); !errors.Is(err, ErrNotFound) {
		t.Errorf("after delete: got %v, want ErrNotFound", err)
	}
	if err := a.DeleteSelection(ctx, "perdida"); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete twice: got %v, want ErrNotFound", err)
	}
}

// TestSelectionsOfOlderFormat reads an archive of format 4 as it is: it
// has no selections, and says so without failing.
func TestSelectionsOfOlderFormat(t *testing.T) {
	dir := copyFixture(t, 4)
	a, err := OpenReadOnly(dir)
	if err != nil {
		t.Skipf("no read-only open here: %v", err)
	}
	defer a.Close()
	if got, err := a.Selections(context.Background()); err != nil || len(got) != 0 {
		t.Errorf("got %v %v, want none", got, err)
	}
}

// FuzzImportSelections imports the fixture's export with selections.json
// replaced by the fuzzer's bytes and the manifest rewritten to match:
// whatever is accepted holds only well-formed selections of the exported
// interviews.
func FuzzImportSelections(f *testing.F) {
	base, _ := fuzzExport(f)
	f.Add([]byte(`[{"id":"fav","title":"Favoritos","created":"2026-01-01T00:00:00Z","updated":"2026-01-01T00:00:00Z","items":[{"interview":"viajes","start_ms":0,"end_ms":10,"note":"¡sí!"}]}]`))
	f.Add([]byte(`[{"id":"fav","title":"x","created":"a","updated":"b","items":[{"interview":"nadie","start_ms":0,"end_ms":10}]}]`))
	f.Add([]byte(`[{"id":"Fav Mal","title":"x","created":"a","updated":"b","items":[]}]`))
	f.Add([]byte(`[{"id":"a","title":"x","created":"a","updated":"b","items":[{"interview":"viajes","start_ms":5,"end_ms":-1}]}]`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := filepath.Join(t.TempDir(), "export")
		if err := os.CopyFS(dir, os.DirFS(base)); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "selections.json"), data, 0o644)
		reseal(t, dir)
		a, err := importBounded(t, dir, 48<<20+uint64(256*len(data)))
		if err != nil {
			return
		}
		checkImported(t, a)
		sels, err := a.Selections(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sels {
			if err := checkSelection(&s); err != nil {
				t.Errorf("imported a malformed selection: %v", err)
			}
			for _, it := range s.Items {
				if _, err := a.Interview(context.Background(), it.Interview, false); err != nil {
					t.Errorf("imported a moment of %q: %v", it.Interview, err)
				}
			}
		}
	})
}
