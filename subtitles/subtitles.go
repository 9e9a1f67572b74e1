package subtitles

import "time"

// Cue is one timed piece of text: a subtitle event or a transcript segment.
type Cue struct {
	Start   time.Duration // when the text appears
	End     time.Duration // when it disappears; End >= Start
	Speaker string        // who speaks, "" when unknown
	Text    string        // plain text, lines joined with "\n", markup removed
	Line    int           // 1-based line in the source file where the cue starts, 0 if unknown
}

// Duration returns how long the cue is on screen.
func (c Cue) Duration() time.Duration { return c.End - c.Start }

// Format names a subtitle or transcript file format.
type Format string

// The formats recuerdo reads.
const (
	FormatSRT    Format = "srt"
	FormatWebVTT Format = "vtt"
	FormatSSA    Format = "ssa"
	FormatTTML   Format = "ttml"
	FormatSTL    Format = "stl"
)

// Track is the parsed content of one file: its cues in file order.
type Track struct {
	Format   Format
	Encoding string // the character encoding the file was decoded from, e.g. "utf-8", "windows-1252"
	Cues     []Cue
}
