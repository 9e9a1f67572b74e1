package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/recuerdo-archive/recuerdo/archive"
	eng "github.com/recuerdo-archive/recuerdo/index/internal/engine"
)

// engineQueries exercise every kind of term and filter of the query
// language.
var engineQueries = []string{
	"abuelo", "abuela", "autobus", "autobús", "AUTOBÚS", "puerta azul", "casa puerta azul",
	"abeulo", "abeulo~", "autobis~", "grandmother", "bus", "door blue", "buses",
	`"puerta azul"`, `"la puerta"`, `"the door"`, `"el paso"`, `"de la"`, `"nothing at all"`,
	"abue*", "gran*", "pa*", "trabaj*", "a*",
	"abuelo OR grandmother", "puerta OR door OR casa", "-abuelo", "casa -puerta", `azul -"la puerta"`,
	"lang:en", "lang:es casa", "lang:en bus", "speaker:ramón", `speaker:"ramón"`, "narrator:herrera",
	"place:durango", "year:1968", "year:1900..2100", "year:2019 casa", "collection:familia",
	"interview:abuelo-autobus", "interview:casa-puerta-azul puerta", "cocina", "trabajo", "frijoles",
	"el", "the", "de la casa", "casa,", "l'abuela", "¿cuándo?", "1968",
	// words of different lines: partial matches
	"abuelo frijoles guitarra", "autobus licuadora puerta cocina", `"puerta azul" frijoles tortillas -casa`, "abeulo cocnia lang:es",
}

// TestEngineMatchesBleve checks that the segment engine finds exactly
// what the same query finds through bleve: the same total and, where the
// matches are few enough to list, the same segments.
func TestEngineMatchesBleve(t *testing.T) {
	a, ix := sampleArchive(t)
	defer a.Close()
	compareEngine(t, ix, engineQueries, []Options{
		{}, {Lang: "es"}, {Lang: "en"}, {Audience: archive.Family}, {Audience: archive.Staff, Lang: "en"},
	})
}

// TestEngineSeals checks sealed stretches and access levels against bleve.
func TestEngineSeals(t *testing.T) {
	seal := []archive.Seal{{StartMS: 59000, EndMS: 65000, Until: "2999-01-01", Level: archive.Staff}}
	_, ix := setup(t, seal, archive.Family)
	now := time.Now()
	compareEngine(t, ix, []string{"paso", "azul", "grandmother", "puerta OR paso", "-azul", `"la puerta"`, "aut*"}, []Options{
		{}, {Audience: archive.Family, Now: now}, {Audience: archive.Staff, Now: now},
		{Audience: archive.Family, Now: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)},
	})
}

// TestEngineMatchesBleveOnCorpus compares the two on random unpaired
// segments in both languages, with random words, prefixes, typos and
// phrases taken from them.
func TestEngineMatchesBleveOnCorpus(t *testing.T) {
	words := map[string][]string{
		"es": strings.Fields("el la de que y en los se del las un por con no una su para es al lo como más pero sus le ya o fue este " +
			"abuelo abuela autobús camión frontera puerta azul casa cocina tortillas frijoles trabajo mamá papá años después había tenía " +
			"Durango Chihuahua Juárez pueblo río campo maíz niños escuela iglesia fiesta música guitarra"),
		"en": strings.Fields("the of and to a in that it was he for on are as with his they at be this from I have or by " +
			"grandfather grandmother bus truck border door blue house kitchen tortillas beans work mother father years after had " +
			"town river field corn children school church party music guitar"),
	}
	r := rand.New(rand.NewPCG(3, 5))
	var segs []Segment
	var texts []string
	for i := 0; i < 3000; i++ {
		lang := []string{"es", "en"}[r.IntN(2)]
		var w []string
		for n := 3 + r.IntN(12); n > 0; n-- {
			w = append(w, words[lang][r.IntN(len(words[lang]))])
		}
		text := strings.Join(w, " ") + "."
		texts = append(texts, text)
		segs = append(segs, Segment{ID: fmt.Sprintf("s%d", i), Interview: fmt.Sprintf("iv%d", i/300), Lang: lang,
			StartMS: int64(i * 1000), EndMS: int64(i*1000 + 900), Speaker: "Ana", Text: text})
	}
	// Every pair of a phrase, but not the phrase.
	for i, text := range []string{"uno dos tres", "uno dos cuatro dos tres", "dos tres uno dos", "uno, dos. Tres"} {
		segs = append(segs, Segment{ID: fmt.Sprintf("p%d", i), Interview: "ivp", Lang: "es", Text: text})
	}
	ix, err := Open(filepath.Join(t.TempDir(), "ix"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for i := 0; i < len(segs); i += 500 { // several index segments
		if err := ix.Add(segs[i:min(i+500, len(segs))]); err != nil {
			t.Fatal(err)
		}
	}
	qs := []string{`"uno dos tres"`, `"dos tres uno"`, `"uno dos"`, `"tres uno dos"`, `"dos cuatro dos tres"`}
	for i := 0; i < 40; i++ {
		w := strings.Fields(strings.TrimSuffix(texts[r.IntN(len(texts))], "."))
		k := r.IntN(len(w) - 1)
		typo := []rune(Fold(w[k]))
		if len(typo) > 3 {
			typo[1], typo[2] = typo[2], typo[1]
		}
		phrase3 := ""
		if k+2 < len(w) {
			phrase3 = `"` + strings.Join(w[k:k+3], " ") + `"`
		}
		qs = append(qs, w[k], Fold(w[k]), string(typo), string(typo)+"~", `"`+w[k]+" "+w[k+1]+`"`, phrase3,
			string([]rune(w[k])[:min(3, len([]rune(w[k])))])+"*", w[k]+" "+w[k+1], "-"+w[k])
	}
	compareEngine(t, ix, qs, []Options{{}, {Lang: "es"}, {Lang: "en"}})
}

func compareEngine(t *testing.T, ix *Index, queries []string, opts []Options) {
	t.Helper()
	// Phrases are checked in the stored text or at word positions,
	// whichever costs less: take each way.
	defer func(c uint64) { eng.StoredCost = c }(eng.StoredCost)
	for _, c := range []uint64{0, 1 << 40} {
		eng.StoredCost = c
		compareEngineOnce(t, ix, queries, opts)
	}
}

func compareEngineOnce(t *testing.T, ix *Index, queries []string, opts []Options) {
	t.Helper()
	ctx := context.Background()
	for _, opt := range opts {
		if opt.Now.IsZero() {
			opt.Now = time.Now()
		}
		for _, q := range queries {
			clauses, err := parse(q)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			for _, mode := range []matching{strict, forgiving, partial} {
				name := fmt.Sprintf("%s %+v mode %d", q, opt, mode)
				req := bleve.NewSearchRequestOptions(fullQuery(clauses, opt, mode), 10000, 0, false)
				res, err := ix.bi.SearchInContext(ctx, req)
				if err != nil {
					t.Fatalf("%s: bleve: %v", name, err)
				}
				var want []string
				for _, h := range res.Hits {
					want = append(want, h.ID)
				}
				total, got, err := engineIDs(ctx, ix, clauses, opt, mode)
				if err != nil {
					t.Fatalf("%s: engine: %v", name, err)
				}
				if total != res.Total {
					t.Errorf("%s: engine total %d, bleve %d", name, total, res.Total)
					continue
				}
				sort.Strings(want)
				sort.Strings(got)
				if strings.Join(got, " ") != strings.Join(want, " ") {
					t.Errorf("%s: engine found %v, bleve %v", name, got, want)
				}
			}
		}
	}
}

// engineIDs runs a search with the engine and returns its total and the
// ids of its matches. It checks the engine's ranking on the way: each
// hit's score is the one a plain reading of the index gives (within a
// rounding error), the hits come best first, and the best few found
// alone are the first of the full ranking (equal scores in any order).
func engineIDs(ctx context.Context, ix *Index, clauses []clause, opt Options, mode matching) (uint64, []string, error) {
	e, err := ix.openEngine()
	if err != nil {
		return 0, nil, err
	}
	defer e.close()
	p, err := e.compile(ctx, clauses, opt, mode)
	if err != nil {
		return 0, nil, err
	}
	r, err := e.run(ctx, p, wanted{keep: 10000})
	if err != nil {
		return 0, nil, err
	}
	total, hits := r.total, r.hits
	close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
	var ids []string
	for i, h := range hits {
		ref, err := e.Reference(p, h)
		if err != nil {
			return 0, nil, err
		}
		if !close(h.Score, ref) {
			return 0, nil, fmt.Errorf("hit %d: score %g, want %g", i, h.Score, ref)
		}
		if i > 0 && h.Score > hits[i-1].Score && !close(h.Score, hits[i-1].Score) {
			return 0, nil, fmt.Errorf("hit %d (score %g) ranks below hit %d (score %g)", i, h.Score, i-1, hits[i-1].Score)
		}
		id, err := e.ID(h)
		if err != nil {
			return 0, nil, err
		}
		ids = append(ids, id)
	}
	top, err := e.run(ctx, p, wanted{keep: 3})
	if err != nil {
		return 0, nil, err
	}
	if len(top.hits) != min(3, len(hits)) {
		return 0, nil, fmt.Errorf("best 3: got %d hits, want %d", len(top.hits), min(3, len(hits)))
	}
	for i, h := range top.hits {
		if !close(h.Score, hits[i].Score) {
			return 0, nil, fmt.Errorf("best 3: hit %d scores %g, the full ranking's %g", i, h.Score, hits[i].Score)
		}
	}
	return total, ids, nil
}

// TestEngineGroupsAndFacets checks grouped searches and facet counts
// against bleve's: the same interviews, with the same counts, and the
// same facets.
func TestEngineGroupsAndFacets(t *testing.T) {
	a, ix := sampleArchive(t)
	summary := func(r *Results) string {
		var groups []string
		for _, g := range r.Groups {
			groups = append(groups, fmt.Sprintf("%s:%d/%d", g.Interview, g.Total, len(g.Hits)))
		}
		sort.Strings(groups)
		var facets []string
		for _, name := range FacetNames {
			facets = append(facets, fmt.Sprintf("%s=%v", name, r.Facets[name]))
		}
		return fmt.Sprintf("total %d, %d interviews, groups %v, facets %v, hits %d", r.Total, r.Interviews, groups, facets, len(r.Hits))
	}
	for _, scan := range []int{0, 2} { // 2: most interviews' hits fall below the scan
		compareGroups(t, ix, a, scan, summary)
	}
}

func compareGroups(t *testing.T, ix *Index, a *archive.Archive, scan int, summary func(*Results) string) {
	ctx := context.Background()
	for _, q := range engineQueries {
		for _, opt := range []Options{
			{Group: true, Facets: true, Limit: 50, GroupScan: scan},
			{Group: true, PerGroup: 1, Audience: archive.Staff, Limit: 50, GroupScan: scan},
			{Facets: true, Lang: "en", Limit: 1000},
		} {
			ix.bleveOnly = false
			got, err := ix.Search(ctx, a, q, opt)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			ix.bleveOnly = true
			want, err := ix.Search(ctx, a, q, opt)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if g, w := summary(got), summary(want); g != w {
				t.Errorf("%s %+v:\nengine %s\nbleve  %s", q, opt, g, w)
			}
		}
	}
	ix.bleveOnly = false
}

// TestEngineByTime checks searches in time order against bleve's: the
// same hits in the same order, page after page, flat and grouped, with
// either way of finding the first matches in time.
func TestEngineByTime(t *testing.T) {
	a, ix := sampleArchive(t)
	ctx := context.Background()
	defer func(s, f float64) { eng.KeyStep, eng.KeyFetch = s, f }(eng.KeyStep, eng.KeyFetch)
	pages := func(q string, opt Options) []string {
		var out []string
		for page := 0; page < 50; page++ {
			r, err := ix.Search(ctx, a, q, opt)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			out = append(out, fmt.Sprintf("total %d", r.Total))
			for _, h := range r.Hits {
				out = append(out, h.id)
			}
			for _, g := range r.Groups {
				out = append(out, fmt.Sprintf("%s:%d", g.Interview, g.Total))
				for _, h := range g.Hits {
					out = append(out, h.id)
				}
			}
			if r.Next == "" {
				break
			}
			opt.After = r.Next
		}
		return out
	}
	for _, costs := range [][2]float64{{1, 0}, {0, 1}} { // stored fields always, keys always
		eng.KeyStep, eng.KeyFetch = costs[0], costs[1]
		for _, q := range engineQueries {
			for _, opt := range []Options{
				{ByTime: true, Limit: 7}, {ByTime: true, Limit: 5, Lang: "en", Audience: archive.Staff},
				{ByTime: true, Group: true, Limit: 2, PerGroup: 4}, {ByTime: true, Offset: 3, Limit: 4},
			} {
				ix.bleveOnly = false
				got := pages(q, opt)
				ix.bleveOnly = true
				want := pages(q, opt)
				ix.bleveOnly = false
				if strings.Join(got, " ") != strings.Join(want, " ") {
					t.Errorf("%s %+v costs %v:\nengine %v\nbleve  %v", q, opt, costs, got, want)
				}
			}
		}
	}
}

// TestEngineFormat checks that an index records the format the engine
// reads, and that one written with another (or before it was recorded)
// is reported stale, writable or read-only, rather than searched.
func TestEngineFormat(t *testing.T) {
	tests := []struct {
		name   string
		format []byte // nil: the entry removed
		stale  bool
	}{
		{"this format", []byte(eng.Format()), false},
		{"another format", []byte("bleve v2.5.0, zap v16"), true},
		{"unrecorded", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "ix")
			ix, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			if tt.format == nil {
				err = ix.bi.DeleteInternal([]byte(engineKey))
			} else {
				err = ix.bi.SetInternal([]byte(engineKey), tt.format)
			}
			if err != nil {
				t.Fatal(err)
			}
			ix.Close()
			for _, open := range []func(string) (*Index, error){Open, OpenReadOnly} {
				ix, err := open(dir)
				if err == nil {
					ix.Close()
				}
				if got := errors.Is(err, ErrStale); got != tt.stale {
					t.Errorf("got %v, want stale %v", err, tt.stale)
				}
			}
		})
	}
}
