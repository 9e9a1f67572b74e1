package archive

import (
	"context"
	"testing"
)

// TestUntimedTranslationAlignedByText: a translation without times of its
// own (a transcript without timestamps, every line estimated) is aligned
// by its text, as `subs align` does, not by the times spread over it, so
// each sentence meets its twin even where the estimated times drift.
func TestUntimedTranslationAlignedByText(t *testing.T) {
	ctx := context.Background()
	a := newArchive(t)
	src := &Source{
		Interview: Interview{ID: "sin-tiempos", Title: "Sin tiempos", Language: "es", Narrators: []string{}, Interviewers: []string{},
			Media: []Media{}, Sealed: []Seal{}},
		HasMeta: true,
		Files: []File{
			// Long Spanish cues first, short ones late: estimated English
			// times spread evenly over the text would pair them wrongly.
			{Name: "es.srt", Lang: "es", Data: []byte("1\n00:00:01,000 --> 00:00:20,000\nMi abuelo llegó a Durango en el tren de la mañana con una maleta de cartón.\n\n" +
				"2\n00:00:21,000 --> 00:00:40,000\nTrabajó en la fundición muchos años sin faltar un solo día.\n\n" +
				"3\n00:05:00,000 --> 00:05:02,000\nLuego se casó.\n\n" +
				"4\n00:05:03,000 --> 00:05:05,000\nTuvo seis hijos.\n")},
			{Name: "en.txt", Lang: "en", Data: []byte("NARRATOR: My grandfather arrived in Durango on the morning train with a cardboard suitcase.\n\n" +
				"NARRATOR: He worked at the foundry for many years without missing a single day.\n\n" +
				"NARRATOR: Then he married.\n\n" +
				"NARRATOR: He had six children.\n")},
		},
	}
	if _, err := a.Ingest(ctx, src); err != nil {
		t.Fatal(err)
	}
	als, err := a.Alignments(ctx, "sin-tiempos")
	if err != nil || len(als) != 1 {
		t.Fatalf("alignments %v %v, want one", als, err)
	}
	al := als[0]
	if al.Method != "text" {
		t.Errorf("method %q, want text", al.Method)
	}
	got := map[int]int{}
	for _, p := range al.Pairs {
		for s := p.SrcFrom; s <= p.SrcTo && s > 0; s++ {
			got[s] = p.TgtFrom
		}
	}
	for s := 1; s <= 4; s++ {
		if got[s] != s {
			t.Errorf("Spanish line %d paired with English line %d, want %d (pairs %+v)", s, got[s], s, al.Pairs)
		}
	}
}
