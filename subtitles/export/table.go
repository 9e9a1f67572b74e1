package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// row is one clip as CSV and JSON write it. StartMS and EndMS are the
// segment's media time without handles; the source timecodes include the
// handles, and the record timecodes place the clip on the selects timeline.
type row struct {
	Interview   string `json:"interview"`
	Title       string `json:"title"`
	Media       string `json:"media"`
	Lang        string `json:"lang"`
	Speaker     string `json:"speaker"`
	StartMS     int64  `json:"start_ms"`
	EndMS       int64  `json:"end_ms"`
	SourceIn    string `json:"source_in"`
	SourceOut   string `json:"source_out"`
	RecordIn    string `json:"record_in"`
	RecordOut   string `json:"record_out"`
	Text        string `json:"text"`
	Translation string `json:"translation"`
}

var header = []string{"interview", "title", "media", "lang", "speaker", "start_ms", "end_ms",
	"source_in", "source_out", "record_in", "record_out", "text", "translation"}

func (tl *timeline) rows() []row {
	rows := make([]row, 0, len(tl.events))
	for _, e := range tl.events {
		c := e.clip
		rows = append(rows, row{
			Interview: c.Interview, Title: c.Title, Media: c.Media, Lang: c.Lang, Speaker: c.Speaker,
			StartMS: c.Start.Milliseconds(), EndMS: c.End.Milliseconds(),
			SourceIn: e.sourceTC(e.in), SourceOut: e.sourceTC(e.out),
			RecordIn: tl.rate.timecode(tl.start + e.recIn), RecordOut: tl.rate.timecode(tl.start + e.recOut),
			Text: strings.TrimSpace(c.Text), Translation: strings.TrimSpace(c.Translation),
		})
	}
	return rows
}

func (tl *timeline) writeCSV(w *bytes.Buffer) error {
	cw := csv.NewWriter(w)
	cw.Write(header)
	for _, r := range tl.rows() {
		cw.Write([]string{r.Interview, r.Title, r.Media, r.Lang, r.Speaker,
			strconv.FormatInt(r.StartMS, 10), strconv.FormatInt(r.EndMS, 10),
			// A subtitle's line break would split the row in a spreadsheet's eye.
			r.SourceIn, r.SourceOut, r.RecordIn, r.RecordOut, oneLine(r.Text), oneLine(r.Translation)})
	}
	cw.Flush()
	return cw.Error()
}

func (tl *timeline) writeJSON(w *bytes.Buffer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(tl.rows())
}

// writeSubtitles writes each segment as a cue where it plays on the
// selects timeline, which starts at 0.
func (tl *timeline) writeSubtitles(w *bytes.Buffer, f Format) error {
	cues := make([]subtitles.Cue, 0, len(tl.events))
	for _, e := range tl.events {
		in, out := e.cue(tl)
		cues = append(cues, subtitles.Cue{
			Start:   tl.rate.duration(in),
			End:     tl.rate.duration(out),
			Speaker: oneLine(e.clip.Speaker),
			Text:    e.clip.Text,
		})
	}
	sf := subtitles.FormatSRT
	if f == FormatWebVTT {
		sf = subtitles.FormatWebVTT
	}
	return subtitles.Write(w, sf, cues)
}
