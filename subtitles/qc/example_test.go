package qc_test

import (
	"fmt"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
	"github.com/recuerdo-archive/recuerdo/subtitles/qc"
)

func ExampleCheck() {
	p, _ := qc.Lookup("netflix-es-419")
	cues := []subtitles.Cue{
		{Start: 1 * time.Second, End: 1500 * time.Millisecond, Text: "Sí."},
		{Start: 3 * time.Second, End: 5 * time.Second, Text: "Qué tiempos aquellos!"},
	}
	for _, is := range qc.Check(cues, p, qc.Options{FPS: 25}) {
		fmt.Println(is.Cue, is.Severity, is.Check+":", is.Message)
	}
	// Output:
	// 1 error min-duration: on screen 0.500 s (min 0.833 s)
	// 2 warning spanish-punctuation: ! has no opening ¡
}

func ExampleFix() {
	p, _ := qc.Lookup("netflix-en")
	cues := []subtitles.Cue{
		{Start: 0, End: 2 * time.Second, Text: "I drove the bus."},
		{Start: 2200 * time.Millisecond, End: 4 * time.Second, Text: "Thirty years."},
	}
	_, changes := qc.Fix(cues, p, qc.Options{FPS: 25})
	for _, c := range changes {
		fmt.Println(c.Cue, c.Fix+":", c.Message)
	}
	// Output:
	// 1 close-gap: end 00:00:02,000 → 00:00:02,120 (closed a 5-frame gap to 2 frames)
}
