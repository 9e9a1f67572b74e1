package align_test

import (
	"fmt"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
	"github.com/recuerdo-archive/recuerdo/subtitles/align"
)

func ExampleTime() {
	s := func(a, b float64, text string) subtitles.Cue {
		return subtitles.Cue{Start: time.Duration(a * float64(time.Second)), End: time.Duration(b * float64(time.Second)), Text: text}
	}
	spanish := []subtitles.Cue{
		s(1, 4, "Cada mes tomaba el autobús a El Paso."),
		s(4.2, 6, "Llevaba quesos."),
		s(6.1, 8, "Y traía ropa."),
	}
	english := []subtitles.Cue{
		s(1, 2.5, "Every month"),
		s(2.6, 4, "I took the bus to El Paso."),
		s(4.2, 8, "I took cheese and brought back clothes."),
	}
	for _, p := range align.Time(spanish, english, align.Options{}).Pairs {
		fmt.Println(p.Src, p.Tgt)
	}
	// Output:
	// [0] [0 1]
	// [1 2] [2]
}

func ExampleTextWith() {
	s := func(a, b float64, text string) subtitles.Cue {
		return subtitles.Cue{Start: time.Duration(a * float64(time.Second)), End: time.Duration(b * float64(time.Second)), Text: text}
	}
	spanish := []subtitles.Cue{
		s(1, 4, "Mi abuela vendía tamales en el mercado de San Juan."),
		s(4.5, 5, "Mmm."),
		s(5.5, 9, "¿Y sabe cuánto cobraba? Diez centavos cada uno."),
		s(9.5, 13, "Con eso mandó a mis tíos a la escuela en Guadalajara."),
	}
	english := []string{
		"My grandmother sold tamales at the San Juan market.",
		"And do you know how much she charged? Ten cents each.",
		"[Translator's note: about one US cent at the time.]",
		"With that she sent my uncles to school in Guadalajara.",
	}
	for _, p := range align.TextWith(spanish, english, align.Options{}).Pairs {
		fmt.Println(p.Src, p.Tgt)
	}
	// Output:
	// [0] [0]
	// [1] []
	// [2] [1]
	// [] [2]
	// [3] [3]
}
