package archive

import (
	"context"
	"fmt"
)

// Problem is one disagreement found by Check.
type Problem struct {
	What    string `json:"what"`    // "catalogue", "original", "alignment", "index"
	Subject string `json:"subject"` // the interview, track or file concerned
	Msg     string `json:"message"`
}

func (p Problem) String() string { return fmt.Sprintf("%s %s: %s", p.What, p.Subject, p.Msg) }

// Check verifies the catalogue (SQLite's own integrity check and its
// references), every original against its checksum, and every alignment's
// references. The index is checked by package index.
func (a *Archive) Check(ctx context.Context) ([]Problem, error) {
	var probs []Problem
	add := func(what, subject, format string, args ...any) {
		probs = append(probs, Problem{What: what, Subject: subject, Msg: fmt.Sprintf(format, args...)})
	}
	var ok string
	if err := a.db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil {
		return nil, fmt.Errorf("check catalogue: %w", err)
	}
	if ok != "ok" {
		add("catalogue", catalogueName, "integrity check: %s", ok)
	}
	rows, err := a.db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return nil, fmt.Errorf("check catalogue: %w", err)
	}
	for rows.Next() {
		var table, parent string
		var rowid, fkid any
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err == nil {
			add("catalogue", table, "row %v refers to a missing %s", rowid, parent)
		}
	}
	rows.Close()

	rows, err = a.db.QueryContext(ctx, `SELECT interview_id, name, sha256, size FROM tracks ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("check originals: %w", err)
	}
	type orig struct {
		iv, name, sum string
		size          int64
	}
	var origs []orig
	for rows.Next() {
		var o orig
		if err := rows.Scan(&o.iv, &o.name, &o.sum, &o.size); err != nil {
			rows.Close()
			return nil, err
		}
		origs = append(origs, o)
	}
	rows.Close()
	for _, o := range origs {
		if err := a.verifyObject(o.sum); err != nil {
			add("original", o.iv+"/"+o.name, "%v", err)
		}
	}

	rows, err = a.db.QueryContext(ctx, `SELECT t.interview_id, t.name, count(s.seq), coalesce(min(s.seq), 1), coalesce(max(s.seq), 0)
		FROM tracks t LEFT JOIN segments s ON s.track_id = t.id GROUP BY t.id`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var iv, name string
		var n, lo, hi int
		if err := rows.Scan(&iv, &name, &n, &lo, &hi); err != nil {
			rows.Close()
			return nil, err
		}
		if n == 0 || lo != 1 || hi != n {
			add("catalogue", iv+"/"+name, "segments are not numbered 1..%d", n)
		}
	}
	rows.Close()

	rows, err = a.db.QueryContext(ctx, `WITH n AS (SELECT track_id, count(*) AS c FROM segments GROUP BY track_id)
		SELECT a.interview_id, p.seq, p.src_from, p.src_to, p.tgt_from, p.tgt_to, coalesce(ns.c, 0), coalesce(nt.c, 0)
		FROM alignment_pairs p JOIN alignments a ON a.id = p.alignment_id
		LEFT JOIN n ns ON ns.track_id = a.src_track LEFT JOIN n nt ON nt.track_id = a.tgt_track`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var iv string
		var seq, sf, st, tf, tt, ns, nt int
		if err := rows.Scan(&iv, &seq, &sf, &st, &tf, &tt, &ns, &nt); err != nil {
			rows.Close()
			return nil, err
		}
		if sf > st || tf > tt || st > ns || tt > nt || sf < 0 || tf < 0 || sf == 0 && tf == 0 {
			add("alignment", iv, "pair %d refers to segments that do not exist (%d-%d of %d, %d-%d of %d)", seq, sf, st, ns, tf, tt, nt)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	rows, err = a.db.QueryContext(ctx, `SELECT a.interview_id, a.id FROM alignments a
		LEFT JOIN tracks s ON s.id = a.src_track LEFT JOIN tracks t ON t.id = a.tgt_track
		WHERE s.id IS NULL OR t.id IS NULL OR s.interview_id != a.interview_id OR t.interview_id != a.interview_id
		OR s.current = 0 OR t.current = 0 ORDER BY a.id`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var iv string
		var id int64
		if err := rows.Scan(&iv, &id); err != nil {
			rows.Close()
			return nil, err
		}
		add("alignment", iv, "alignment %d refers to a track that is not one of the interview's current tracks", id)
	}
	rows.Close()
	return probs, rows.Err()
}

// SegmentCounts returns how many segments each interview's current tracks
// hold, for comparing with the index.
func (a *Archive) SegmentCounts(ctx context.Context) (map[string]int, error) {
	rows, err := a.db.QueryContext(ctx, `SELECT t.interview_id, count(*) FROM segments s JOIN tracks t ON t.id = s.track_id
		WHERE t.current = 1 GROUP BY t.interview_id`)
	if err != nil {
		return nil, fmt.Errorf("count segments: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}
