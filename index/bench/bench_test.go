package bench

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
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
