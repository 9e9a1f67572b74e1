package bench

import (
	"context"
	"path/filepath"
	"testing"
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
