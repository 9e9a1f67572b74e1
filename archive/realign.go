package archive

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
	"github.com/recuerdo-archive/recuerdo/subtitles/align"
	"github.com/recuerdo-archive/recuerdo/subtitles/lexicon"
)

type txTrack struct {
	id   int64
	lang string
	kind string
	cues []subtitles.Cue
}

// realign replaces the alignments of an interview: each current track in
// another language is aligned with the source track, the first current
// track in the interview's language (subtitles preferred).
// With pg, the catalogue is PostgreSQL's (rowWriter).
func realign(ctx context.Context, tx *sql.Tx, pg bool, interview, language string) (int, error) {
	return realignWith(ctx, tx, pg, interview, language, nil)
}

// realignWith is realign with a lexicon for the aligner's content evidence
// (the archive's: what it learned from its other interviews, the installed
// dictionaries, its glossary), or nil for none.
func realignWith(ctx context.Context, tx *sql.Tx, pg bool, interview, language string, lx *lexicon.Lexicon) (int, error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM alignments WHERE interview_id = ?`, interview); err != nil {
		return 0, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, lang, kind FROM tracks WHERE interview_id = ? AND current = 1 ORDER BY id`, interview)
	if err != nil {
		return 0, err
	}
	var tracks []*txTrack
	for rows.Next() {
		t := &txTrack{}
		if err := rows.Scan(&t.id, &t.lang, &t.kind); err != nil {
			rows.Close()
			return 0, err
		}
		tracks = append(tracks, t)
	}
	rows.Close()
	var src *txTrack
	for _, t := range tracks {
		if t.lang == language && (src == nil || src.kind != "subtitles" && t.kind == "subtitles") {
			src = t
		}
	}
	if src == nil {
		return 0, nil
	}
	n := 0
	for _, t := range tracks {
		if t.lang == language {
			continue
		}
		for _, tt := range []*txTrack{src, t} {
			if tt.cues == nil {
				if tt.cues, err = txCues(ctx, tx, tt.id); err != nil {
					return 0, err
				}
			}
		}
		// As subs align chooses: an untimed translation (a transcript
		// without timestamps) by its text, any other by time.
		res := align.Auto(src.cues, t.cues, align.Options{Lexicon: lx, SrcLang: src.lang, TgtLang: t.lang})
		var id int64 // RETURNING, not LastInsertId: both catalogues answer it
		err := tx.QueryRowContext(ctx, `INSERT INTO alignments (interview_id, src_track, tgt_track, method, offset_ms, scale) VALUES (?,?,?,?,?,?) RETURNING id`,
			interview, src.id, t.id, res.Method, res.Offset.Milliseconds(), res.Scale).Scan(&id)
		if err != nil {
			return 0, fmt.Errorf("store alignment: %w", err)
		}
		pairs, err := newRowWriter(ctx, tx, pg, `INSERT INTO alignment_pairs (alignment_id, seq, src_from, src_to, tgt_from, tgt_to, score) VALUES (?,?,?,?,?,?,?)`, false)
		if err != nil {
			return 0, err
		}
		for i, p := range res.Pairs {
			sf, st := span(p.Src)
			tf, tt := span(p.Tgt)
			if err := pairs.add(id, i+1, sf, st, tf, tt, p.Score); err != nil {
				return 0, fmt.Errorf("store alignment pair: %w", err)
			}
		}
		if err := pairs.close(); err != nil {
			return 0, fmt.Errorf("store alignment pair: %w", err)
		}
		n++
	}
	return n, nil
}

// span turns 0-based consecutive indexes into a 1-based inclusive range.
func span(idx []int) (from, to int) {
	if len(idx) == 0 {
		return 0, 0
	}
	return idx[0] + 1, idx[len(idx)-1] + 1
}

func txCues(ctx context.Context, tx *sql.Tx, track int64) ([]subtitles.Cue, error) {
	rows, err := tx.QueryContext(ctx, `SELECT start_ms, end_ms, speaker, text, estimated FROM segments WHERE track_id = ? ORDER BY seq`, track)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cues := []subtitles.Cue{}
	for rows.Next() {
		var s, e int64
		var c subtitles.Cue
		if err := rows.Scan(&s, &e, &c.Speaker, &c.Text, &c.Estimated); err != nil {
			return nil, err
		}
		c.Start, c.End = time.Duration(s)*time.Millisecond, time.Duration(e)*time.Millisecond
		cues = append(cues, c)
	}
	return cues, rows.Err()
}
