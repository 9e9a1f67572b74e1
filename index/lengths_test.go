package index

import (
	"context"
	"math"
	"testing"
)

func TestCountWords(t *testing.T) {
	stops := stopSets()
	tests := []struct {
		text string
		stop map[string]bool
		want int
	}{
		{"Tu abuela quería una licuadora Osterizer.", nil, 6},
		{"Tu abuela quería una licuadora Osterizer.", stops["es"], 4}, // tu, una are stop words
		{"The bus had no air conditioning.", stops["en"], 3},          // the, had, no
		{"", nil, 0},
		{"¿Y el mole? — ¡1968!", nil, 4},
	}
	for _, tt := range tests {
		if got := countWords(tt.text, tt.stop); got != tt.want {
			t.Errorf("countWords(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

// TestAverageLengths: the index keeps each field's term counts as
// interviews come and go, and the engine reads its averages from them.
func TestAverageLengths(t *testing.T) {
	ctx := context.Background()
	a, ix := sampleArchive(t)
	avg := ix.avgLengths()
	if v := avg[fTextES]; v < 2 || v > 20 {
		t.Fatalf("average Spanish line %.2f terms, want a line's length (%v)", v, avg)
	}
	if avg[fExact] <= avg[fTextES] {
		t.Errorf("exact field %.2f terms, want more than the stemmed field without stop words (%.2f)", avg[fExact], avg[fTextES])
	}
	// Indexing an interview again counts it once.
	if err := ix.indexInterview(ctx, a, "abuelo-autobus"); err != nil {
		t.Fatal(err)
	}
	for f, v := range ix.avgLengths() {
		if math.Abs(v-avg[f]) > 1e-9 {
			t.Errorf("%s: %.4f after indexing again, was %.4f", f, v, avg[f])
		}
	}
	before := ix.lens[fTextES][1]
	if err := ix.deleteInterview("abuelo-autobus"); err != nil {
		t.Fatal(err)
	}
	if after := ix.lens[fTextES][1]; after >= before || after <= 0 {
		t.Errorf("documents counted %v after removing an interview, were %v", after, before)
	}
	// What the index keeps is read back as it was counted.
	counts := ix.lens
	ix.lenMu.Lock()
	ix.lens = nil
	ix.lenMu.Unlock()
	if got := ix.avgLengths(); math.Abs(got[fTextES]-counts.averages()[fTextES]) > 1e-9 {
		t.Errorf("read back: %.4f, want %.4f", got[fTextES], counts.averages()[fTextES])
	}
	e, err := ix.openEngine()
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	if e.AvgLen[fTextES] == 0 {
		t.Error("the engine was not given the averages")
	}
}
