package archive

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// lossyReader reads as ingest does, then drops the last cue's text: a
// reader that loses words with no error, as some did.
func lossyReader(t *testing.T) {
	t.Helper()
	t.Cleanup(func() { readTrack = subtitles.Read })
	readTrack = func(name string, data []byte) (*subtitles.Track, error) {
		tr, err := subtitles.Read(name, data)
		if err == nil && strings.HasPrefix(name, "en") && len(tr.Cues) > 0 {
			tr.Cues[len(tr.Cues)-1].Text = ""
		}
		return tr, err
	}
}

func TestIngestStoresWords(t *testing.T) {
	ctx := context.Background()
	a := newArchive(t)
	if _, err := a.Ingest(ctx, testSource("viajes")); err != nil {
		t.Fatal(err)
	}
	iv, err := a.Interview(ctx, "viajes", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range iv.Tracks {
		w := tr.Words
		if w == nil || w.In == 0 || w.In != w.Out || w.Explained != 0 || w.Missing != 0 || w.Accepted {
			t.Errorf("%s: got words %+v, want all in and out", tr.Name, w)
		}
	}
	if probs, err := a.CheckWith(ctx, CheckOptions{Full: true}); err != nil || len(probs) > 0 {
		t.Errorf("check: %v %v", probs, err)
	}
}

func TestIngestRefusesLostWords(t *testing.T) {
	ctx := context.Background()
	a := newArchive(t)
	lossyReader(t)
	_, err := a.Ingest(ctx, testSource("viajes"))
	if !errors.Is(err, subtitles.ErrWordsLost) || !strings.Contains(err.Error(), `"en.srt": line 15: 10 of `) || !strings.Contains(err.Error(), "(i took cheese and brought back") {
		t.Fatalf("got %v, want the lost words of en.srt line 15", err)
	}
	if _, err := a.Interview(ctx, "viajes", false); !errors.Is(err, ErrNotFound) {
		t.Errorf("got %v, want nothing ingested", err)
	}
	if err := Validate(testSource("viajes")); !errors.Is(err, subtitles.ErrWordsLost) {
		t.Errorf("validate: got %v, want the loss", err)
	}

	// Accepted: stored with its figure, recorded in the history, and check
	// agrees as long as no more words go missing.
	src := testSource("viajes")
	src.AcceptLoss = true
	if err := Validate(src); err != nil {
		t.Errorf("validate with AcceptLoss: %v", err)
	}
	res, err := a.Ingest(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Notes) == 0 || !strings.Contains(strings.Join(res.Notes, "\n"), "en.srt: 10 of") {
		t.Errorf("got notes %q, want the accepted loss", res.Notes)
	}
	iv, _ := a.Interview(ctx, "viajes", false)
	var en *Track
	for i := range iv.Tracks {
		if iv.Tracks[i].Name == "en.srt" {
			en = &iv.Tracks[i]
		}
	}
	if en == nil || en.Words == nil || en.Words.Missing != 10 || !en.Words.Accepted || len(en.Words.Lines) != 1 || en.Words.Lines[0].Line != 15 {
		t.Fatalf("got %+v, want 10 missing words on line 15, accepted", en)
	}
	if s := en.Words.String(); !strings.Contains(s, "10 missing from line 15, accepted with --accept-loss") {
		t.Errorf("got %q", s)
	}
	hist, _ := a.History(ctx)
	last := hist[len(hist)-1]
	if last.Event != "accept-loss" || last.Interview != "viajes" || !strings.Contains(last.Detail, "en.srt: 10 of") {
		t.Errorf("got history %+v, want the accepted loss of viajes", last)
	}
	if probs, err := a.CheckWith(ctx, CheckOptions{Full: true}); err != nil || len(probs) > 0 {
		t.Errorf("check after an accepted loss: %v %v", probs, err)
	}
	// The same file again, without accepting: nothing changes, no error.
	if res, err := a.Ingest(ctx, testSource("viajes")); err != nil || res.Changed() {
		t.Errorf("re-ingest: got %+v, %v; want unchanged", res, err)
	}

}

// TestCheckWords: check counts the words of each original again against
// its segments and the figure stored at ingest. (A segment edited in the
// catalogue is a "segments" problem already: the segments are derived
// again from the original.)
func TestCheckWords(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name        string
		lossy       bool
		sql         string
		track, want string
	}{
		{"a loss nobody accepted", false, `UPDATE tracks SET words_missing = 3 WHERE name = 'es.srt'`,
			"es.srt", "3 words of its original are not in its segments, and the loss was not accepted"},
		{"figure changed", false, `UPDATE tracks SET words_in = words_in + 1 WHERE name = 'es.srt'`,
			"es.srt", "its original counts 22 words and its segments 22; at ingest 23 and 22"},
		{"more words missing than accepted", true, `UPDATE tracks SET words_missing = 4 WHERE name = 'en.srt'`,
			"en.srt", "10 of 26 words of its original are not in its segments (4 were accepted at ingest): line 15 (i took cheese and brought back)"},
		{"accepted flag lost", true, `UPDATE tracks SET loss_accepted = 0 WHERE name = 'en.srt'`,
			"en.srt", "10 of 26 words of its original are not in its segments: line 15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newArchive(t)
			src := testSource("viajes")
			if tt.lossy {
				lossyReader(t)
				src.AcceptLoss = true
			}
			if _, err := a.Ingest(ctx, src); err != nil {
				t.Fatal(err)
			}
			if probs, err := a.CheckWith(ctx, CheckOptions{Full: true}); err != nil || len(probs) > 0 {
				t.Fatalf("check before: %v %v", probs, err)
			}
			if _, err := a.db.Exec(tt.sql); err != nil {
				t.Fatal(err)
			}
			probs, err := a.CheckWith(ctx, CheckOptions{Full: true})
			if err != nil || !hasProblem(probs, "words", "viajes/"+tt.track, tt.want) {
				t.Errorf("got %v %v, want a words problem with %q", probs, err, tt.want)
			}
		})
	}
}

func hasProblem(probs []Problem, what, subject, msg string) bool {
	for _, p := range probs {
		if p.What == what && p.Subject == subject && strings.Contains(p.Msg, msg) {
			return true
		}
	}
	return false
}

// FuzzIngestWords: whatever a file holds, an ingest never stores fewer
// words out than in (less the explained) without failing, unless the
// loss is accepted.
func FuzzIngestWords(f *testing.F) {
	f.Add("en.srt", []byte(enSRT))
	f.Add("es.txt", []byte("Team sync\n00:00:01.200 --> 00:00:09.800\nAna Ruiz\nGood morning.\n\nThe budget is on track.\n"))
	f.Add("es.srt", []byte("1\n00:00:01,000 --> 00:00:02,500\n\nMy grandfather drove a bus.\n"))
	f.Add("en.vtt", []byte("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nwe left\nand drove\n\n00:00:03.000 --> 00:00:05.000\nand drove\nall day\n"))
	f.Add("es.txt", []byte("INTERVIEWEE: Ana\n\n[00:00:05] ANA: Hola.\n\nLUIS: Adiós.\n"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		src := &Source{Interview: Interview{ID: "x"}, Files: []File{{Name: name, Lang: "es", Data: data}}}
		files, err := parseFiles(src.Files)
		if err != nil {
			return
		}
		a := files[0].words
		failed := Validate(src) != nil
		if a.Counted && a.Out < a.In-a.Explained && !failed {
			t.Fatalf("%d words in (%d explained), %d out, and the ingest would not fail", a.In, a.Explained, a.Out)
		}
		if a.Unexplained > 0 && !failed {
			t.Fatalf("%d words unexplained, and the ingest would not fail", a.Unexplained)
		}
		src.AcceptLoss = true
		if err := Validate(src); err != nil {
			t.Fatalf("validate with AcceptLoss: %v", err)
		}
	})
}
