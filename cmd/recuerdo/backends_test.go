package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/recuerdo-archive/recuerdo/samples"
)

// TestBackendsSession is the institution's session from the README on
// PostgreSQL (RECUERDO_TEST_POSTGRES, in a fresh schema) and OpenSearch
// (RECUERDO_TEST_OPENSEARCH, under a fresh index prefix), run with the
// real binary: machine A creates the archive and ingests the samples,
// machine B joins it and ingests a fourth interview, each finds what the
// other ingested; serve answers as search does; export from the backends
// imports into an embedded archive; reindex switches the alias; and every
// answer (totals, interviews, facets, hits in time order, audience and
// seal filtering) agrees exactly with an embedded archive of the same
// interviews.
func TestBackendsSession(t *testing.T) {
	pgBase, osBase := os.Getenv("RECUERDO_TEST_POSTGRES"), os.Getenv("RECUERDO_TEST_OPENSEARCH")
	if pgBase == "" || osBase == "" {
		t.Skip("the backends session needs both RECUERDO_TEST_POSTGRES (deploy/postgres/run url) and RECUERDO_TEST_OPENSEARCH (e.g. http://127.0.0.1:9250, deploy/opensearch-node/run): not run")
	}
	bin := recuerdoBin(t)
	osBase = strings.TrimSuffix(osBase, "/")
	if !strings.Contains(osBase, "://") {
		osBase = "http://" + osBase
	}
	osURL, err := url.Parse(osBase)
	if err != nil {
		t.Fatalf("RECUERDO_TEST_OPENSEARCH: %v", err)
	}
	prefix := fmt.Sprintf("rtest-e2e-%08x", rand.Uint32())
	t.Cleanup(func() { beDeleteIndices(t, osBase, prefix) })
	catalogue := pgSchema(t)
	indexURL := "opensearch://" + osURL.Host + "/" + prefix
	// A second archive on the backends, restored from the embedded one's export.
	restoredPrefix := prefix + "-restored"
	t.Cleanup(func() { beDeleteIndices(t, osBase, restoredPrefix) })
	restoredCatalogue := pgSchema(t)

	work := t.TempDir()
	if err := os.CopyFS(filepath.Join(work, "samples"), samples.FS); err != nil {
		t.Fatal(err)
	}
	huerta, err := filepath.Abs("testdata/backends/huerta-canatlan")
	if err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(work, "originals")
	a, b := filepath.Join(work, "a"), filepath.Join(work, "b")
	imported, embedded := filepath.Join(work, "imported"), filepath.Join(work, "embedded")
	restored := filepath.Join(work, "restored")
	rec := func(want int, arch string, args ...string) (stdout, stderr string) {
		t.Helper()
		return beRun(t, bin, work, want, arch, args...)
	}

	// Machine A creates the archive on the backends and ingests the samples.
	out, _ := rec(0, a, "init", "--catalogue", catalogue, "--index", indexURL, "--originals", shared)
	pgURL, _ := url.Parse(catalogue)
	password, _ := pgURL.User.Password()
	if !strings.Contains(out, "created archive") || !strings.Contains(out, "index:     "+indexURL) ||
		password != "" && strings.Contains(out, ":"+password+"@") {
		t.Errorf("init on A said\n%s\nwant created, the index, no password", out)
	}
	out, _ = rec(0, a, "ingest", "samples/")
	if !strings.Contains(out, "3 interview(s): 3 added or updated") {
		t.Errorf("ingest samples/ on A said\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(a, "catalogue.db")); !os.IsNotExist(err) {
		t.Errorf("A's folder holds a catalogue.db (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(a, "index")); !os.IsNotExist(err) {
		t.Errorf("A's folder holds a bleve index (%v)", err)
	}

	// Search: text with timecodes, JSON, a query in the other language,
	// audiences and a sealed stretch.
	out, _ = rec(0, a, "search", "autobus")
	for _, want := range []string{
		"7 match(es) in 1 interview(s) for autobus",
		"00:00:34.947-00:00:38.307  [01:00:34:21]  es  Ramón\n    El [autobús] de los Transportes Chihuahuenses.\n    en: The bus from Transportes Chihuahuenses.",
		"narrator:   Ramón Herrera Soto (7)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("search autobus on A: no %q in\n%s", want, out)
		}
	}
	res := beSearch(t, bin, work, a, "--json", "--flat", "--limit", "100", "autobus")
	if res.Total != 7 || len(res.Hits) != 7 {
		t.Fatalf("search --json autobus on A: total %d, %d hits, want 7", res.Total, len(res.Hits))
	}
	for _, h := range res.Hits {
		if h.Interview != "abuelo-autobus" || h.Lang != "es" || !regexp.MustCompile(`^01:\d\d:\d\d:\d\d$`).MatchString(h.TimecodeStart) ||
			h.Translation == nil || h.Translation.Lang != "en" || len(h.Matches) == 0 {
			t.Errorf("search --json autobus on A: hit %+v, want a Spanish line of abuelo-autobus with its SMPTE timecode, English twin and match", h)
		}
	}
	out, _ = rec(0, a, "search", "--facets=false", "--lang", "es", "blender")
	if !strings.Contains(out, "4 match(es) in 1 interview(s) for blender") ||
		!strings.Contains(out, "Tu abuela quería una [licuadora] Osterizer.\n    en: Your grandmother wanted an Osterizer [blender].") {
		t.Errorf("search --lang es blender (English words, Spanish speech) on A:\n%s", out)
	}
	for _, c := range []struct {
		audience, q string
		total       int64
		has, hasNot []int64 // start_ms of hits that must (not) be there
	}{
		{"public", `"puerta azul"`, 1, nil, nil},                  // casa-puerta-azul is for family only
		{"family", `"puerta azul"`, 6, nil, nil},                  // …and family sees it
		{"public", "terreno", 0, nil, nil},                        // only in casa-puerta-azul
		{"family", "terreno", 1, []int64{20709}, []int64{170411}}, // 00:02:50.411 is sealed for staff
		{"staff", "terreno", 2, []int64{20709, 170411}, nil},
		{"family", "abogado", 0, nil, nil}, // said only inside the seal
		{"staff", "abogado", 2, nil, nil},
	} {
		r := beSearch(t, bin, work, a, "--json", "--flat", "--limit", "100", "--audience", c.audience, c.q)
		starts := []int64{}
		for _, h := range r.Hits {
			starts = append(starts, h.StartMS)
		}
		if r.Total != c.total {
			t.Errorf("search --audience %s %s on A: total %d, want %d (hits at %v)", c.audience, c.q, r.Total, c.total, starts)
		}
		for _, s := range c.has {
			if !slices.Contains(starts, s) {
				t.Errorf("search --audience %s %s on A: no hit at %d ms (hits at %v)", c.audience, c.q, s, starts)
			}
		}
		for _, s := range c.hasNot {
			if slices.Contains(starts, s) {
				t.Errorf("search --audience %s %s on A: shows the sealed hit at %d ms", c.audience, c.q, s)
			}
		}
	}

	// Show, with its audiences.
	out, _ = rec(0, a, "show", "abuelo-autobus")
	if !strings.Contains(out, "abuelo-autobus — Los viajes a El Paso") || !strings.Contains(out, "track:        es subtitles es.srt, 103 segments") ||
		!strings.Contains(out, "00:00:34.947   El autobús de los Transportes") {
		t.Errorf("show abuelo-autobus on A:\n%s", out)
	}
	if out, _ := rec(0, a, "show", "casa-puerta-azul"); !strings.Contains(out, "Manuel decía que el terreno") {
		t.Errorf("show casa-puerta-azul for staff hides the sealed stretch:\n%s", out)
	}
	if out, _ := rec(0, a, "show", "--audience", "family", "casa-puerta-azul"); !strings.Contains(out, "El terreno era de mi suegro") ||
		strings.Contains(out, "Manuel decía que el terreno") {
		t.Errorf("show --audience family casa-puerta-azul, want the house without the sealed stretch:\n%s", out)
	}
	if _, e := rec(1, a, "show", "--audience", "public", "casa-puerta-azul"); !strings.Contains(e, `interview "casa-puerta-azul" is for family only`) {
		t.Errorf("show --audience public casa-puerta-azul said %q", e)
	}
	if out, _ := rec(0, a, "check"); !strings.Contains(out, "ok: 3 interview(s); catalogue, originals and index agree") {
		t.Errorf("check on A:\n%s", out)
	}

	// Machine B joins and finds what A ingested; B ingests, A finds it.
	out, _ = rec(0, b, "init", "--catalogue", catalogue, "--index", indexURL, "--originals", shared)
	if !strings.Contains(out, "joined archive") {
		t.Errorf("init on B said\n%s\nwant joined", out)
	}
	if r := beSearch(t, bin, work, b, "--json", `"puerta azul"`); r.Total != 6 || r.Interviews != 2 {
		t.Errorf(`search "puerta azul" on B: %d in %d interview(s), want 6 in 2`, r.Total, r.Interviews)
	}
	out, _ = rec(0, b, "ingest", huerta)
	if !strings.Contains(out, "huerta-canatlan: new interview; added es.srt, en.srt; 20 segments, 1 alignment(s)") {
		t.Errorf("ingest huerta-canatlan on B said\n%s", out)
	}
	out, _ = rec(0, a, "search", "--facets=false", "apples")
	if !strings.Contains(out, "4 match(es) in 1 interview(s) for apples") ||
		!strings.Contains(out, "00:00:09.300-00:00:13.100  [01:00:09:07]  es  Beto\n    En agosto cortábamos las manzanas a mano, con escalera.\n    en: In August we picked the [apples] by hand, with a ladder.") {
		t.Errorf("search apples on A after B's ingest:\n%s", out)
	}
	if r := beSearch(t, bin, work, a, "--json", "year:1997"); r.Total != 1 {
		t.Errorf("search year:1997 on A (B's 'noventa y siete'): total %d, want 1", r.Total)
	}
	for _, m := range []string{a, b} {
		if out, _ := rec(0, m, "check"); !strings.Contains(out, "ok: 4 interview(s); catalogue, originals and index agree") {
			t.Errorf("check on %s:\n%s", filepath.Base(m), out)
		}
	}

	// The embedded archive of the same interviews, to compare with.
	rec(0, embedded, "init")
	rec(0, embedded, "ingest", "samples/", huerta)

	// serve on A answers /api/search as search --json does.
	srv := exec.Command(bin, "--archive", a, "serve", "--addr", "127.0.0.1:0")
	srv.Dir = work
	srv.Env = append(os.Environ(), "NO_COLOR=1")
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var serveErr bytes.Buffer
	srv.Stderr = &serveErr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed nothing: %v; stderr: %s", err, serveErr.String())
	}
	base := regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+`).FindString(line)
	if base == "" || !strings.Contains(line, "for the public audience") {
		t.Fatalf("serve printed %q, want its address and the public audience", line)
	}
	go io.Copy(io.Discard, stdout)
	for _, q := range []string{"autobus", `"puerta azul"`, "abuela", "apples", "mole OR gorditas", "lang:en grandmother"} {
		resp, err := http.Get(base + "/api/search?q=" + url.QueryEscape(q))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET /api/search?q=%s: %s\n%s", q, resp.Status, body)
			continue
		}
		cli, _ := rec(0, a, "search", "--json", "--audience", "public", q)
		var got, want any
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("/api/search?q=%s: %v\n%s", q, err, body)
		}
		if err := json.Unmarshal([]byte(cli), &want); err != nil {
			t.Fatalf("search --json %s: %v\n%s", q, err, cli)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("/api/search?q=%s differs from search --json --audience public:\n  serve  %s\n  search %s", q, body, cli)
		}
	}
	if err := srv.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := srv.Wait(); err != nil {
		t.Errorf("serve did not stop cleanly: %v\n%s", err, serveErr.String())
	}

	// Export from the backends, import into an embedded archive.
	tarball := filepath.Join(work, "a.tar")
	out, _ = rec(0, a, "export", tarball)
	if !strings.Contains(out, "exported 4 interview(s), 8 track(s), 8 original(s)") {
		t.Errorf("export on A said\n%s", out)
	}
	rec(0, imported, "init")
	out, _ = rec(0, imported, "import", tarball)
	if !strings.Contains(out, "imported 4 interview(s), 8 track(s), 8 original(s)") {
		t.Errorf("import into the embedded archive said\n%s", out)
	}
	if out, _ := rec(0, imported, "check"); !strings.Contains(out, "ok: 4 interview(s); catalogue, originals and index agree") {
		t.Errorf("check after import:\n%s", out)
	}
	queries := [][]string{
		{"autobus"}, {`"puerta azul"`}, {"--lang", "es", "blender"}, {"--lang", "en", "manzanas"},
		{"mole OR gorditas"}, {"abuela"}, {"casa"}, {"terreno"}, {"abogado"}, {"land"},
		{"year:1982"}, {"year:1997"}, {"decade:1990s"}, {"constru*"}, {"autobus -juarez"},
		{"speaker:Ramón casa"}, {"licuadorra"}, {"interview:huerta-canatlan"},
	}
	audiences := []string{"staff", "family", "public"}
	for _, aud := range audiences {
		for _, q := range queries {
			args := append([]string{"--json", "--audience", aud}, q...)
			got, want := beSearch(t, bin, work, imported, args...), beSearch(t, bin, work, a, args...)
			if got.Total != want.Total || got.Interviews != want.Interviews {
				t.Errorf("search %v: imported embedded archive %d in %d interview(s), backends %d in %d", args, got.Total, got.Interviews, want.Total, want.Interviews)
			}
		}
	}

	// reindex on A rebuilds into new indices and switches the aliases.
	before := beAliases(t, osBase, prefix)
	if len(before) != 2 {
		t.Fatalf("aliases under %s before reindex: %v, want meta and segments", prefix, before)
	}
	out, _ = rec(0, a, "reindex")
	if !strings.Contains(out, "indexed 590 segments of 4 interview(s)") {
		t.Errorf("reindex on A said\n%s", out)
	}
	after := beAliases(t, osBase, prefix)
	if len(after) != 2 {
		t.Fatalf("aliases under %s after reindex: %v", prefix, after)
	}
	for alias, ix := range after {
		if ix == before[alias] || before[alias] == "" {
			t.Errorf("reindex: alias %s points to %s, before %q: not switched", alias, ix, before[alias])
		}
	}
	if ixs := beIndices(t, osBase, prefix); len(ixs) != 2 {
		t.Errorf("indices under %s after reindex: %v, want only the two the aliases name", prefix, ixs)
	}
	if out, _ := rec(0, b, "check"); !strings.Contains(out, "ok: 4 interview(s); catalogue, originals and index agree") {
		t.Errorf("check on B after A's reindex:\n%s", out)
	}

	// The embedded archive's export restores onto the backends too, with
	// its access and seals.
	tarball = filepath.Join(work, "embedded.tar")
	rec(0, embedded, "export", tarball)
	rec(0, restored, "init", "--catalogue", restoredCatalogue, "--index", "opensearch://"+osURL.Host+"/"+restoredPrefix,
		"--originals", filepath.Join(work, "restored-originals"))
	out, _ = rec(0, restored, "import", tarball)
	if !strings.Contains(out, "imported 4 interview(s), 8 track(s), 8 original(s)") {
		t.Errorf("import into the restored backends archive said\n%s", out)
	}
	if out, _ := rec(0, restored, "check"); !strings.Contains(out, "ok: 4 interview(s); catalogue, originals and index agree") {
		t.Errorf("check on the restored backends archive:\n%s", out)
	}
	for _, aud := range audiences {
		for _, q := range queries {
			args := append([]string{"--json", "--audience", aud}, q...)
			got, want := beSearch(t, bin, work, restored, args...), beSearch(t, bin, work, a, args...)
			if got.Total != want.Total || got.Interviews != want.Interviews {
				t.Errorf("search %v: restored backends archive %d in %d interview(s), backends %d in %d", args, got.Total, got.Interviews, want.Total, want.Interviews)
			}
		}
	}

	// The backends and the embedded archive answer the same: totals,
	// interviews and facets exactly, the same hits (shown the same, score
	// aside) and in time order the same order; relevance order is only
	// reported (BM25 over shards is not bleve's scoring: ties and near
	// ties may fall differently).
	sameOrder, ranked := 0, 0
	for _, aud := range audiences {
		for _, q := range queries {
			name := fmt.Sprintf("%s %q", aud, q)
			args := append([]string{"--json", "--audience", aud, "--limit", "50"}, q...)
			be, em := beSearch(t, bin, work, a, args...), beSearch(t, bin, work, embedded, args...)
			if be.Total != em.Total || be.Interviews != em.Interviews || be.Partial != em.Partial || be.Typos != em.Typos {
				t.Errorf("%s: backends %d in %d interview(s) (partial %v, typos %v), embedded %d in %d (partial %v, typos %v)",
					name, be.Total, be.Interviews, be.Partial, be.Typos, em.Total, em.Interviews, em.Partial, em.Typos)
			}
			if !reflect.DeepEqual(be.Facets, em.Facets) {
				t.Errorf("%s: facets differ:\n  backends %v\n  embedded %v", name, be.Facets, em.Facets)
			}
			if !reflect.DeepEqual(be.groupTotals(), em.groupTotals()) {
				t.Errorf("%s: interviews differ:\n  backends %v\n  embedded %v", name, be.groupTotals(), em.groupTotals())
			}
			args = append([]string{"--json", "--audience", aud, "--flat", "--sort", "time", "--facets=false", "--limit", "1000"}, q...)
			be, em = beSearch(t, bin, work, a, args...), beSearch(t, bin, work, embedded, args...)
			if !reflect.DeepEqual(beKeys(be.Hits), beKeys(em.Hits)) {
				t.Errorf("%s: hits in time order differ:\n  backends %v\n  embedded %v", name, beKeys(be.Hits), beKeys(em.Hits))
			} else {
				for i := range be.Hits {
					x, y := be.Hits[i], em.Hits[i]
					x.Score, y.Score = 0, 0
					if !reflect.DeepEqual(x, y) {
						t.Errorf("%s: hit %s shows differently:\n  backends %+v\n  embedded %+v", name, beKeys(be.Hits)[i], x, y)
					}
				}
			}
			if aud != "staff" || be.Total < 2 {
				continue
			}
			args = append([]string{"--json", "--flat", "--facets=false", "--limit", "1000"}, q...)
			be, em = beSearch(t, bin, work, a, args...), beSearch(t, bin, work, embedded, args...)
			ranked++
			if reflect.DeepEqual(beKeys(be.Hits), beKeys(em.Hits)) {
				sameOrder++
			} else {
				t.Logf("relevance order %s:\n  backends %v\n  embedded %v", name, beKeys(be.Hits), beKeys(em.Hits))
			}
		}
	}
	t.Logf("%d queries × %d audiences agree on totals, interviews, facets and hits; relevance order identical for %d of %d ranked staff queries",
		len(queries), len(audiences), sameOrder, ranked)
	if out, _ := rec(0, a, "--json", "check"); !strings.Contains(out, `"ok":true`) {
		t.Errorf("check --json on A at the end: %s", out)
	}
}

// beResults is search --json's answer, grouped or flat.
type beResults struct {
	Total      int64 `json:"total"`
	Interviews int   `json:"interviews"`
	Partial    bool  `json:"partial"`
	Typos      bool  `json:"typos"`
	Groups     []struct {
		Interview string `json:"interview"`
		Total     int64  `json:"total"`
	} `json:"groups"`
	Hits   []beHit `json:"hits"`
	Facets any     `json:"facets"`
}

// beHit is a hit as search --json shows it, without the track's id,
// which is the catalogue's own.
type beHit struct {
	Interview   string   `json:"interview"`
	Title       string   `json:"title"`
	Lang        string   `json:"lang"`
	Seq         int      `json:"seq"`
	StartMS     int64    `json:"start_ms"`
	EndMS       int64    `json:"end_ms"`
	Speaker     string   `json:"speaker"`
	Text        string   `json:"text"`
	Matches     [][2]int `json:"matches"`
	Score       float64  `json:"score"`
	Translation *struct {
		Lang    string `json:"lang"`
		Text    string `json:"text"`
		StartMS int64  `json:"start_ms"`
		EndMS   int64  `json:"end_ms"`
	} `json:"translation"`
	TimecodeStart string `json:"timecode_start"`
	TimecodeEnd   string `json:"timecode_end"`
}

func (r beResults) groupTotals() map[string]int64 {
	m := map[string]int64{}
	for _, g := range r.Groups {
		m[g.Interview] = g.Total
	}
	return m
}

func beKeys(hs []beHit) []string {
	out := []string{}
	for _, h := range hs {
		out = append(out, fmt.Sprintf("%s/%s/%d", h.Interview, h.Lang, h.Seq))
	}
	return out
}

// beRun runs recuerdo on the archive arch in work and fails the test
// unless it exits with want.
func beRun(t *testing.T, bin, work string, want int, arch string, args ...string) (string, string) {
	t.Helper()
	c := exec.Command(bin, append([]string{"--archive", arch}, args...)...)
	c.Dir = work
	c.Env = append(os.Environ(), "NO_COLOR=1")
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	err := c.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code != want {
		t.Fatalf("recuerdo --archive %s %s: exit %d, want %d\n%s%s", filepath.Base(arch), strings.Join(args, " "), code, want, out.String(), errb.String())
	}
	return out.String(), errb.String()
}

func beSearch(t *testing.T, bin, work, arch string, args ...string) beResults {
	t.Helper()
	out, _ := beRun(t, bin, work, 0, arch, append([]string{"search"}, args...)...)
	var r beResults
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("search %v on %s: %v\n%s", args, filepath.Base(arch), err, out)
	}
	return r
}

// beGet GETs an OpenSearch path and decodes its JSON answer into v.
func beGet(t *testing.T, base, path string, v any) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", path, resp.Status, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v\n%s", path, err, body)
	}
}

// beAliases maps each alias under prefix to the index it names.
func beAliases(t *testing.T, base, prefix string) map[string]string {
	t.Helper()
	var rows []struct{ Alias, Index string }
	beGet(t, base, "/_cat/aliases/"+prefix+"-*?format=json", &rows)
	m := map[string]string{}
	for _, r := range rows {
		m[r.Alias] = r.Index
	}
	return m
}

// beIndices lists the indices under prefix.
func beIndices(t *testing.T, base, prefix string) []string {
	t.Helper()
	var rows []struct{ Index string }
	beGet(t, base, "/_cat/indices/"+prefix+"-*?format=json&h=index", &rows)
	out := []string{}
	for _, r := range rows {
		out = append(out, r.Index)
	}
	slices.Sort(out)
	return out
}

// beDeleteIndices removes the test's indices, each by name.
func beDeleteIndices(t *testing.T, base, prefix string) {
	ixs := beIndices(t, base, prefix)
	if len(ixs) == 0 {
		return
	}
	req, err := http.NewRequest(http.MethodDelete, base+"/"+strings.Join(ixs, ","), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Errorf("delete the test's indices %v: %v", ixs, err)
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		t.Errorf("delete the test's indices %v: %s\n%s", ixs, resp.Status, body)
	}
	if left := beIndices(t, base, prefix); len(left) > 0 {
		t.Errorf("indices left under %s: %v", prefix, left)
	}
}
