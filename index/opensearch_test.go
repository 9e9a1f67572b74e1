package index

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// The OpenSearch backend's tests need a real node: RECUERDO_TEST_OPENSEARCH
// names it (http://127.0.0.1:9250; deploy/opensearch-node/run starts one).
// Each test uses its own random index prefix and deletes its indices.

// osTestConfig is an archive configuration naming the test node under a
// fresh prefix, whose indices are removed when the test ends.
func osTestConfig(t testing.TB) archive.Config {
	t.Helper()
	u := os.Getenv("RECUERDO_TEST_OPENSEARCH")
	if u == "" {
		t.Skip("RECUERDO_TEST_OPENSEARCH is not set (e.g. http://127.0.0.1:9250, started with deploy/opensearch-node/run): OpenSearch backend not tested")
	}
	host := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(u, "http://"), "https://"), "/")
	c := archive.Config{Index: fmt.Sprintf("opensearch://%s/rtest-%08x", host, rand.Uint32())}
	ix, err := dialOpenSearch(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := ix.remove(context.Background()); err != nil {
			t.Errorf("remove test indices: %v", err)
		}
	})
	return c
}

// conformanceArchive is the samples, the Spanish-only graded interview
// and setup's short interview, with a seal on one sample and another for
// family only, the lexicon learned and the graded glossary entries added.
func conformanceArchive(t testing.TB, c archive.Config) *archive.Archive {
	t.Helper()
	ctx := context.Background()
	a, err := archive.Create(filepath.Join(t.TempDir(), "arch"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	dirs, _ := filepath.Glob("../samples/*/interview.yaml")
	dirs = append(dirs, "testdata/graded/tia-chela/interview.yaml")
	for _, y := range dirs {
		src, err := archive.LoadFolder(filepath.Dir(y))
		if err != nil {
			t.Fatal(err)
		}
		switch src.Interview.ID {
		case "casa-puerta-azul":
			src.Interview.Sealed = append(src.Interview.Sealed, archive.Seal{StartMS: 60_000, EndMS: 150_000, Until: "2999-01-01", Level: archive.Staff},
				archive.Seal{StartMS: 200_000, EndMS: 260_000, Until: "2999-01-01", Level: archive.Family})
		case "cocina-y-trabajo":
			src.Interview.Access = archive.Family
		}
		if _, err := a.Ingest(ctx, src); err != nil {
			t.Fatal(err)
		}
	}
	src := &archive.Source{
		Interview: archive.Interview{ID: "viajes", Title: "Los viajes", Language: "es", Date: "2019-03-14", Place: "Durango",
			Narrators: []string{"Ramón Herrera"}, Interviewers: []string{}, Media: []archive.Media{},
			Sealed: []archive.Seal{{StartMS: 59000, EndMS: 65000, Until: "2999-01-01", Level: archive.Staff}}, Access: archive.Family},
		HasMeta: true,
		Files: []archive.File{
			{Name: "es.srt", Lang: "es", Data: []byte(esSRT)},
			{Name: "en.srt", Lang: "en", Data: []byte(enSRT)},
		},
	}
	if _, err := a.Ingest(ctx, src); err != nil {
		t.Fatal(err)
	}
	if _, err := a.LearnLexicon(ctx); err != nil {
		t.Fatal(err)
	}
	cases, _ := readGraded(t.(*testing.T), "testdata/graded/cases.txt")
	for _, gc := range cases {
		if gc.glossary != nil {
			if err := a.SetGlossary(ctx, *gc.glossary); err != nil {
				t.Fatal(err)
			}
		}
	}
	if c.Index != "" {
		if err := archive.WriteConfig(a.Dir(), c); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

// TestOpenSearchAnalysis compares the cluster's analysers with bleve's
// over every line of the conformance archive: the same terms at each
// word, in every field's analyser.
func TestOpenSearchAnalysis(t *testing.T) {
	c := osTestConfig(t)
	ctx := context.Background()
	ix, err := dialOpenSearch(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.create(ctx, 1, true); err != nil {
		t.Fatal(err)
	}
	a := conformanceArchive(t, archive.Config{})
	ivs, err := a.Interviews(ctx)
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]bool{}
	for _, sum := range ivs {
		iv, err := a.Interview(ctx, sum.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range iv.Tracks {
			for _, s := range tr.Segments {
				texts[s.Text] = true
			}
		}
	}
	// Words bleve's tables and the stemmers treat apart, whatever the samples hold.
	for _, w := range []string{"Tías abuelitas señores SEÑORAS niños", "luces veces voces dulces lápices", "vendía comí trabajábamos cosiendo",
		"children went buses boxes churches wives people's bitten", "él más está ésta", "Über naïve façade café"} {
		texts[w] = true
	}
	// Letters of other languages, which asciifolding folds otherwise
	// than Fold (ß → ss, æ → ae; Greek and Cyrillic accents kept).
	texts["Straße Ærøskøbing Łódź œuvre Μέγαρο Йошкар-Ола Ðorđe ﬁne"] = true
	var list []string
	for s := range texts {
		list = append(list, s)
	}
	sort.Strings(list)
	analyzers := []string{analyzerES, analyzerEN, analyzerExact, analyzerOther}
	type diff struct{ analyzer, text, bleve, os string }
	var (
		mu    sync.Mutex
		diffs []diff
		wg    sync.WaitGroup
	)
	next := make(chan string)
	start := time.Now()
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for text := range next {
				for _, name := range analyzers {
					osName := name
					if name == analyzerOther {
						osName = osOther
					}
					got, err := osAnalyze(ctx, ix, osName, text)
					if err != nil {
						t.Error(err)
						return
					}
					want := bleveTerms(ix, name, text)
					if !reflect.DeepEqual(got, want) {
						mu.Lock()
						diffs = append(diffs, diff{name, text, fmt.Sprint(want), fmt.Sprint(got)})
						mu.Unlock()
					}
				}
			}
		}()
	}
	for _, s := range list {
		next <- s
	}
	close(next)
	wg.Wait()
	t.Logf("compared %d texts × %d analysers in %v", len(list), len(analyzers), time.Since(start).Round(time.Millisecond))
	sort.Slice(diffs, func(i, j int) bool { return diffs[i].analyzer+diffs[i].text < diffs[j].analyzer+diffs[j].text })
	for _, d := range diffs {
		t.Errorf("%s %q:\n  bleve      %s\n  opensearch %s", d.analyzer, d.text, d.bleve, d.os)
	}
}

// bleveTerms is what bleve's analyser makes of text: the set of terms at
// each word, words in order.
func bleveTerms(ix *osIndex, name, text string) [][]string {
	a := ix.m.AnalyzerNamed(name)
	byPos := map[int]map[string]bool{}
	for _, tok := range a.Analyze([]byte(text)) {
		if byPos[tok.Position] == nil {
			byPos[tok.Position] = map[string]bool{}
		}
		byPos[tok.Position][string(tok.Term)] = true
	}
	return termsByPosition(byPos)
}

// osAnalyze is what the cluster's analyser makes of text, as bleveTerms.
func osAnalyze(ctx context.Context, ix *osIndex, name, text string) ([][]string, error) {
	var res struct {
		Tokens []struct {
			Token    string `json:"token"`
			Position int    `json:"position"`
		} `json:"tokens"`
	}
	if _, err := ix.do(ctx, "analyze", http.MethodPost, "/"+ix.segs+"/_analyze", map[string]any{"analyzer": name, "text": text}, &res); err != nil {
		return nil, err
	}
	byPos := map[int]map[string]bool{}
	for _, tok := range res.Tokens {
		if byPos[tok.Position] == nil {
			byPos[tok.Position] = map[string]bool{}
		}
		byPos[tok.Position][tok.Token] = true
	}
	return termsByPosition(byPos), nil
}

func termsByPosition(byPos map[int]map[string]bool) [][]string {
	pos := make([]int, 0, len(byPos))
	for p := range byPos {
		pos = append(pos, p)
	}
	sort.Ints(pos)
	out := [][]string{}
	for _, p := range pos {
		var terms []string
		for t := range byPos[p] {
			terms = append(terms, t)
		}
		sort.Strings(terms)
		out = append(out, terms)
	}
	return out
}

// osQuery is one search of the conformance suite.
type osCase struct {
	from string // where the query comes from
	q    string
	opt  Options
}

// conformanceCases are the queries of relevance.txt, graded/cases.txt and
// TestSearch, and filters and syntax beside them.
func conformanceCases(t *testing.T) []osCase {
	var out []osCase
	f, err := os.Open("testdata/relevance.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		parts := strings.Split(text, "|")
		opt := Options{Audience: archive.Staff}
		for _, o := range strings.Fields(parts[2]) {
			k, v, _ := strings.Cut(o, "=")
			switch k {
			case "lang":
				opt.Lang = v
			case "audience":
				opt.Audience, _ = archive.ParseAccess(v)
			}
		}
		out = append(out, osCase{fmt.Sprintf("relevance.txt:%d", n), strings.TrimSpace(parts[1]), opt})
	}
	cases, _ := readGraded(t, "testdata/graded/cases.txt")
	for _, c := range cases {
		out = append(out, osCase{fmt.Sprintf("graded/cases.txt:%d", c.line), c.q, Options{Audience: archive.Staff, Lang: c.lang}})
	}
	for _, q := range []string{"autobus", "autobús", "Autobuses", "bus", "buses", `"the bus"`, "month", "painting", `"puerta azul"`, `"azul puerta"`,
		`"sin agua"`, "cuando", "abeula", "autob*", "autobus -aire", "abuela OR grandmother", "1968 lang:en", "paso speaker:lucia",
		"paso recorded:1960..1970", "paso recorded:2019", "paso place:durango narrator:ramon", "paso lang:en", "paso -lang:en"} {
		out = append(out, osCase{"TestSearch", q, Options{Audience: archive.Staff}})
	}
	for _, q := range []string{"year:1968", "year:1960..1975", "decade:1980s", "1982", "1980s", "el", "-autobus", "interview:abuelo-autobus",
		"collection:\"Familia Herrera\"", "queso~", "lic*", "\"el paso\" OR licuadora", "abuela -tia", "grandmother lang:es", "tía", "tio",
		"hijos", "children", "went", "luces", "vendía", "trabajaba", "cheese*", "the", "sdfghjk", "puerta asul", "mi abuela cosía vestidos para las vecinas"} {
		out = append(out, osCase{"extra", q, Options{Audience: archive.Staff}})
	}
	return out
}

// hitKey names a hit's document.
func hitKey(h Hit) string { return fmt.Sprintf("%s/%d/%d", h.Interview, h.Track, h.Seq) }

// TestOpenSearchConformance builds the same archive into bleve and into
// OpenSearch and runs every case against both, under several audiences
// and options. Totals, hit sets, facets, groups' totals, time order and
// what each hit shows (text, translation, matches, timecodes, context)
// must agree exactly; relevance order is reported (go test -v), since the
// two rank with different BM25 implementations.
func TestOpenSearchConformance(t *testing.T) {
	runConformance(t, osTestConfig(t))
}

// TestOpenSearchConformanceShards runs the conformance suite on an index
// of three shards: counts, facets, groups and cursors gathered across
// shards, scores from statistics gathered across them.
func TestOpenSearchConformanceShards(t *testing.T) {
	c := osTestConfig(t)
	c.Index += "?shards=3"
	runConformance(t, c)
}

func runConformance(t *testing.T, c archive.Config) {
	ctx := context.Background()
	a := conformanceArchive(t, c)
	start := time.Now()
	bl := syncedIndex(t, a)
	tBleve := time.Since(start)
	start = time.Now()
	ox, err := OpenArchive(ctx, a, OpenOptions{What: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer ox.Close()
	tOS := time.Since(start)
	if ox.remote == nil {
		t.Fatal("OpenArchive opened bleve for an archive configured for OpenSearch")
	}
	counts, err := ox.Counts()
	if err != nil {
		t.Fatal(err)
	}
	docs := 0
	for _, n := range counts {
		docs += n
	}
	t.Logf("indexed %d interviews, %d segments: bleve %v, OpenSearch %v", len(counts), docs, tBleve.Round(time.Millisecond), tOS.Round(time.Millisecond))

	variants := []struct {
		name string
		set  func(*Options)
	}{
		{"staff", func(o *Options) {}},
		{"public", func(o *Options) { o.Audience = archive.Public }},
		{"family", func(o *Options) { o.Audience = archive.Family }},
		{"facets", func(o *Options) { o.Facets = true }},
		{"bytime", func(o *Options) { o.ByTime = true }},
		{"group", func(o *Options) { o.Group = true; o.PerGroup = 4; o.Facets = true }},
		{"group-bytime", func(o *Options) { o.Group = true; o.ByTime = true; o.Audience = archive.Family }},
		{"context", func(o *Options) { o.Context = 2; o.Lang = "" }},
	}
	var (
		searches                            int
		durBleve, durOS                     time.Duration
		sameTop, tiesOnly, reordered, other int
		overlap                             float64
		ranked                              int
	)
	for _, cs := range conformanceCases(t) {
		for _, v := range variants {
			opt := cs.opt
			v.set(&opt)
			opt.Limit = MaxHits
			if opt.Group {
				opt.Limit = 50
			}
			if opt.Context > 0 {
				opt.Limit = 20
			}
			name := cs.from + " " + v.name + " " + cs.q
			t0 := time.Now()
			want, werr := bl.Search(ctx, a, cs.q, opt)
			t1 := time.Now()
			got, gerr := ox.Search(ctx, a, cs.q, opt)
			t2 := time.Now()
			durBleve += t1.Sub(t0)
			durOS += t2.Sub(t1)
			searches++
			if (werr == nil) != (gerr == nil) {
				t.Errorf("%s: bleve error %v, OpenSearch error %v", name, werr, gerr)
				continue
			}
			if werr != nil {
				if werr.Error() != gerr.Error() {
					t.Errorf("%s: bleve error %q, OpenSearch error %q", name, werr, gerr)
				}
				continue
			}
			if want.Total != got.Total || want.Partial != got.Partial || want.Typos != got.Typos || want.Interviews != got.Interviews {
				t.Errorf("%s: bleve total %d partial %v typos %v interviews %d; OpenSearch total %d partial %v typos %v interviews %d",
					name, want.Total, want.Partial, want.Typos, want.Interviews, got.Total, got.Partial, got.Typos, got.Interviews)
				continue
			}
			if !reflect.DeepEqual(want.Facets, got.Facets) {
				t.Errorf("%s: facets differ:\n  bleve      %v\n  opensearch %v", name, want.Facets, got.Facets)
			}
			if opt.Group {
				compareGroupsOS(t, name, want, got, opt.ByTime)
				continue
			}
			if opt.ByTime {
				if !reflect.DeepEqual(keys(want.Hits), keys(got.Hits)) {
					t.Errorf("%s: time order differs:\n  bleve      %v\n  opensearch %v", name, keys(want.Hits), keys(got.Hits))
				}
			} else if int(want.Total) <= opt.Limit && !sameSet(keys(want.Hits), keys(got.Hits)) {
				// Every hit is on the page: the same set (a shorter page
				// holds the best, which rank apart).
				t.Errorf("%s: hit sets differ:\n  bleve      %v\n  opensearch %v", name, keys(want.Hits), keys(got.Hits))
				continue
			}
			compareHits(t, name, want.Hits, got.Hits)
			if !opt.ByTime && len(want.Hits) > 1 {
				ranked++
				s, ties, o := compareRanking(want.Hits, got.Hits, 10)
				overlap += o
				switch {
				case s:
					sameTop++
				case ties:
					tiesOnly++
				case o == 1:
					reordered++
				default:
					other++
				}
				if !s && !ties && testing.Verbose() {
					t.Logf("ranking %s: overlap@10 %.2f\n  bleve      %v\n  opensearch %v", name, o, top(want.Hits, 5), top(got.Hits, 5))
				}
			}
		}
	}
	// Pages by cursor: by relevance (positions), by time (search_after)
	// and by interview, each page after the last, ending where the full
	// list ends.
	for _, q := range []string{"abuela", "autobus OR queso", "-zzz"} {
		for _, po := range []Options{{Limit: 7}, {Limit: 7, ByTime: true}, {Limit: 2, Group: true}} {
			po.Audience = archive.Staff
			fullOpt := po
			fullOpt.Limit = MaxHits
			if po.Group {
				fullOpt.Limit = 50
			}
			for _, ix := range []*Index{bl, ox} {
				full, err := ix.Search(ctx, a, q, fullOpt)
				if err != nil {
					t.Fatal(err)
				}
				paged := []string{}
				pagedGroups := []string{}
				po.After = ""
				for pages := 0; pages < 200; pages++ {
					res, err := ix.Search(ctx, a, q, po)
					if err != nil {
						t.Fatal(err)
					}
					paged = append(paged, keys(res.Hits)...)
					for _, g := range res.Groups {
						pagedGroups = append(pagedGroups, g.Interview)
					}
					if res.Next == "" {
						break
					}
					po.After = res.Next
				}
				fullGroups := []string{}
				for _, g := range full.Groups {
					fullGroups = append(fullGroups, g.Interview)
				}
				if !reflect.DeepEqual(paged, keys(full.Hits)) || !reflect.DeepEqual(pagedGroups, fullGroups) {
					t.Errorf("%q %+v on %s: pages by cursor %v %v, the full list %v %v", q, po, backendName(ix), paged, pagedGroups, keys(full.Hits), fullGroups)
				}
			}
		}
	}
	// Time taken by a typical page: 10 hits with facets.
	var tb, to []time.Duration
	for _, cs := range conformanceCases(t) {
		opt := cs.opt
		opt.Limit, opt.Facets = 10, true
		t0 := time.Now()
		bl.Search(ctx, a, cs.q, opt)
		t1 := time.Now()
		ox.Search(ctx, a, cs.q, opt)
		tb, to = append(tb, t1.Sub(t0)), append(to, time.Since(t1))
	}
	t.Logf("a page of 10 hits with facets, %d queries: bleve p50 %v p99 %v, OpenSearch p50 %v p99 %v", len(tb), pct(tb, 50), pct(tb, 99), pct(to, 50), pct(to, 99))
	t.Logf("%d searches per backend: bleve %v (%.2f ms each), OpenSearch %v (%.2f ms each)", searches,
		durBleve.Round(time.Millisecond), ms64(durBleve)/float64(searches), durOS.Round(time.Millisecond), ms64(durOS)/float64(searches))
	t.Logf("ranking of %d ranked searches with 2+ hits, top 10: identical %d, differing only among equal bleve scores %d, same hits reordered %d, other hits in the top 10 %d; mean overlap@10 %.3f",
		ranked, sameTop, tiesOnly, reordered, other, overlap/float64(max(ranked, 1)))
}

func ms64(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func keys(hs []Hit) []string {
	out := make([]string, 0, len(hs))
	for _, h := range hs {
		out = append(out, hitKey(h))
	}
	return out
}

func top(hs []Hit, n int) []string {
	out := []string{}
	for _, h := range hs[:min(n, len(hs))] {
		out = append(out, fmt.Sprintf("%s %.3f %.40q", hitKey(h), h.Score, h.Text))
	}
	return out
}

// compareHits checks that a hit both backends return shows the same:
// everything but its score.
func compareHits(t *testing.T, name string, want, got []Hit) {
	byKey := map[string]Hit{}
	for _, h := range want {
		byKey[hitKey(h)] = h
	}
	for _, g := range got {
		w, ok := byKey[hitKey(g)]
		if !ok {
			continue
		}
		w.Score, g.Score = 0, 0
		w.id, g.id = "", ""
		if !reflect.DeepEqual(w, g) {
			wj, _ := json.Marshal(w)
			gj, _ := json.Marshal(g)
			t.Errorf("%s: hit %s differs:\n  bleve      %s\n  opensearch %s", name, hitKey(g), wj, gj)
		}
	}
}

// compareRanking compares the first n hits: the same list; a list that
// differs only where bleve scored hits equal; and the share of bleve's
// first n that OpenSearch has in its first n.
func compareRanking(want, got []Hit, n int) (same, ties bool, overlap float64) {
	w, g := keys(want[:min(n, len(want))]), keys(got[:min(n, len(got))])
	if reflect.DeepEqual(w, g) {
		return true, false, 1
	}
	score := map[string]float64{}
	for _, h := range want {
		score[hitKey(h)] = h.Score
	}
	ties = len(w) == len(g)
	for i := range g {
		if i < len(w) && score[g[i]] != score[w[i]] {
			ties = false
		}
	}
	in := map[string]bool{}
	for _, k := range g {
		in[k] = true
	}
	hit := 0
	for _, k := range w {
		if in[k] {
			hit++
		}
	}
	return false, ties, float64(hit) / float64(len(w))
}

// compareGroupsOS checks grouped results: the same interviews with the
// same totals (in time order the same order too), and each group's hits
// the same set.
func compareGroupsOS(t *testing.T, name string, want, got *Results, byTime bool) {
	summary := func(r *Results) map[string]int {
		m := map[string]int{}
		for _, g := range r.Groups {
			m[g.Interview] = g.Total
		}
		return m
	}
	if !reflect.DeepEqual(summary(want), summary(got)) {
		t.Errorf("%s: groups differ:\n  bleve      %v\n  opensearch %v", name, summary(want), summary(got))
		return
	}
	for i := range want.Groups {
		wg, gg := want.Groups[i], got.Groups[i]
		if byTime && (wg.Interview != gg.Interview || !reflect.DeepEqual(keys(wg.Hits), keys(gg.Hits))) {
			t.Errorf("%s: group %d in time order: bleve %s %v, OpenSearch %s %v", name, i, wg.Interview, keys(wg.Hits), gg.Interview, keys(gg.Hits))
		}
	}
}

func backendName(ix *Index) string {
	if ix.remote != nil {
		return "OpenSearch"
	}
	return "bleve"
}

// pct is the p-th percentile of ds.
func pct(ds []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s) == 0 {
		return 0
	}
	return s[min(len(s)-1, len(s)*p/100)].Round(10 * time.Microsecond)
}

// TestOpenSearchGraded scores testdata/graded/cases.txt on both backends,
// by nDCG@10 and precision@5 per kind of question (as TestGradedRelevance
// does for bleve), and holds OpenSearch to the same floors.
func TestOpenSearchGraded(t *testing.T) {
	c := osTestConfig(t)
	ctx := context.Background()
	a := conformanceArchive(t, c)
	bl := syncedIndex(t, a)
	ox, err := OpenArchive(ctx, a, OpenOptions{What: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer ox.Close()
	cases, floors := readGraded(t, "testdata/graded/cases.txt")
	type score struct{ ndcg, p5 float64 }
	run := func(ix *Index) map[string]score {
		sums, n := map[string]score{}, map[string]int{}
		for _, gc := range cases {
			res, err := ix.Search(ctx, a, gc.q, Options{Audience: archive.Staff, Limit: 10, Lang: gc.lang})
			if err != nil {
				t.Fatalf("cases.txt:%d: %v", gc.line, err)
			}
			used := make([]bool, len(gc.judgement))
			var gains []int
			for _, h := range res.Hits {
				g := 0
				for k, j := range gc.judgement {
					in := h.StartMS <= j.ms && j.ms < h.EndMS
					if tr := h.Translation; tr != nil && tr.StartMS <= j.ms && j.ms < tr.EndMS {
						in = true
					}
					if !used[k] && j.interview == h.Interview && in {
						used[k], g = true, j.grade
						break
					}
				}
				gains = append(gains, g)
			}
			ideal := make([]int, len(gc.judgement))
			for k, j := range gc.judgement {
				ideal[k] = j.grade
			}
			sort.Sort(sort.Reverse(sort.IntSlice(ideal)))
			s := sums[gc.kind]
			s.ndcg += dcg(gains, 10) / dcg(ideal, 10)
			for i := 0; i < 5 && i < len(gains); i++ {
				if gains[i] > 0 {
					s.p5 += 0.2
				}
			}
			sums[gc.kind] = s
			n[gc.kind]++
		}
		for k, s := range sums {
			sums[k] = score{s.ndcg / float64(n[k]), s.p5 / float64(n[k])}
		}
		return sums
	}
	wb, wo := run(bl), run(ox)
	kinds := make([]string, 0, len(wb))
	for k := range wb {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	t.Logf("%-14s %16s %16s %12s", "kind", "bleve nDCG P@5", "OpenSearch", "floor")
	for _, k := range kinds {
		t.Logf("%-14s %9.3f %6.2f %9.3f %6.2f %6.3f %5.2f", k, wb[k].ndcg, wb[k].p5, wo[k].ndcg, wo[k].p5, floors[k][0], floors[k][1])
		if f, ok := floors[k]; ok && (wo[k].ndcg < f[0]-1e-3 || wo[k].p5 < f[1]-1e-3) && wb[k].ndcg >= f[0]-1e-3 {
			t.Errorf("%s on OpenSearch: nDCG@10 %.3f, P@5 %.2f; floor %.3f, %.2f", k, wo[k].ndcg, wo[k].p5, f[0], f[1])
		}
	}
}
