package resegment

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
	"github.com/recuerdo-archive/recuerdo/subtitles/qc"
)

// limitsOf is a QC profile's limits at 23.976 fps, as the command takes them.
func limitsOf(t *testing.T, name string) (Limits, qc.Profile) {
	t.Helper()
	p, err := qc.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return ProfileLimits(p, 0), p
}

// qcErrors returns the error-severity issues qc.Check finds.
func qcErrors(cues []subtitles.Cue, p qc.Profile) []string {
	var out []string
	for _, is := range qc.Check(cues, p, qc.Options{}) {
		if is.Severity == qc.Error {
			out = append(out, is.Check+": cue "+strconv.Itoa(is.Cue)+": "+is.Message+": "+strings.ReplaceAll(cues[is.Cue-1].Text, "\n", " / "))
		}
	}
	return out
}

// TestQCFixtures checks the invented transcripts, cut for each profile
// of their language, with the QC checks themselves.
func TestQCFixtures(t *testing.T) {
	for _, tc := range []struct {
		file, profile string
		maxErrors     int
	}{
		{"costura.es.json", "netflix-es-419", 0},
		{"costura.es.json", "netflix-es-es", 0},
		{"costura.es.json", "netflix-es-419-children", 0},
		{"docks.en.json", "netflix-en", 0},
		{"docks.en.json", "netflix-en-children", 0},
		{"docks.en.json", "bbc", 2}, // 260 words a minute in places, against 180
		{"docks-tokens.en.json", "netflix-en", 0},
	} {
		t.Run(tc.file+"/"+tc.profile, func(t *testing.T) {
			lim, p := limitsOf(t, tc.profile)
			tr := readFile(t, filepath.Join("testdata", tc.file))
			out, err := Resegment(tr.Cues, tr.Words, lim)
			if err != nil {
				t.Fatal(err)
			}
			checkOutput(t, words(tr.Cues), out, lim)
			if errs := qcErrors(out, p); len(errs) > tc.maxErrors {
				t.Errorf("got %d QC errors, want at most %d:\n%s", len(errs), tc.maxErrors, strings.Join(errs, "\n"))
			}
		})
	}
}

// TestQCSamples resegments each sample's Spanish and times its English,
// given as plain sentences, and checks both with QC.
func TestQCSamples(t *testing.T) {
	esLim, esP := limitsOf(t, "netflix-es-419")
	enLim, enP := limitsOf(t, "netflix-en")
	for _, dir := range []string{"abuelo-autobus", "casa-puerta-azul", "cocina-y-trabajo"} {
		t.Run(dir, func(t *testing.T) {
			es, en := sampleTrack(t, dir, "es"), sampleTrack(t, dir, "en")
			before := len(qcErrors(es, esP))
			out, err := Resegment(es, nil, esLim)
			if err != nil {
				t.Fatal(err)
			}
			if errs := qcErrors(out, esP); len(errs) > 0 {
				t.Errorf("resegment: got %d QC errors (the original has %d), want 0:\n%s", len(errs), before, strings.Join(errs, "\n"))
			}
			tt, err := TranslateTiming(es, sentences(en), enLim)
			if err != nil {
				t.Fatal(err)
			}
			if errs := qcErrors(tt, enP); len(errs) > 0 {
				t.Errorf("translate timing: got %d QC errors, want 0:\n%s", len(errs), strings.Join(errs, "\n"))
			}
		})
	}
}

// TestQCShared runs both on the third-party parallel subtitles and texts
// in ../shared/testdata, where present: each subtitle file resegmented for
// its language, each Spanish file's English (as sentences) timed after it,
// and each parallel text timed after its Spanish side read at an ordinary
// pace.
func TestQCShared(t *testing.T) {
	root := filepath.Join(sharedTestdata, "parallel-subtitles")
	if _, err := os.Stat(root); err != nil {
		t.Skip("shared testdata not present")
	}
	pairs := []struct{ es, en string }{
		{"sintel-durian-srt/sintel_es.srt", "sintel-durian-srt/sintel_en.srt"},
		{"sintel-mdn-trailer-vtt/sintel-es.vtt", "sintel-mdn-trailer-vtt/sintel-en.vtt"},
		{"tor-animation/Tor_animation.es.srt", "tor-animation/Tor_animation.en.srt"},
		{"tor-animation-transifex/tor_animation.es.srt", "tor-animation-transifex/tor_animation.en_GB.srt"},
		{"tor-animation-transifex/tor_animation.es_AR.srt", "tor-animation-transifex/tor_animation.en_GB.srt"},
		{"tor-animation-transifex/tor_animation.es_MX.srt", "tor-animation-transifex/tor_animation.en_GB.srt"},
	}
	esLim, esP := limitsOf(t, "netflix-es-419")
	enLim, enP := limitsOf(t, "netflix-en")
	for _, pr := range pairs {
		t.Run(pr.es, func(t *testing.T) {
			es := readFile(t, filepath.Join(root, pr.es)).Cues
			en := readFile(t, filepath.Join(root, pr.en)).Cues
			for _, side := range []struct {
				cues []subtitles.Cue
				lim  Limits
				p    qc.Profile
			}{{es, esLim, esP}, {en, enLim, enP}} {
				out, err := Resegment(side.cues, nil, side.lim)
				if err != nil {
					t.Fatal(err)
				}
				checkOutput(t, words(side.cues), out, side.lim)
				before, after := qcErrors(side.cues, side.p), qcErrors(out, side.p)
				t.Logf("resegment %s: %d cues, %d QC errors; after: %d cues, %d QC errors", side.p.Name, len(side.cues), len(before), len(out), len(after))
				if len(after) > 0 {
					t.Errorf("resegment for %s: got %d QC errors, want 0:\n%s", side.p.Name, len(after), strings.Join(after, "\n"))
				}
			}
			tt, err := TranslateTiming(es, sentences(en), enLim)
			if err != nil {
				t.Fatal(err)
			}
			checkOutput(t, words(en), tt, enLim)
			errs := qcErrors(tt, enP)
			t.Logf("translate timing: %d sentences, %d cues, %d QC errors", len(sentences(en)), len(tt), len(errs))
			if len(errs) > 0 {
				t.Errorf("translate timing: got %d QC errors, want 0:\n%s", len(errs), strings.Join(errs, "\n"))
			}
		})
	}
}

// TestQCSharedText times the English side of the parallel texts after
// their Spanish side, read at 14 characters a second with half a second
// between sentences.
func TestQCSharedText(t *testing.T) {
	root := filepath.Join(sharedTestdata, "parallel-text")
	if _, err := os.Stat(root); err != nil {
		t.Skip("shared testdata not present")
	}
	enLim, enP := limitsOf(t, "netflix-en")
	for _, tc := range []struct {
		name   string
		es, en func() []string
	}{
		{"laser-tatoeba", lines(t, root, "laser-tatoeba/tatoeba.spa-eng.spa", 0, 1), lines(t, root, "laser-tatoeba/tatoeba.spa-eng.eng", 0, 1)},
		{"yalign-europarl", lines(t, root, "yalign-europarl/parallel-en-es.txt", 1, 2), lines(t, root, "yalign-europarl/parallel-en-es.txt", 0, 2)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es, en := tc.es(), tc.en()
			var src []subtitles.Cue
			at := time.Second
			for _, l := range es {
				d := time.Duration(float64(Chars(l))/14*1000) * time.Millisecond
				src = append(src, subtitles.Cue{Start: at, End: at + d, Text: l})
				at += d + 500*time.Millisecond
			}
			tt, err := TranslateTiming(src, en, enLim)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, l := range en {
				want = append(want, strings.Fields(l)...)
			}
			checkOutput(t, want, tt, enLim)
			errs := qcErrors(tt, enP)
			t.Logf("%d lines, %d cues, %d QC errors", len(en), len(tt), len(errs))
			if len(errs) > 0 {
				t.Errorf("got %d QC errors, want 0:\n%s", len(errs), strings.Join(errs[:min(len(errs), 20)], "\n"))
			}
		})
	}
}

// lines returns a reader of every step-th line of a file from the first'th,
// at most 300 of them.
func lines(t *testing.T, root, name string, first, step int) func() []string {
	return func() []string {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
		var out []string
		for i := first; i < len(all) && len(out) < 300; i += step {
			if strings.TrimSpace(all[i]) != "" {
				out = append(out, all[i])
			}
		}
		return out
	}
}
