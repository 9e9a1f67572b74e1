package subtitles

import "time"

// Cue is one timed piece of text: a subtitle event or a transcript segment.
type Cue struct {
	Start   time.Duration // when the text appears
	End     time.Duration // when it disappears; End >= Start
	Speaker string        // who speaks, "" when unknown
	Text    string        // plain text, lines joined with "\n", markup removed
	Line    int           // 1-based line in the source file where the cue starts, 0 if unknown
	// Estimated is set when the times were not read from the file but
	// interpolated (a transcript stretch between two timestamps, say).
	Estimated bool
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

	FormatTranscript Format = "transcript" // plain text or Markdown with speaker turns and timestamps
	FormatWhisper    Format = "whisper"    // Whisper JSON (OpenAI whisper, WhisperX, whisper.cpp)
	FormatCSV        Format = "csv"        // CSV or TSV with start, end, speaker and text columns
)

// Track is the parsed content of one file: its cues in file order.
type Track struct {
	Format   Format
	Encoding string            // the character encoding the file was decoded from, e.g. "utf-8", "windows-1252"
	Header   map[string]string // a transcript's header block (INTERVIEWEE, DATE, …), keys upper-case
	Cues     []Cue
	Chapters []Chapter // an OHMS index: titled, described stretches
	Words    [][]Word  // word timings per cue, where the file has them (Whisper); nil otherwise
	Layout   Layout    // the tool layout the content was read in (Otter.ai, Rev, YouTube …), "" for none
}

// Word is one timed word of a cue.
type Word struct {
	Start, End time.Duration
	Text       string
}

// IsTranscript reports whether the format is a transcript rather than subtitles.
func (f Format) IsTranscript() bool {
	return f == FormatTranscript || f == FormatWhisper || f == FormatCSV || f == FormatDOCX || f == FormatOHMS
}
