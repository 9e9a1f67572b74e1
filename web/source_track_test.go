package web

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
)

// TestTranscriptBesideSubtitles: an interview holding a transcript and
// subtitles in its language, the transcript ingested first, shows the
// subtitles the translation is aligned to, with the translation beside
// them (the page once took the first track in the language, the
// transcript, found no alignment and showed no translation).
func TestTranscriptBesideSubtitles(t *testing.T) {
	ctx := context.Background()
	a, err := archive.Create(filepath.Join(t.TempDir(), "arch"))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	src := &archive.Source{
		Interview: archive.Interview{ID: "dos-pistas", Title: "Dos pistas", Language: "es", Narrators: []string{"Rosa"}, Interviewers: []string{},
			Media: []archive.Media{}, Sealed: []archive.Seal{}, Access: archive.Public},
		HasMeta: true,
		Files: []archive.File{
			{Name: "transcripcion.txt", Lang: "es", Data: []byte("ROSA: Mi padre arreglaba relojes en el mercado de Gómez Palacio.\n\nENTREVISTADORA: ¿Y los domingos?\n\nROSA: Los domingos tocaba la guitarra en la plaza.\n")},
			{Name: "es.srt", Lang: "es", Data: []byte("1\n00:00:01,000 --> 00:00:04,000\nMi padre arreglaba relojes en el mercado.\n\n2\n00:00:05,000 --> 00:00:08,000\nLos domingos tocaba la guitarra.\n")},
			{Name: "en.srt", Lang: "en", Data: []byte("1\n00:00:01,000 --> 00:00:04,000\nMy father repaired watches at the market.\n\n2\n00:00:05,000 --> 00:00:08,000\nOn Sundays he played the guitar.\n")},
		},
	}
	if _, err := a.Ingest(ctx, src); err != nil {
		t.Fatal(err)
	}
	live, err := index.Serve(ctx, a, index.ServeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	srv := New(a, live, Options{Audience: archive.Public})
	w := get(t, srv, "/i/dos-pistas", "Accept-Language: en")
	wantStatus(t, w, "/i/dos-pistas", 200)
	for _, want := range []string{"Los domingos tocaba la guitarra.", "On Sundays he played the guitar."} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}
