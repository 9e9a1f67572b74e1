package export_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles/export"
)

func ExampleWrite() {
	clips := []export.Clip{
		{
			Interview: "abuelo-autobus", Media: "abuelo_autobus.mov", FPS: 25, StartTimecode: "10:00:00:00",
			Speaker: "Don Chuy", Text: "Cada mes tomaba el autobús a El Paso.",
			Start: 12500 * time.Millisecond, End: 17240 * time.Millisecond,
		},
		{
			Interview: "abuelo-autobus", Media: "abuelo_autobus.mov", FPS: 25, StartTimecode: "10:00:00:00",
			Speaker: "Don Chuy", Text: "Llevaba quesos y traía ropa.",
			Start: 63 * time.Second, End: 66 * time.Second,
		},
	}
	err := export.Write(os.Stdout, export.FormatEDL, clips, export.Options{Handles: time.Second})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// TITLE: recuerdo selects
	// FCM: NON-DROP FRAME
	//
	// 001  ABUELO_A V     C        10:00:11:12 10:00:18:06 01:00:00:00 01:00:06:19
	// * FROM CLIP NAME: abuelo_autobus.mov
	// * COMMENT: Don Chuy: Cada mes tomaba el autobús a El Paso.
	//
	// 002  ABUELO_A V     C        10:01:02:00 10:01:07:00 01:00:06:19 01:00:11:19
	// * FROM CLIP NAME: abuelo_autobus.mov
	// * COMMENT: Don Chuy: Llevaba quesos y traía ropa.
}

func ExampleReadEDL() {
	edl, err := export.ReadEDL(strings.NewReader(`TITLE: selects
FCM: NON-DROP FRAME

001  001      V     C        01:00:12:14 01:00:12:15 01:00:12:14 01:00:12:15
 |C:ResolveColorBlue |M:Don Chuy: el autobús |D:118
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range edl.Events {
		fmt.Println(e.Number, e.SourceIn, e.Marker.Name, e.Marker.Duration)
	}
	// Output:
	// 1 01:00:12:14 Don Chuy: el autobús 118
}
