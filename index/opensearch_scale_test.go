package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// TestOpenSearchScale builds an archive of RECUERDO_TEST_OPENSEARCH_SCALE
// copies of the samples (570 segments each) into bleve and OpenSearch,
// times the builds, a rebuild and searches of several kinds on both, and
// holds the two to the same totals. Off unless the variable is set:
//
//	RECUERDO_TEST_OPENSEARCH=http://127.0.0.1:9250 RECUERDO_TEST_OPENSEARCH_SCALE=40 go test ./index -run OpenSearchScale -v
func TestOpenSearchScale(t *testing.T) {
	copies, _ := strconv.Atoi(os.Getenv("RECUERDO_TEST_OPENSEARCH_SCALE"))
	if copies <= 0 {
		t.Skip("RECUERDO_TEST_OPENSEARCH_SCALE is not set (copies of the samples to index)")
	}
	c := osTestConfig(t)
	ctx := context.Background()
	a, err := archive.Create(filepath.Join(t.TempDir(), "arch"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	dirs, _ := filepath.Glob("../samples/*/interview.yaml")
	for i := 0; i < copies; i++ {
		for _, y := range dirs {
			src, err := archive.LoadFolder(filepath.Dir(y))
			if err != nil {
				t.Fatal(err)
			}
			src.Interview.ID = fmt.Sprintf("%s-%03d", src.Interview.ID, i)
			if _, err := a.Ingest(ctx, src); err != nil {
				t.Fatal(err)
			}
		}
	}
	t0 := time.Now()
	bl := syncedIndex(t, a)
	tb := time.Since(t0)
	if err := archive.WriteConfig(a.Dir(), c); err != nil {
		t.Fatal(err)
	}
	t0 = time.Now()
	ox, err := OpenArchive(ctx, a, OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	to := time.Since(t0)
	n, _ := ox.Counts()
	docs := 0
	for _, v := range n {
		docs += v
	}
	t0 = time.Now()
	if _, err := Rebuild(ctx, a, OpenOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d interviews, %d segments: built by bleve in %v, by OpenSearch in %v (%.0f segments/s), rebuilt by OpenSearch in %v",
		len(n), docs, tb.Round(time.Millisecond), to.Round(time.Millisecond), float64(docs)/to.Seconds(), time.Since(t0).Round(time.Millisecond))
	var db, do []time.Duration
	for _, q := range []string{"autobus", "abuela", `"puerta azul"`, "licuadroa", "queso OR leche", "year:1968", "abuelo casa puerta asul", "tu", "grandmother blender"} {
		for _, opt := range []Options{{Audience: archive.Staff, Facets: true}, {Audience: archive.Public, Group: true}, {Audience: archive.Staff, ByTime: true}} {
			for k := 0; k < 3; k++ {
				t1 := time.Now()
				w, err1 := bl.Search(ctx, a, q, opt)
				t2 := time.Now()
				g, err2 := ox.Search(ctx, a, q, opt)
				t3 := time.Now()
				if err1 != nil || err2 != nil {
					t.Fatalf("%s: %v, %v", q, err1, err2)
				}
				if w.Total != g.Total || w.Interviews != g.Interviews {
					t.Errorf("%s %+v: bleve %d hits in %d interviews, OpenSearch %d in %d", q, opt, w.Total, w.Interviews, g.Total, g.Interviews)
				}
				db, do = append(db, t2.Sub(t1)), append(do, t3.Sub(t2))
			}
		}
	}
	t.Logf("%d searches (flat with facets, grouped, by time): bleve p50 %v p99 %v, OpenSearch p50 %v p99 %v", len(db), pct(db, 50), pct(db, 99), pct(do, 50), pct(do, 99))
}
