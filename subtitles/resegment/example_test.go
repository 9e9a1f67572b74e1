package resegment_test

import (
	"fmt"
	"os"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
	"github.com/recuerdo-archive/recuerdo/subtitles/resegment"
)

func ExampleResegment() {
	speech := []subtitles.Cue{{
		Start: time.Second, End: 9 * time.Second, Speaker: "Ramón",
		Text: "Ay, mija, eso fue hace muchos años. Empecé en 1968, cuando tú ni soñabas con nacer.",
	}}
	cues, err := resegment.Resegment(speech, nil, resegment.Limits{MaxLineChars: 42, MaxLines: 2, MaxCPS: 17, MinDuration: 834 * time.Millisecond})
	if err != nil {
		fmt.Println(err)
		return
	}
	subtitles.Write(os.Stdout, subtitles.FormatSRT, cues)
	// Output:
	// 1
	// 00:00:01,000 --> 00:00:04,429
	// Ay, mija, eso fue hace muchos años.
	//
	// 2
	// 00:00:04,429 --> 00:00:08,905
	// Empecé en 1968,
	// cuando tú ni soñabas con nacer.
}

func ExampleTranslateTiming() {
	src := []subtitles.Cue{
		{Start: 1 * time.Second, End: 4 * time.Second, Text: "En 1968 tomé el autobús a El Paso por primera vez."},
		{Start: 4500 * time.Millisecond, End: 6 * time.Second, Text: "Llevaba quesos."},
		{Start: 6200 * time.Millisecond, End: 8 * time.Second, Text: "Y una cobija vieja."},
	}
	lines := []string{"In 1968 I took the bus to El Paso for the first time.", "I carried cheese and an old blanket."}
	cues, err := resegment.TranslateTiming(src, lines, resegment.Limits{MaxCPS: 20, MinGap: 84 * time.Millisecond})
	if err != nil {
		fmt.Println(err)
		return
	}
	subtitles.Write(os.Stdout, subtitles.FormatSRT, cues)
	// Output:
	// 1
	// 00:00:01,000 --> 00:00:03,944
	// In 1968 I took the bus
	// to El Paso for the first time.
	//
	// 2
	// 00:00:04,500 --> 00:00:07,905
	// I carried cheese and an old blanket.
}
