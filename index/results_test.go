package index

import (
	"context"
	"testing"

	"github.com/recuerdo-archive/recuerdo/archive"
)

func TestGroups(t *testing.T) {
	a, ix := sampleArchive(t)
	ctx := context.Background()
	flat, err := ix.Search(ctx, a, "abuela", Options{Audience: archive.Staff, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(ctx, a, "abuela", Options{Audience: archive.Staff, Group: true, PerGroup: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Interviews != 3 || len(res.Groups) != 3 || res.Total != flat.Total {
		t.Fatalf("got %d interviews, %d groups, total %d; want 3, 3, %d", res.Interviews, len(res.Groups), res.Total, flat.Total)
	}
	perIV := map[string]int{}
	for _, h := range flat.Hits {
		perIV[h.Interview]++
	}
	// Interviews come in the order of their best hit.
	if res.Groups[0].Interview != flat.Hits[0].Interview {
		t.Errorf("first group %s, want the best hit's interview %s", res.Groups[0].Interview, flat.Hits[0].Interview)
	}
	sum := 0
	for _, g := range res.Groups {
		sum += g.Total
		if g.Total != perIV[g.Interview] {
			t.Errorf("%s: total %d, want %d", g.Interview, g.Total, perIV[g.Interview])
		}
		if len(g.Hits) != min(2, g.Total) || g.Title == "" {
			t.Errorf("%s: %d hits (title %q), want %d", g.Interview, len(g.Hits), g.Title, min(2, g.Total))
		}
		for _, h := range g.Hits {
			if h.Interview != g.Interview {
				t.Errorf("group %s holds a hit of %s", g.Interview, h.Interview)
			}
		}
	}
	if sum != int(res.Total) {
		t.Errorf("group totals add up to %d, want %d", sum, res.Total)
	}
	// Paging over interviews with the cursor.
	p1, err := ix.Search(ctx, a, "abuela", Options{Audience: archive.Staff, Group: true, Limit: 2})
	if err != nil || p1.Next == "" || len(p1.Groups) != 2 {
		t.Fatalf("page 1: %v, next %q, %d groups", err, p1.Next, len(p1.Groups))
	}
	p2, err := ix.Search(ctx, a, "abuela", Options{Audience: archive.Staff, Group: true, Limit: 2, After: p1.Next})
	if err != nil || p2.Next != "" || len(p2.Groups) != 1 || p2.Groups[0].Interview != res.Groups[2].Interview {
		t.Fatalf("page 2: %v, next %q, %+v", err, p2.Next, p2.Groups)
	}
}

func TestCursor(t *testing.T) {
	a, ix := sampleArchive(t)
	ctx := context.Background()
	for _, byTime := range []bool{false, true} {
		all, err := ix.Search(ctx, a, "abuela OR autobus OR casa", Options{Audience: archive.Staff, Limit: 200, ByTime: byTime})
		if err != nil {
			t.Fatal(err)
		}
		if len(all.Hits) < 10 || all.Next != "" {
			t.Fatalf("want a dozen hits on one page, got %d (next %q)", len(all.Hits), all.Next)
		}
		var paged []Hit
		after := ""
		for page := 0; page < 100; page++ {
			res, err := ix.Search(ctx, a, "abuela OR autobus OR casa", Options{Audience: archive.Staff, Limit: 4, ByTime: byTime, After: after})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != all.Total {
				t.Errorf("page %d: total %d, want %d", page, res.Total, all.Total)
			}
			paged = append(paged, res.Hits...)
			if res.Next == "" {
				break
			}
			after = res.Next
		}
		if len(paged) != len(all.Hits) {
			t.Fatalf("byTime=%v: paging gave %d hits, want %d", byTime, len(paged), len(all.Hits))
		}
		if !byTime {
			// Ranked pages are counted by position: scores may shift by a
			// rounding error while the index merges, so only the count is
			// certain.
			continue
		}
		for i := range paged {
			if paged[i].id != all.Hits[i].id {
				t.Errorf("byTime=%v: hit %d is %s, want %s", byTime, i, paged[i].id, all.Hits[i].id)
			}
		}
	}
	if _, err := ix.Search(ctx, a, "abuela", Options{After: "nonsense"}); err == nil {
		t.Error("a bad cursor was accepted")
	}
}

func TestFacets(t *testing.T) {
	a, ix := sampleArchive(t)
	ctx := context.Background()
	count := func(res *Results, facet, value string) int {
		for _, f := range res.Facets[facet] {
			if f.Value == value {
				return f.Count
			}
		}
		return 0
	}
	staff, err := ix.Search(ctx, a, "abuela", Options{Audience: archive.Staff, Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range FacetNames {
		if _, ok := staff.Facets[name]; !ok {
			t.Errorf("no %s facet", name)
		}
	}
	if n := count(staff, "narrator", "Socorro Villa de Herrera") + count(staff, "narrator", "Ramón Herrera Soto"); n != int(staff.Total) {
		t.Errorf("narrator facets add up to %d, want %d", n, staff.Total)
	}
	if count(staff, "recorded", "2010s") == 0 || count(staff, "recorded", "2020s") == 0 {
		t.Errorf("recorded: %+v", staff.Facets["recorded"])
	}
	if count(staff, "lang", "es") != int(staff.Total) {
		t.Errorf("lang: %+v, want every moment under es", staff.Facets["lang"])
	}
	// Facets count only what the audience may see.
	pub, err := ix.Search(ctx, a, "abuela", Options{Audience: archive.Public, Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, f := range pub.Facets["place"] {
		sum += f.Count
	}
	if sum != int(pub.Total) || pub.Total >= staff.Total {
		t.Errorf("public: place facets add up to %d, total %d (staff %d)", sum, pub.Total, staff.Total)
	}
	grouped, err := ix.Search(ctx, a, "abuela", Options{Audience: archive.Staff, Facets: true, Group: true})
	if err != nil {
		t.Fatal(err)
	}
	if count(grouped, "lang", "es") != count(staff, "lang", "es") {
		t.Errorf("grouped facets differ: %+v", grouped.Facets)
	}
}
