package archive

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// Words is a track's word accounting: the words of speech in its original,
// counted without the reader that made its segments, against the words in
// the segments (see subtitles.Account).
type Words struct {
	In        int                     `json:"in"`                      // words of speech in the original
	Out       int                     `json:"out"`                     // words in the segments
	Explained int                     `json:"explained"`               // in the original, not in the segments, for a named reason
	Missing   int                     `json:"missing"`                 // in the original, not in the segments, for no known reason
	Rules     map[string]int          `json:"rules,omitempty"`         // explained words by rule
	Lines     []subtitles.MissingLine `json:"missing_lines,omitempty"` // the lines that held the missing words (the first few; numbers only)
	Accepted  bool                    `json:"accepted,omitempty"`      // ingested anyway, with --accept-loss
}

// wordsRow is a track's word accounting as the catalogue holds it.
type wordsRow struct {
	in, out, explained, missing sql.NullInt64
	detail                      string
	accepted                    bool
}

func (r wordsRow) words() *Words {
	if !r.in.Valid {
		return nil // ingested before format 3, or a layout not counted
	}
	w := &Words{In: int(r.in.Int64), Out: int(r.out.Int64), Explained: int(r.explained.Int64), Missing: int(r.missing.Int64), Accepted: r.accepted}
	if r.detail != "" {
		var d struct {
			Rules map[string]int          `json:"rules"`
			Lines []subtitles.MissingLine `json:"missing_lines"`
		}
		if json.Unmarshal([]byte(r.detail), &d) == nil {
			w.Rules, w.Lines = d.Rules, d.Lines
		}
	}
	return w
}

// maxMissingLines is how many lines holding missing words a track keeps.
const maxMissingLines = 20

func wordsOf(a *subtitles.Accounting, accepted bool) *Words {
	if a == nil || !a.Counted {
		return nil
	}
	w := &Words{In: a.In, Out: a.Out, Explained: a.Explained, Missing: a.Unexplained, Rules: a.Rules, Accepted: accepted && a.Unexplained > 0}
	// Line numbers only: the words themselves may lie in a sealed stretch,
	// and a track's figure is shown to every audience.
	for _, m := range a.Missing[:min(len(a.Missing), maxMissingLines)] {
		w.Lines = append(w.Lines, subtitles.MissingLine{Line: m.Line})
	}
	return w
}

// String sums the figure up for people: "120 words in, 118 in the
// segments (2 explained: 2 a repeated caption line)".
func (w *Words) String() string {
	s := fmt.Sprintf("%d words in the original, %d in the segments", w.In, w.Out)
	var notes []string
	if w.Explained > 0 {
		var rs []string
		for _, k := range ruleKeys(w.Rules) {
			rs = append(rs, fmt.Sprintf("%d %s", w.Rules[k], subtitles.ExplanationRule(k)))
		}
		notes = append(notes, fmt.Sprintf("%d explained: %s", w.Explained, strings.Join(rs, ", ")))
	}
	if w.Missing > 0 {
		m := fmt.Sprintf("%d missing", w.Missing)
		if len(w.Lines) > 0 {
			var ls []string
			for _, l := range w.Lines[:min(len(w.Lines), 3)] {
				ls = append(ls, strconv.Itoa(l.Line))
			}
			if len(w.Lines) > 3 {
				ls = append(ls, "…")
			}
			m += " from line " + strings.Join(ls, ", ")
		}
		if w.Accepted {
			m += ", accepted with --accept-loss"
		}
		notes = append(notes, m)
	}
	if len(notes) > 0 {
		s += " (" + strings.Join(notes, "; ") + ")"
	}
	return s
}

func ruleKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// verifyWords counts the words of a track's original again against its
// segments as stored, and says what disagrees with the figure stored at
// ingest ("" when all agree, or when its words were not counted).
func (a *Archive) verifyWords(ctx context.Context, trackID int64, data []byte, segs []Segment) (string, error) {
	if !a.hasWords() {
		return "", nil
	}
	var r wordsRow
	err := a.db.QueryRowContext(ctx, `SELECT words_in, words_out, words_explained, words_missing, words_detail, loss_accepted FROM tracks WHERE id = ?`, trackID).
		Scan(&r.in, &r.out, &r.explained, &r.missing, &r.detail, &r.accepted)
	if err != nil {
		return "", fmt.Errorf("check words of track %d: %w", trackID, err)
	}
	w := r.words()
	if w == nil {
		return "", nil
	}
	tr := &subtitles.Track{Cues: make([]subtitles.Cue, len(segs))}
	for i, s := range segs {
		tr.Cues[i] = subtitles.Cue{Speaker: s.Speaker, Text: s.Text}
	}
	acc := subtitles.Account(data, tr)
	switch {
	case !acc.Counted:
		return fmt.Sprintf("its words were counted at ingest (%d) but cannot be counted again", w.In), nil
	case acc.Unexplained > 0 && (!w.Accepted || acc.Unexplained > w.Missing):
		msg := fmt.Sprintf("%d of %d words of its original are not in its segments", acc.Unexplained, acc.In)
		if w.Accepted {
			msg += fmt.Sprintf(" (%d were accepted at ingest)", w.Missing)
		}
		if len(acc.Missing) > 0 {
			msg += fmt.Sprintf(": line %d (%s)", acc.Missing[0].Line, strings.Join(acc.Missing[0].Words[:min(len(acc.Missing[0].Words), 6)], " "))
		}
		return msg, nil
	case acc.In != w.In || acc.Out != w.Out:
		return fmt.Sprintf("its original counts %d words and its segments %d; at ingest %d and %d", acc.In, acc.Out, w.In, w.Out), nil
	}
	return "", nil
}

// unacceptedLoss lists the tracks whose stored figure says words are
// missing that nobody accepted ("interview/name" to the count).
func (a *Archive) unacceptedLoss(ctx context.Context) ([][2]string, error) {
	if !a.hasWords() {
		return nil, nil
	}
	rows, err := a.db.QueryContext(ctx, `SELECT interview_id || '/' || name, words_missing FROM tracks
		WHERE words_missing > 0 AND loss_accepted = 0 ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("check words: %w", err)
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var subj string
		var n int
		if err := rows.Scan(&subj, &n); err != nil {
			return nil, err
		}
		out = append(out, [2]string{subj, strconv.Itoa(n)})
	}
	return out, rows.Err()
}
