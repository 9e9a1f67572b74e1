package index

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// TestOpenSearchAdd fills an index without an archive on both backends
// (the benchmark's way: OpenOpenSearch, Add, Search with a nil catalogue)
// and holds them to the same totals, hit sets and facets.
func TestOpenSearchAdd(t *testing.T) {
	c := osTestConfig(t)
	ctx := context.Background()
	a := conformanceArchive(t, archive.Config{})
	ivs, err := a.Interviews(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var segs []Segment
	for _, sum := range ivs {
		iv, err := a.Interview(ctx, sum.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range iv.Tracks {
			for _, s := range tr.Segments {
				segs = append(segs, Segment{ID: docID(tr.ID, s.Seq), Interview: iv.ID, Lang: tr.Lang, StartMS: s.StartMS, EndMS: s.EndMS, Speaker: s.Speaker, Text: s.Text})
			}
		}
	}
	bl, err := Open(filepath.Join(t.TempDir(), "ix"))
	if err != nil {
		t.Fatal(err)
	}
	defer bl.Close()
	ox, err := OpenOpenSearch(ctx, c.Index)
	if err != nil {
		t.Fatal(err)
	}
	defer ox.Close()
	for i := 0; i < len(segs); i += 250 {
		part := segs[i:min(i+250, len(segs))]
		if err := bl.Add(part); err != nil {
			t.Fatal(err)
		}
		if err := ox.Add(part); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{"autobus", "abuela", `"puerta azul"`, "licuadroa", "queso OR leche", "year:1968", "abuelo casa puerta asul", "lic*", "-el"} {
		for _, opt := range []Options{{Limit: MaxHits, Facets: true}, {Limit: MaxHits, Lang: "en"}, {Limit: MaxHits, ByTime: true}, {Limit: 50, Group: true}} {
			w, err1 := bl.Search(ctx, nil, q, opt)
			g, err2 := ox.Search(ctx, nil, q, opt)
			if err1 != nil || err2 != nil {
				t.Fatalf("%s: %v, %v", q, err1, err2)
			}
			if w.Total != g.Total || w.Interviews != g.Interviews || !reflect.DeepEqual(w.Facets, g.Facets) || !opt.Group && !sameSet(ids(w), ids(g)) {
				t.Errorf("%s %+v: bleve %d hits in %d interviews, OpenSearch %d in %d (facets equal %v)", q, opt, w.Total, w.Interviews, g.Total, g.Interviews, reflect.DeepEqual(w.Facets, g.Facets))
			}
		}
	}
	if err := RemoveOpenSearch(ctx, c.Index); err != nil {
		t.Fatal(err)
	}
	if _, err := ox.Counts(); err == nil {
		t.Error("the index is still there after RemoveOpenSearch")
	}
}

// ids are the documents of a result's hits, flat or grouped.
func ids(r *Results) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.id)
	}
	for _, g := range r.Groups {
		for _, h := range g.Hits {
			out = append(out, h.id)
		}
	}
	return out
}
