package qc

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

func TestFix(t *testing.T) {
	tests := []struct {
		name    string
		profile string
		fps     float64
		cues    []subtitles.Cue
		want    []subtitles.Cue
		fixes   []string
	}{
		{"close a 12-frame gap", "netflix-en", 25,
			[]subtitles.Cue{cue(0, 2000, "One."), cue(2480, 4000, "Two.")},
			[]subtitles.Cue{cue(0, 2400, "One."), cue(2480, 4000, "Two.")}, []string{"1 close-gap"}},
		{"keep a 13-frame gap", "netflix-en", 25,
			[]subtitles.Cue{cue(0, 2000, "One."), cue(2520, 4000, "Two.")},
			[]subtitles.Cue{cue(0, 2000, "One."), cue(2520, 4000, "Two.")}, nil},
		{"close no further than max duration", "netflix-en", 25,
			[]subtitles.Cue{cue(0, 6900, "One."), cue(7200, 9000, "Two.")},
			[]subtitles.Cue{cue(0, 6900, "One."), cue(7200, 9000, "Two.")}, nil},
		{"overlap ends the earlier cue", "netflix-en", 25,
			[]subtitles.Cue{cue(0, 2000, "One."), cue(1900, 4000, "Two.")},
			[]subtitles.Cue{cue(0, 1820, "One."), cue(1900, 4000, "Two.")}, []string{"1 overlap"}},
		{"overlap starts the later cue", "netflix-en", 25,
			[]subtitles.Cue{cue(0, 1000, "One."), cue(500, 4000, "Two.")},
			[]subtitles.Cue{cue(0, 1000, "One."), cue(1080, 4000, "Two.")}, []string{"2 overlap"}},
		{"overlap left when neither fits", "netflix-en", 25,
			[]subtitles.Cue{cue(0, 1000, "One."), cue(500, 1200, "Two.")},
			[]subtitles.Cue{cue(0, 1000, "One."), cue(500, 1334, "Two.")}, []string{"2 min-duration"}},
		{"no gap opened", "netflix-en", 25,
			[]subtitles.Cue{cue(0, 2000, "One."), cue(2000, 4000, "Two.")},
			[]subtitles.Cue{cue(0, 1920, "One."), cue(2000, 4000, "Two.")}, []string{"1 gap"}},
		{"extend short cue", "netflix-en", 25,
			[]subtitles.Cue{cue(0, 500, "Yes."), cue(3000, 4000, "Two.")},
			[]subtitles.Cue{cue(0, 834, "Yes."), cue(3000, 4000, "Two.")}, []string{"1 min-duration"}},
		{"extend only into free time", "netflix-en", 25,
			[]subtitles.Cue{cue(0, 500, "Yes."), cue(700, 4000, "Two.")},
			[]subtitles.Cue{cue(0, 620, "Yes."), cue(700, 4000, "Two.")}, []string{"1 min-duration"}},
		{"extend for cps", "netflix-en", 25,
			[]subtitles.Cue{cue(0, 1000, "Forty characters in one second, too fast")},
			[]subtitles.Cue{cue(0, 2000, "Forty characters in one second, too fast")}, []string{"1 cps"}},
		{"extend for wpm", "bbc", 25,
			[]subtitles.Cue{cue(0, 1000, "One two three four five six.")},
			[]subtitles.Cue{cue(0, 2000, "One two three four five six.")}, []string{"1 wpm"}},
		{"bad timing left alone", "netflix-en", 25,
			[]subtitles.Cue{cue(1000, 1000, "One.")},
			[]subtitles.Cue{cue(1000, 1000, "One.")}, nil},
		{"split a long line", "netflix-en", 25,
			[]subtitles.Cue{cue(0, 5000, "I drove the bus from El Paso to Chihuahua, twice a week.")},
			[]subtitles.Cue{cue(0, 5000, "I drove the bus from El Paso\nto Chihuahua, twice a week.")}, []string{"1 line-break"}},
		// Lines within the limits keep the translator's breaks, balanced or not.
		{"unbalanced lines left alone", "netflix-es-419", 25,
			[]subtitles.Cue{cue(0, 5000, "Empecé en 1968, cuando tú ni soñabas con\nnacer.")},
			[]subtitles.Cue{cue(0, 5000, "Empecé en 1968, cuando tú ni soñabas con\nnacer.")}, nil},
		{"a phrasal verb's break left alone", "netflix-en", 25,
			[]subtitles.Cue{cue(0, 5000, "He said you couldn't bring in\nunpasteurized milk.")},
			[]subtitles.Cue{cue(0, 5000, "He said you couldn't bring in\nunpasteurized milk.")}, nil},
		{"two balanced lines left alone", "netflix-en", 25,
			[]subtitles.Cue{cue(0, 5000, "He said you couldn't\nbring in unpasteurized milk.")},
			[]subtitles.Cue{cue(0, 5000, "He said you couldn't\nbring in unpasteurized milk.")}, nil},
		// An article is never parted from its noun.
		{"article at a line's end (es)", "netflix-es-419", 25,
			[]subtitles.Cue{cue(0, 5000, "Entonces nos fuimos todos a Durango, a la\nsierra.")},
			[]subtitles.Cue{cue(0, 5000, "Entonces nos fuimos todos a Durango,\na la sierra.")}, []string{"1 line-break"}},
		{"article at a line's end (en)", "netflix-en", 25,
			[]subtitles.Cue{cue(0, 5000, "We took the bus to the border with all the\nchildren.")},
			[]subtitles.Cue{cue(0, 5000, "We took the bus to the border\nwith all the children.")}, []string{"1 line-break"}},
		// A line too long is broken after punctuation, or before a
		// conjunction or preposition, never after an article.
		{"break after punctuation", "netflix-es-419", 25,
			[]subtitles.Cue{cue(0, 5000, "Cuando llegamos a la frontera, no teníamos ni un centavo.")},
			[]subtitles.Cue{cue(0, 5000, "Cuando llegamos a la frontera,\nno teníamos ni un centavo.")}, []string{"1 line-break"}},
		{"break before a conjunction", "netflix-es-419", 25,
			[]subtitles.Cue{cue(0, 5000, "Nunca quiso dejar la casa donde había nacido su madre.")},
			[]subtitles.Cue{cue(0, 5000, "Nunca quiso dejar la casa\ndonde había nacido su madre.")}, []string{"1 line-break"}},
		{"break before a preposition", "netflix-en", 25,
			[]subtitles.Cue{cue(0, 5000, "My grandmother sold tamales at the station in Juárez.")},
			[]subtitles.Cue{cue(0, 5000, "My grandmother sold tamales\nat the station in Juárez.")}, []string{"1 line-break"}},
		{"no break after an article", "netflix-es-419", 25,
			[]subtitles.Cue{cue(0, 5000, "Todos los veranos cruzábamos el puente en la vieja troca.")},
			[]subtitles.Cue{cue(0, 5000, "Todos los veranos cruzábamos\nel puente en la vieja troca.")}, []string{"1 line-break"}},
		{"no negation parted from its verb", "netflix-en", 25,
			[]subtitles.Cue{cue(0, 5000, "My mother said that we couldn't ever go back there.")},
			[]subtitles.Cue{cue(0, 5000, "My mother said\nthat we couldn't ever go back there.")}, []string{"1 line-break"}},
		{"three lines to one", "netflix-en", 25,
			[]subtitles.Cue{cue(0, 5000, "One.\nTwo.\nThree.")},
			[]subtitles.Cue{cue(0, 5000, "One. Two. Three.")}, []string{"1 line-break"}},
		{"dialogue left alone", "netflix-en", 25,
			[]subtitles.Cue{cue(0, 5000, "-Did you drive the bus all the way to the border?\n-Yes.")},
			[]subtitles.Cue{cue(0, 5000, "-Did you drive the bus all the way to the border?\n-Yes.")}, nil},
		{"unsplittable word left alone", "netflix-en", 25,
			[]subtitles.Cue{cue(0, 5000, strings.Repeat("x", 50))},
			[]subtitles.Cue{cue(0, 5000, strings.Repeat("x", 50))}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := must(t, tt.profile)
			opt := Options{FPS: tt.fps}
			got, changes := Fix(tt.cues, p, opt)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			var fixes []string
			for _, c := range changes {
				fixes = append(fixes, fmt.Sprintf("%d %s", c.Cue, c.Fix))
			}
			if !slices.Equal(fixes, tt.fixes) {
				t.Errorf("got changes %q, want %q (%v)", fixes, tt.fixes, changes)
			}
			if again, ch := Fix(got, p, opt); len(ch) > 0 || !slices.Equal(again, got) {
				t.Errorf("not idempotent: second run %v", ch)
			}
		})
	}
}

// FuzzFix feeds Fix cues made from arbitrary text and times: it never
// panics, keeps every word in order, never puts a line over the limit that
// was within it, and is idempotent.
func FuzzFix(f *testing.F) {
	f.Add("Empecé en 1968, cuando tú ni soñabas con\nnacer.", int64(0), int64(400), int64(380), uint8(1))
	f.Add("-¿Vienes?\n-Sí.", int64(1000), int64(1000), int64(900), uint8(0))
	f.Add("One.\nTwo.\nThree.\nFour.", int64(5), int64(9000), int64(9100), uint8(6))
	f.Add(strings.Repeat("palabra ", 20), int64(0), int64(100), int64(-50), uint8(3))
	f.Fuzz(func(t *testing.T, text string, start, length, next int64, pi uint8) {
		if !utf8.ValidString(text) {
			return
		}
		ps := Profiles()
		p := ps[int(pi)%len(ps)]
		s := ms(int(start % 1e7))
		cues := []subtitles.Cue{
			{Start: s, End: s + ms(int(length%20000)), Text: text},
			{Start: s + ms(int(next%20000)), End: s + ms(int(next%20000)) + ms(1500), Text: text + " otra"},
			{Start: s + ms(30000), End: s + ms(31000), Text: "fin"},
		}
		fixed, _ := Fix(cues, p, Options{})
		if allWords(fixed) != allWords(cues) {
			t.Fatalf("words changed: %q → %q", allWords(cues), allWords(fixed))
		}
		if _, again := Fix(fixed, p, Options{}); len(again) > 0 {
			t.Fatalf("not idempotent: %v", again)
		}
		for i := range fixed {
			if fixed[i].Text == cues[i].Text {
				continue
			}
			ls := lines(fixed[i].Text)
			for _, l := range ls[:len(ls)-1] {
				if endsWithArticle(l) {
					t.Fatalf("a line re-broken after an article: %q", fixed[i].Text)
				}
			}
		}
	})
}
