package index

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// An invented interview recorded in 2019 about the 1970s and 1982, and
// one recorded in 1982 that names no year.
const molinoSRT = `1
00:00:01,000 --> 00:00:04,000
En el ochenta y dos cerraron el molino.

2
00:00:05,000 --> 00:00:08,000
Yo llegué a trabajar ahí en los setenta.

3
00:00:09,000 --> 00:00:12,000
Me pagaban dos mil pesos por semana.

4
00:00:13,000 --> 00:00:16,000
Del 76 al 79 fui el encargado del molino.
`

const feriaSRT = `1
00:00:01,000 --> 00:00:04,000
La feria de este año tuvo mucha gente.

2
00:00:05,000 --> 00:00:08,000
Vendimos todo el pan del molino.
`

func yearsArchive(t *testing.T) (*archive.Archive, *Index) {
	t.Helper()
	ctx := context.Background()
	a, err := archive.Create(filepath.Join(t.TempDir(), "arch"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	for _, iv := range []struct{ id, date, srt string }{{"molino", "2019-05-02", molinoSRT}, {"feria", "1982-08-01", feriaSRT}} {
		src := &archive.Source{
			Interview: archive.Interview{ID: iv.id, Title: iv.id, Language: "es", Date: iv.date, Place: "Durango",
				Narrators: []string{"Rosa"}, Interviewers: []string{}, Media: []archive.Media{}, Access: archive.Public},
			HasMeta: true,
			Files:   []archive.File{{Name: "es.srt", Lang: "es", Data: []byte(iv.srt)}},
		}
		if _, err := a.Ingest(ctx, src); err != nil {
			t.Fatal(err)
		}
	}
	return a, syncedIndex(t, a)
}

// TestStoryYearSearch checks that year: and decade: find the years a
// story names, however it says them, and recorded: the year the interview
// was told, through the segment engine and through bleve alike.
func TestStoryYearSearch(t *testing.T) {
	ctx := context.Background()
	a, ix := yearsArchive(t)
	tests := []struct {
		q    string
		want string // interview/seq of the hits, in order of id
	}{
		{"year:1982", "molino/1"},
		{"year:1975", "molino/2"},
		{"year:1977", "molino/2 molino/4"},
		{"year:1960..1969", ""},
		{"year:2000", ""}, // dos mil pesos is an amount
		{"decade:1970s", "molino/2 molino/4"},
		{"decade:1980", "molino/1"},
		{"recorded:2019", "molino/1 molino/2 molino/3 molino/4"},
		{"recorded:1982", "feria/1 feria/2"},
		{"recorded:1980..1989 molino", "feria/2"},
		{"molino year:1982", "molino/1"},
		{"1982", "molino/1"}, // a word that is a year finds the story's years
		{"1970s", "molino/2 molino/4"},
		{"molino -year:1982", "feria/2 molino/4"},
	}
	for _, bleveOnly := range []bool{false, true} {
		ix.bleveOnly = bleveOnly
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s/bleve=%v", tt.q, bleveOnly), func(t *testing.T) {
				res, err := ix.Search(ctx, a, tt.q, Options{Limit: 20})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, h := range res.Hits {
					got = append(got, fmt.Sprintf("%s/%d", h.Interview, h.Seq))
				}
				sort.Strings(got)
				if g := strings.Join(got, " "); g != tt.want {
					t.Errorf("%s: got %q, want %q", tt.q, g, tt.want)
				}
			})
		}
	}
	ix.bleveOnly = false
}

// TestStoryYearFacets checks the decade facet counts the decades the
// story names, and the recorded facet when the interviews were told.
func TestStoryYearFacets(t *testing.T) {
	ctx := context.Background()
	a, ix := yearsArchive(t)
	for _, bleveOnly := range []bool{false, true} {
		ix.bleveOnly = bleveOnly
		res, err := ix.Search(ctx, a, "molino", Options{Facets: true})
		if err != nil {
			t.Fatal(err)
		}
		sorted := func(fs []Facet) []Facet {
			sort.Slice(fs, func(i, j int) bool { return fs[i].Value < fs[j].Value })
			return fs
		}
		got := fmt.Sprint(sorted(res.Facets["decade"]), sorted(res.Facets["recorded"]))
		want := "[{1970s 1} {1980s 1}] [{1980s 1} {2010s 2}]"
		if got != want {
			t.Errorf("bleve=%v: decade and recorded facets %s, want %s", bleveOnly, got, want)
		}
	}
	ix.bleveOnly = false
}

// TestStoryYearQueryErrors checks the filters' values.
func TestStoryYearQueryErrors(t *testing.T) {
	for _, q := range []string{"decade:198", "decade:1985s", "decade:80s", "recorded:20x9", "recorded:2019..2010", "year:"} {
		if _, err := parse(q); err == nil {
			t.Errorf("parse(%q): no error", q)
		}
	}
	for _, q := range []string{"decade:1980s", "decade:1980", "recorded:2019", "recorded:1960..1975", "year:1982"} {
		if _, err := parse(q); err != nil {
			t.Errorf("parse(%q): %v", q, err)
		}
	}
}

// TestStoryYearEngineMatchesBleve compares the two search paths on the
// samples' story years and recording dates.
func TestStoryYearEngineMatchesBleve(t *testing.T) {
	_, ix := sampleArchive(t)
	compareEngine(t, ix, []string{"1982", "1968", "1975 autobus", "1970s", "year:1968", "year:1970..1979", "-year:1968",
		"decade:1980s", "decade:1960s autobus", "recorded:2019", "recorded:2020..2029", "year:1982 OR recorded:2021"},
		[]Options{{}, {Lang: "es"}, {Lang: "en"}, {Audience: archive.Staff}})
}

// TestStoryYearHighlights checks that a hit found by its story years
// marks the words that name them.
func TestStoryYearHighlights(t *testing.T) {
	ctx := context.Background()
	a, ix := yearsArchive(t)
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"year:1982", []string{"ochenta y dos"}},
		{"1982", []string{"ochenta y dos"}},
		{"decade:1970s", []string{"76 al 79", "los setenta"}},
		{"year:1978 molino", []string{"76 al 79", "molino"}},
		{"molino -year:1982", []string{"molino"}},
	} {
		res, err := ix.Search(ctx, a, tt.q+" interview:molino", Options{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			for _, m := range h.Matches {
				got = append(got, h.Text[m[0]:m[1]])
			}
		}
		sort.Strings(got)
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.want) {
			t.Errorf("%s: marked %q, want %q", tt.q, got, tt.want)
		}
	}
}

// TestStoryYearsOfATwin checks that a moment's years are those either
// side names: the Spanish line found by the year its English translation
// says.
func TestStoryYearsOfATwin(t *testing.T) {
	ctx := context.Background()
	a, err := archive.Create(filepath.Join(t.TempDir(), "arch"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	es := "1\n00:00:01,000 --> 00:00:04,000\nEn aquel entonces cerraron la fábrica.\n\n2\n00:00:05,000 --> 00:00:08,000\nNos fuimos a vivir con mi tía.\n"
	en := "1\n00:00:01,000 --> 00:00:04,000\nBack in '82 they closed the factory.\n\n2\n00:00:05,000 --> 00:00:08,000\nWe went to live with my aunt.\n"
	src := &archive.Source{
		Interview: archive.Interview{ID: "fabrica", Title: "La fábrica", Language: "es", Date: "2019-05-02",
			Narrators: []string{"Rosa"}, Interviewers: []string{}, Media: []archive.Media{}, Access: archive.Public},
		HasMeta: true,
		Files:   []archive.File{{Name: "es.srt", Lang: "es", Data: []byte(es)}, {Name: "en.srt", Lang: "en", Data: []byte(en)}},
	}
	if _, err := a.Ingest(ctx, src); err != nil {
		t.Fatal(err)
	}
	ix := syncedIndex(t, a)
	for _, bleveOnly := range []bool{false, true} {
		ix.bleveOnly = bleveOnly
		res, err := ix.Search(ctx, a, "year:1982", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != 1 || res.Hits[0].Lang != "es" || res.Hits[0].Seq != 1 {
			t.Fatalf("bleve=%v: year:1982 found %+v, want the Spanish line 1", bleveOnly, res.Hits)
		}
		tr := res.Hits[0].Translation
		if tr == nil || len(tr.Matches) != 1 || tr.Text[tr.Matches[0][0]:tr.Matches[0][1]] != "'82" {
			t.Errorf("bleve=%v: translation %+v, want '82 marked", bleveOnly, tr)
		}
	}
}
