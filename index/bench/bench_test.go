package bench

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/recuerdo-archive/recuerdo/index"
)

// BenchmarkBuild indexes a 20,000-segment corpus.
func BenchmarkBuild(b *testing.B) {
	dir := b.TempDir()
	if err := WriteCorpus(dir, Config{Segments: 20_000, Queries: 20}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Run(context.Background(), dir, RunOptions{IndexDir: filepath.Join(b.TempDir(), "ix")}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestCorpusIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if err := WriteCorpus(d, Config{Segments: 3000, Queries: 10, Seed: 7}); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"corpus.jsonl", "queries.jsonl"} {
		x, err1 := os.ReadFile(filepath.Join(a, f))
		y, err2 := os.ReadFile(filepath.Join(b, f))
		if err1 != nil || err2 != nil || !bytes.Equal(x, y) || len(x) == 0 {
			t.Errorf("%s differs between two runs with the same seed (%v, %v)", f, err1, err2)
		}
	}
	if err := WriteCorpus(b, Config{Segments: 3000, Queries: 10, Seed: 8}); err != nil {
		t.Fatal(err)
	}
	x, _ := os.ReadFile(filepath.Join(a, "corpus.jsonl"))
	y, _ := os.ReadFile(filepath.Join(b, "corpus.jsonl"))
	if bytes.Equal(x, y) {
		t.Error("another seed gave the same corpus")
	}
	if n := bytes.Count(x, []byte("\n")); n != 3000 {
		t.Errorf("corpus has %d lines, want 3000", n)
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	if err := WriteCorpus(dir, Config{Segments: 3000, Queries: 10}); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), dir, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Segments != 3000 || res.SizeBytes == 0 {
		t.Errorf("got %d segments, %d bytes", res.Segments, res.SizeBytes)
	}
	for _, class := range Classes {
		c, ok := res.Classes[class]
		if !ok || c.N != 10 {
			t.Errorf("%s: got %+v, want 10 queries", class, c)
			continue
		}
		// Every query is drawn from the corpus, so each finds something.
		if c.MeanHits < 1 {
			t.Errorf("%s: mean hits %v, want at least 1", class, c.MeanHits)
		}
	}
}

// BenchmarkQuery times the benchmark's queries, all classes mixed, on a
// 100,000-segment index built once (set RECUERDO_BENCH_DIR to a corpus
// folder to use another).
func BenchmarkQuery(b *testing.B) {
	ctx := context.Background()
	dir := os.Getenv("RECUERDO_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
		if err := WriteCorpus(dir, Config{Segments: 100_000, Queries: 200}); err != nil {
			b.Fatal(err)
		}
	}
	qs, err := readQueries(filepath.Join(dir, "queries.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	ixDir := filepath.Join(b.TempDir(), "ix")
	ix, err := index.Open(ixDir)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	if _, err := load(ctx, ix, filepath.Join(dir, "corpus.jsonl"), nil); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := qs[i%len(qs)]
		if _, err := ix.Search(ctx, nil, searchText(q), index.Options{Limit: 10, Lang: q.Lang}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRunOpenSearch runs the benchmark on the cluster of
// RECUERDO_TEST_OPENSEARCH (e.g. http://127.0.0.1:9280) and on bleve: the
// same corpus gives the same totals on both, and the cluster's figures
// are read.
func TestRunOpenSearch(t *testing.T) {
	u := os.Getenv("RECUERDO_TEST_OPENSEARCH")
	if u == "" {
		t.Skip("RECUERDO_TEST_OPENSEARCH is not set (e.g. http://127.0.0.1:9280, started with deploy/opensearch-node/run): benchmark on OpenSearch not tested")
	}
	host := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(u, "http://"), "https://"), "/")
	indexURL := fmt.Sprintf("opensearch://%s/rbench-%08x", host, rand.Uint32())
	t.Cleanup(func() {
		if err := index.RemoveOpenSearch(context.Background(), indexURL); err != nil {
			t.Errorf("remove test indices: %v", err)
		}
	})
	ctx := context.Background()
	dir := t.TempDir()
	if err := WriteCorpus(dir, Config{Segments: 3000, Queries: 10}); err != nil {
		t.Fatal(err)
	}
	bl, err := Run(ctx, dir, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ob, err := Run(ctx, dir, RunOptions{IndexURL: indexURL})
	if err != nil {
		t.Fatal(err)
	}
	if ob.Segments != 3000 || ob.SizeBytes == 0 || ob.Cluster == nil {
		t.Fatalf("got %d segments, %d bytes, cluster %+v; want 3000 segments in a non-empty index", ob.Segments, ob.SizeBytes, ob.Cluster)
	}
	if c := ob.Cluster; c.Docs != 3000 || c.Shards != 1 || c.Nodes < 1 || len(c.Node) != c.Nodes || c.PrimaryBytes > c.TotalBytes {
		t.Errorf("cluster %+v: want 3000 docs, 1 shard, every node, primaries within the total", c)
	}
	for _, n := range ob.Cluster.Node {
		if n.HeapMaxB <= 0 || n.BuildCPUS <= 0 || n.RSSBytes == 0 && n.MemoryNotes == "" {
			t.Errorf("node %+v: want its heap, its CPU time while building, and its RSS or why not", n)
		}
	}
	for _, class := range Classes {
		b, o := bl.Classes[class], ob.Classes[class]
		if o.N != 10 || o.MeanHits != b.MeanHits {
			t.Errorf("%s: OpenSearch %+v, bleve %+v: want 10 queries with the same totals", class, o, b)
		}
	}
}

func TestProcMemory(t *testing.T) {
	self := os.Getpid()
	tests := []struct {
		name     string
		n        nodeStat
		wantNote string
	}{
		{"remote", nodeStat{pid: self}, "node not on loopback: RSS not read"},
		{"not java", nodeStat{pid: self, local: true}, fmt.Sprintf("no Java process %d in /proc here: RSS not read", self)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rss, peak, note := procMemory(tt.n)
			if rss != 0 || peak != 0 || note != tt.wantNote {
				t.Errorf("got %d, %d, %q; want 0, 0, %q", rss, peak, note, tt.wantNote)
			}
		})
	}
}
