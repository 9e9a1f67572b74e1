package qc

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// cue makes a cue from start and end in milliseconds.
func cue(start, end int, text string) subtitles.Cue {
	return subtitles.Cue{Start: ms(start), End: ms(end), Text: text}
}

func must(t testing.TB, name string) Profile {
	t.Helper()
	p, err := Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// found lists issues as "cue check severity".
func found(issues []Issue) []string {
	var out []string
	for _, is := range issues {
		out = append(out, fmt.Sprintf("%d %s %s", is.Cue, is.Check, is.Severity))
	}
	return out
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name    string
		profile string
		fps     float64
		cues    []subtitles.Cue
		want    []string
	}{
		{"clean", "netflix-en", 0, []subtitles.Cue{cue(0, 2000, "Hello there."), cue(3000, 5000, "How are you?")}, nil},
		{"bad timing", "netflix-en", 0, []subtitles.Cue{cue(2000, 2000, "Hi.")}, []string{"1 bad-timing error"}},
		{"empty", "netflix-en", 0, []subtitles.Cue{cue(0, 2000, " \n ")}, []string{"1 empty error"}},
		{"three lines", "netflix-en", 0, []subtitles.Cue{cue(0, 5000, "One.\nTwo.\nThree.")}, []string{"1 lines error"}},
		{"43 runes", "netflix-en", 0, []subtitles.Cue{cue(0, 5000, "Ñandúes, árboles y canciones de la sierra, sí")}, []string{"1 line-length error"}},
		{"42 runes fit", "netflix-es-419", 0, []subtitles.Cue{cue(0, 5000, "Ñandúes, árboles y canciones de la sierra.")}, nil},
		{"bbc 38 chars", "bbc", 0, []subtitles.Cue{cue(0, 5000, "She sang in the kitchen every morning.")}, []string{"1 line-length error"}},
		{"cps 20 ok", "netflix-en", 0, []subtitles.Cue{cue(0, 1000, "Twenty characters!!!")}, nil},
		{"cps 21", "netflix-en", 0, []subtitles.Cue{cue(0, 1000, "Twenty-one characters")}, []string{"1 cps error"}},
		{"cps spanish 17", "netflix-es-419", 0, []subtitles.Cue{cue(0, 1000, "Dieciocho letras ya")}, []string{"1 cps error"}},
		{"line break not counted", "netflix-en", 0, []subtitles.Cue{cue(0, 1000, "Ten chars.\nTen chars.")}, nil},
		{"wpm", "bbc", 0, []subtitles.Cue{cue(0, 1000, "One two three four.")}, []string{"1 wpm error"}},
		{"wpm 180 ok", "bbc", 0, []subtitles.Cue{cue(0, 1000, "One - two ... three")}, nil},
		{"min duration 833 ms ok", "netflix-en", 24, []subtitles.Cue{cue(0, 833, "Hi.")}, nil},
		{"min duration", "netflix-en", 0, []subtitles.Cue{cue(0, 800, "Hi.")}, []string{"1 min-duration error"}},
		{"max duration", "netflix-en", 0, []subtitles.Cue{cue(0, 7100, "Hi.")}, []string{"1 max-duration error"}},
		{"bbc has no durations", "bbc", 0, []subtitles.Cue{cue(0, 700, "Hi."), cue(700, 9000, "Bye.")}, nil},
		{"overlap", "netflix-en", 0, []subtitles.Cue{cue(0, 2000, "One."), cue(1900, 4000, "Two.")}, []string{"1 overlap error"}},
		{"out of order", "netflix-en", 0, []subtitles.Cue{cue(5000, 7000, "One."), cue(1000, 3000, "Two.")}, []string{"1 overlap error"}},
		{"no gap", "netflix-en", 0, []subtitles.Cue{cue(0, 2000, "One."), cue(2000, 4000, "Two.")}, []string{"1 gap error"}},
		{"1 frame", "netflix-en", 25, []subtitles.Cue{cue(0, 2000, "One."), cue(2040, 4000, "Two.")}, []string{"1 gap error"}},
		{"2 frames at 23.976 as written", "netflix-en", 0, []subtitles.Cue{cue(0, 2000, "One."), cue(2083, 4000, "Two.")}, nil},
		{"12 frames to close", "netflix-en", 25, []subtitles.Cue{cue(0, 2000, "One."), cue(2480, 4000, "Two.")}, []string{"1 close-gap warning"}},
		{"13 frames fine", "netflix-en", 25, []subtitles.Cue{cue(0, 2000, "One."), cue(2520, 4000, "Two.")}, nil},
		{"unbalanced", "netflix-en", 0, []subtitles.Cue{cue(0, 4000, "I drove the bus from El Paso to the\nborder.")}, []string{"1 unbalanced warning"}},
		{"break after punctuation is fine", "netflix-en", 0, []subtitles.Cue{cue(0, 4000, "Yes.\nI drove the bus from El Paso to Juárez.")}, nil},
		{"speaker dash with space", "netflix-en", 0, []subtitles.Cue{cue(0, 3000, "- Coming?\n- In a minute.")}, []string{"1 speaker-dash warning", "1 speaker-dash warning"}},
		{"speaker dash on one line", "netflix-en", 0, []subtitles.Cue{cue(0, 3000, "Coming?\n-In a minute.")}, []string{"1 speaker-dash warning"}},
		{"speaker dash right", "netflix-es-419", 0, []subtitles.Cue{cue(0, 3000, "-¿Vienes?\n-Ahorita.")}, nil},
		{"interruption is no dash", "netflix-en", 0, []subtitles.Cue{cue(0, 3000, "What are you--\n--doing?")}, nil},
		{"bbc has no dash rule", "bbc", 0, []subtitles.Cue{cue(0, 3000, "- Coming?\n- Yes.")}, nil},
		{"english has no ¿ rule", "netflix-en", 0, []subtitles.Cue{cue(0, 3000, "Qué?")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := found(Check(tt.cues, must(t, tt.profile), Options{FPS: tt.fps}))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckSpanish(t *testing.T) {
	tests := []struct {
		name string
		text []string // one cue each
		want []string
	}{
		{"paired", []string{"¿Vino? ¡Qué bueno!"}, nil},
		{"mid-sentence", []string{"Y usted, ¿de dónde es?"}, nil},
		{"across lines", []string{"¿Y usted se acuerda\nde cómo llegaron?"}, nil},
		{"across cues", []string{"¿Y usted se acuerda...", "...de cómo llegaron al pueblo?"}, nil},
		{"across cues without dots", []string{"¿Y usted se acuerda", "de cómo llegaron?"}, nil},
		{"no opening", []string{"Qué tiempos!"}, []string{"1 spanish-punctuation warning"}},
		{"two missing", []string{"Alguien?\nUn alma gemela?"}, []string{"1 spanish-punctuation warning", "1 spanish-punctuation warning"}},
		{"not closed", []string{"¿Y usted. Yo no."}, []string{"1 spanish-punctuation warning"}},
		{"not closed at cue end", []string{"¡Qué bonito.", "Sí, mucho."}, []string{"1 spanish-punctuation warning"}},
		{"abbreviation", []string{"¿Vio al Sr. González?"}, nil},
		{"mixed marks", []string{"¡¿Qué hiciste?!", "¿Qué dices!"}, nil},
		{"doubtful word", []string{"Vivíamos en Tlaquepaque (?), creo."}, nil},
		{"emphatic run", []string{"¡Ay!!"}, nil},
		{"new speaker", []string{"-¿Vienes\n-Sí."}, []string{"1 spanish-punctuation warning"}},
		{"carried too far", []string{"¿Uno", "dos", "tres", "cuatro?"}, []string{"1 spanish-punctuation warning", "4 spanish-punctuation warning"}},
	}
	p := must(t, "netflix-es-419")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cues []subtitles.Cue
			for i, s := range tt.text {
				cues = append(cues, cue(i*3000, i*3000+2500, s))
			}
			var got []string
			for _, is := range found(Check(cues, p, Options{})) {
				if is[2:] == "spanish-punctuation warning" || is[3:] == "spanish-punctuation warning" {
					got = append(got, is)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
