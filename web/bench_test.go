package web

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
	"github.com/recuerdo-archive/recuerdo/samples"
)

// BenchmarkServe measures the web page under load: concurrent clients
// asking for search pages, the JSON API and interview pages of a synthetic
// archive, for a fixed time. It reports requests/s and latency
// percentiles. Size and load come from the environment:
//
//	RECUERDO_WEB_BENCH_SEGMENTS  segments in the archive (default 4000)
//	RECUERDO_WEB_BENCH_DIR       keep the archive there, to reuse it (and serve it to wrk)
//	RECUERDO_WEB_BENCH_CLIENTS   concurrent clients (default 16)
//	RECUERDO_WEB_BENCH_SECONDS   how long to load it (default 3)
//	RECUERDO_WEB_BENCH_NOCACHE   1 renders every page anew (Options.NoCache)
//
// go test -run '^$' -bench Serve -benchtime 1x ./web/
func BenchmarkServe(b *testing.B) {
	segments := envInt("RECUERDO_WEB_BENCH_SEGMENTS", 4000)
	clients := envInt("RECUERDO_WEB_BENCH_CLIENTS", 16)
	seconds := envInt("RECUERDO_WEB_BENCH_SECONDS", 3)
	dir := os.Getenv("RECUERDO_WEB_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	start := time.Now()
	a, live, ids, err := benchArchive(dir, segments)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	defer live.Close()
	b.Logf("archive of %d segments in %d interviews ready in %s", segments, len(ids), time.Since(start).Round(time.Millisecond))
	ts := httptest.NewServer(New(a, live, Options{Audience: archive.Family, NoCache: os.Getenv("RECUERDO_WEB_BENCH_NOCACHE") == "1"}))
	defer ts.Close()
	paths := benchPaths(ids)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n, lat, byPath := load(b, ts.URL, paths, clients, time.Duration(seconds)*time.Second)
		for _, p := range paths {
			b.Logf("%-40s %5d requests  p50 %6.1f ms  p99 %6.1f ms", p, len(byPath[p]), ms(percentile(byPath[p], 0.5)), ms(percentile(byPath[p], 0.99)))
		}
		b.ReportMetric(float64(n)/float64(seconds), "req/s")
		b.ReportMetric(ms(percentile(lat, 0.50)), "p50-ms")
		b.ReportMetric(ms(percentile(lat, 0.99)), "p99-ms")
	}
}

// benchPaths is the mix of requests: searches (accents, a typo, a phrase,
// a prefix, both languages, a filter), the API, and interview pages.
func benchPaths(ids []string) []string {
	out := []string{
		"/?q=abuela", "/?q=autobus", "/?q=licuadora", "/?q=blender", "/?q=%22puerta+azul%22",
		"/?q=constru*", "/?q=abeula", "/?q=mole+year:1990..2029", "/?q=bus&p=2",
		"/api/search?q=abuela", "/api/search?q=casa&flat=1&limit=20", "/api/search?q=grandmother",
	}
	for i := 0; i < 4 && i < len(ids); i++ {
		k := i * len(ids) / 4
		if k%4 == 3 && k+1 < len(ids) {
			k++ // every fourth is for staff only: the family would get 404
		}
		out = append(out, "/i/"+ids[k])
	}
	return out
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// load runs clients that ask for paths in turn until d has passed, and
// returns how many requests succeeded and their latencies, all and by path.
func load(b *testing.B, base string, paths []string, clients int, d time.Duration) (int, []time.Duration, map[string][]time.Duration) {
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	var mu sync.Mutex
	var lat []time.Duration
	byPath := map[string][]time.Duration{}
	var wg sync.WaitGroup
	stop := time.Now().Add(d)
	for k := 0; k < clients; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			var mine []time.Duration
			for i := k; time.Now().Before(stop); i++ {
				t0 := time.Now()
				resp, err := c.Get(base + paths[i%len(paths)])
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Errorf("GET %s: %s", paths[i%len(paths)], resp.Status)
					return
				}
				mine = append(mine, time.Since(t0))
				mu.Lock()
				byPath[paths[i%len(paths)]] = append(byPath[paths[i%len(paths)]], mine[len(mine)-1])
				mu.Unlock()
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}(k)
	}
	wg.Wait()
	return len(lat), lat, byPath
}

func percentile(lat []time.Duration, p float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return lat[int(p*float64(len(lat)-1))]
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// benchArchive builds (or reopens) an archive of about n segments in dir:
// interviews of 1,000 segments, half Spanish and half their English
// subtitles at the same times, the lines recombined from the samples'.
func benchArchive(dir string, n int) (*archive.Archive, *index.Live, []string, error) {
	ctx := context.Background()
	archDir := filepath.Join(dir, "archive")
	perIV := min(1000, n)
	count := max(1, n/perIV)
	var ids []string
	for i := 0; i < count; i++ {
		ids = append(ids, fmt.Sprintf("bench-%04d", i))
	}
	a, err := archive.OpenOrCreate(archDir)
	if err != nil {
		return nil, nil, nil, err
	}
	have, err := a.Interviews(ctx)
	if err != nil {
		a.Close()
		return nil, nil, nil, err
	}
	if len(have) != count {
		es, en, err := sampleLines()
		if err != nil {
			a.Close()
			return nil, nil, nil, err
		}
		r := rand.New(rand.NewSource(1))
		for i, id := range ids {
			src := filepath.Join(dir, "src", id)
			if err := writeBenchInterview(src, id, i, perIV/2, es, en, r); err != nil {
				a.Close()
				return nil, nil, nil, err
			}
			s, err := archive.LoadFolder(src)
			if err == nil {
				_, err = a.Ingest(ctx, s)
			}
			if err != nil {
				a.Close()
				return nil, nil, nil, err
			}
		}
	}
	live, err := index.Serve(ctx, a, index.ServeOptions{})
	if err != nil {
		a.Close()
		return nil, nil, nil, err
	}
	return a, live, ids, nil
}

func writeBenchInterview(dir, id string, i, cues int, es, en []string, r *rand.Rand) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	places := []string{"Durango", "Torreón", "El Paso", "Chihuahua", "Tepehuanes"}
	narrators := []string{"Ramón Herrera Soto", "Socorro Villa", "Lupe Soto", "Beto Herrera"}
	yaml := fmt.Sprintf("id: %s\ntitle: \"Entrevista %d\"\ntitle_en: \"Interview %d\"\nnarrators: [%q]\ndate: %d-06-01\nplace: %q\ncollection: \"Banco de pruebas\"\nlanguage: es\naccess: %s\ntracks:\n  - file: es.srt\n    lang: es\n  - file: en.srt\n    lang: en\n",
		id, i, i, narrators[i%len(narrators)], 1950+i%70, places[i%len(places)], []string{"public", "family", "family", "staff"}[i%4])
	if err := os.WriteFile(filepath.Join(dir, "interview.yaml"), []byte(yaml), 0o644); err != nil {
		return err
	}
	var bes, ben strings.Builder
	for k := 0; k < cues; k++ {
		j := r.Intn(len(es))
		t0 := time.Duration(k) * 3 * time.Second
		stamp := srtTime(t0) + " --> " + srtTime(t0+2500*time.Millisecond)
		fmt.Fprintf(&bes, "%d\n%s\n%s\n\n", k+1, stamp, es[j])
		fmt.Fprintf(&ben, "%d\n%s\n%s\n\n", k+1, stamp, en[j%len(en)])
	}
	if err := os.WriteFile(filepath.Join(dir, "es.srt"), []byte(bes.String()), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "en.srt"), []byte(ben.String()), 0o644)
}

func srtTime(d time.Duration) string {
	ms := d.Milliseconds()
	return fmt.Sprintf("%02d:%02d:%02d,%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}

// sampleLines are the text lines of the samples' Spanish and English files.
func sampleLines() (es, en []string, err error) {
	err = fs.WalkDir(samples.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		base := filepath.Base(p)
		if !strings.HasPrefix(base, "es.") && !strings.HasPrefix(base, "en.") || strings.HasSuffix(base, ".tsv") {
			return nil
		}
		b, err := fs.ReadFile(samples.FS, p)
		if err != nil {
			return err
		}
		for _, l := range strings.Split(string(b), "\n") {
			l = strings.TrimSpace(l)
			if l == "" || l == "WEBVTT" || strings.Contains(l, "-->") {
				continue
			}
			if _, err := strconv.Atoi(l); err == nil {
				continue
			}
			if strings.HasPrefix(l, "<v ") {
				if i := strings.Index(l, ">"); i > 0 {
					l = l[i+1:]
				}
			}
			if strings.HasPrefix(base, "es.") {
				es = append(es, l)
			} else {
				en = append(en, l)
			}
		}
		return nil
	})
	return es, en, err
}
