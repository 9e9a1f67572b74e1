package archive

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Problem is one disagreement found by Check.
type Problem struct {
	What    string `json:"what"`    // "catalogue", "original", "orphan", "segments", "words", "alignment", "index"
	Subject string `json:"subject"` // the interview, track or file concerned
	Msg     string `json:"message"`
}

func (p Problem) String() string { return fmt.Sprintf("%s %s: %s", p.What, p.Subject, p.Msg) }

// CheckOptions adjusts Check; the zero value works.
type CheckOptions struct {
	// Full derives the segments of every track again from its original.
	// Without it, a random sample of Sample tracks is (0 means 10): each
	// run looks at others, and none is slow.
	Full   bool
	Sample int
}

// Check verifies the archive with CheckOptions{}; see CheckWith.
func (a *Archive) Check(ctx context.Context) ([]Problem, error) {
	return a.CheckWith(ctx, CheckOptions{})
}

// CheckWith verifies the catalogue (SQLite's own integrity check and its
// references, access levels, seals, segment numbering and alignment
// pairs), every original against its checksum, that objects/ holds no
// original no track refers to, and that the segments of tracks (a sample,
// or all with opts.Full) are what their originals give when parsed again
// and still hold the words their originals count (see Words).
// The index is checked by package index.
func (a *Archive) CheckWith(ctx context.Context, opts CheckOptions) ([]Problem, error) {
	var probs []Problem
	add := func(what, subject, format string, args ...any) {
		probs = append(probs, Problem{What: what, Subject: subject, Msg: fmt.Sprintf(format, args...)})
	}
	if err := a.checkCatalogue(ctx, add); err != nil {
		return nil, err
	}

	sel, err := checkSelections(ctx, a)
	if err != nil {
		return nil, fmt.Errorf("check selections: %w", err)
	}
	probs = append(probs, sel...)

	// Access levels and seals: a level out of range or an unreadable seal
	// would show or hide what nobody decided.
	rows, err := a.db.QueryContext(ctx, `SELECT id, access FROM interviews WHERE access NOT IN (0, 1, 2) ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("check access: %w", err)
	}
	for rows.Next() {
		var id string
		var level int64
		if err := rows.Scan(&id, &level); err == nil {
			add("catalogue", id, "access level %d is none of public, family or staff", level)
		}
	}
	rows.Close()
	rows, err = a.db.QueryContext(ctx, `SELECT interview_id, seq, start_ms, end_ms, until, level FROM seals ORDER BY interview_id, seq`)
	if err != nil {
		return nil, fmt.Errorf("check seals: %w", err)
	}
	for rows.Next() {
		var id, until string
		var seq int
		var start, end, level int64
		if err := rows.Scan(&id, &seq, &start, &end, &until, &level); err != nil {
			rows.Close()
			return nil, err
		}
		_, terr := time.Parse("2006-01-02", until)
		if start < 0 || end <= start || terr != nil || level < int64(Public) || level > int64(Staff) {
			add("catalogue", id, "seal %d (%d-%d ms, level %d, until %q) is not a valid seal", seq, start, end, level, until)
		}
	}
	rows.Close()

	type track struct {
		id            int64
		iv, name, sum string
	}
	rows, err = a.db.QueryContext(ctx, `SELECT id, interview_id, name, sha256 FROM tracks ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("check originals: %w", err)
	}
	var tracks []track
	for rows.Next() {
		var t track
		if err := rows.Scan(&t.id, &t.iv, &t.name, &t.sum); err != nil {
			rows.Close()
			return nil, err
		}
		tracks = append(tracks, t)
	}
	rows.Close()
	referenced := map[string]bool{}
	for _, t := range tracks {
		referenced[t.sum] = true
	}
	stored, err := a.objects()
	if err != nil {
		return nil, fmt.Errorf("check originals: %w", err)
	}
	if len(stored) == 0 && len(tracks) > 0 {
		add("original", "objects/", "is missing or empty, but %d track(s) refer to originals: is the disk holding it mounted?", len(tracks))
	}
	bad := map[string]bool{}
	for _, t := range tracks {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if len(t.sum) != 64 {
			add("catalogue", t.iv+"/"+t.name, "track %d has no proper checksum (%q)", t.id, t.sum)
			bad[t.sum] = true
			continue
		}
		if err := a.verifyObject(t.sum); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				err = fmt.Errorf("original %s is missing", t.sum[:12])
			}
			add("original", t.iv+"/"+t.name, "%v (track %d)", err, t.id)
			bad[t.sum] = true
		}
	}
	orphans, err := a.orphans(ctx, stored, referenced)
	if err != nil {
		return nil, err
	}
	for _, o := range orphans {
		if o.RemovedTrack != "" {
			add("orphan", o.Path, "no track refers to this original: its track %s was removed by a forced repair while it was missing; ingest its file again to bring the track back", o.RemovedTrack)
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
	rows, err = a.db.QueryContext(ctx, `SELECT t.interview_id, t.name, s.seq, s.start_ms, s.end_ms FROM segments s JOIN tracks t ON t.id = s.track_id
		WHERE s.start_ms < 0 OR s.end_ms < s.start_ms OR s.end_ms > ? ORDER BY t.id, s.seq`, int64(maxMS))
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var iv, name string
		var seq int
		var start, end int64
		if err := rows.Scan(&iv, &name, &seq, &start, &end); err != nil {
			rows.Close()
			return nil, err
		}
		add("catalogue", iv+"/"+name, "segment %d: %d-%d ms is not a stretch of a recording", seq, start, end)
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
		var seq, ns, nt int
		var p Pair
		if err := rows.Scan(&iv, &seq, &p.SrcFrom, &p.SrcTo, &p.TgtFrom, &p.TgtTo, &ns, &nt); err != nil {
			rows.Close()
			return nil, err
		}
		if !PairFits(p, ns, nt) {
			add("alignment", iv, "pair %d refers to segments that do not exist (%d-%d of %d, %d-%d of %d)", seq, p.SrcFrom, p.SrcTo, ns, p.TgtFrom, p.TgtTo, nt)
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
	if err := rows.Err(); err != nil {
		return nil, err
	}

	// Word accounting: a loss nobody accepted, as stored; the figures are
	// counted again below with the segments.
	lossy, err := a.unacceptedLoss(ctx)
	if err != nil {
		return nil, err
	}
	for _, l := range lossy {
		add("words", l[0], "%s words of its original are not in its segments, and the loss was not accepted", l[1])
	}

	// Segments are derived from the originals: derive them again, for a
	// sample of the tracks or all of them.
	sample := tracks
	if n := max(opts.Sample, 0); !opts.Full {
		if n == 0 {
			n = 10
		}
		sample = nil
		for _, i := range rand.Perm(len(tracks)) {
			if len(sample) == n {
				break
			}
			if !bad[tracks[i].sum] {
				sample = append(sample, tracks[i])
			}
		}
	}
	for _, t := range sample {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if bad[t.sum] {
			continue
		}
		data, err := a.Original(t.sum)
		if err != nil {
			continue // reported above
		}
		want, err := derive(t.name, data)
		if err != nil {
			add("segments", t.iv+"/"+t.name, "its original cannot be read again to verify them: %v", err)
			continue
		}
		got, err := a.Segments(ctx, t.id)
		if err != nil {
			return nil, err
		}
		if diff := diffSegments(got, want); diff != "" {
			add("segments", t.iv+"/"+t.name, "%s (track %d; ingesting its file again stores what it gives)", diff, t.id)
		} else if msg, err := a.verifyWords(ctx, t.id, data, got); err != nil {
			return nil, err
		} else if msg != "" {
			// Segments as the reader gives them, without all the words.
			add("words", t.iv+"/"+t.name, "%s (track %d)", msg, t.id)
		}
	}
	return probs, nil
}

// Orphan is an original in objects/ that no track refers to.
type Orphan struct {
	Path   string `json:"path"` // inside the archive folder
	SHA256 string `json:"sha256"`
	// RemovedTrack names the track ("interview/name (id N)") a forced
	// repair removed while this original was missing, when the history
	// says so. Such an orphan is a problem for Check: the original came
	// back and the catalogue lost it. Others are most often what an
	// interrupted ingest or import left, which running it again uses.
	RemovedTrack string `json:"removed_track,omitempty"`
}

// Orphans lists the originals in objects/ that no track refers to. None
// is ever deleted by recuerdo.
func (a *Archive) Orphans(ctx context.Context) ([]Orphan, error) {
	stored, err := a.objects()
	if err != nil {
		return nil, fmt.Errorf("list originals: %w", err)
	}
	rows, err := a.db.QueryContext(ctx, `SELECT DISTINCT sha256 FROM tracks`)
	if err != nil {
		return nil, fmt.Errorf("list originals: %w", err)
	}
	referenced := map[string]bool{}
	for rows.Next() {
		var sum string
		if err := rows.Scan(&sum); err != nil {
			rows.Close()
			return nil, err
		}
		referenced[sum] = true
	}
	rows.Close()
	return a.orphans(ctx, stored, referenced)
}

// removedByRepair matches what Repair records of a track it removed.
var removedByRepair = regexp.MustCompile(`^removed track (.+) \(id (\d+)\): its original ([0-9a-f]{64}) was missing`)

func (a *Archive) orphans(ctx context.Context, stored map[string]string, referenced map[string]bool) ([]Orphan, error) {
	var out []Orphan
	for _, sum := range sortedKeys(stored) {
		if !referenced[sum] {
			out = append(out, Orphan{Path: stored[sum], SHA256: sum})
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	rows, err := a.db.QueryContext(ctx, `SELECT detail FROM history WHERE event = 'repair' ORDER BY seq`)
	if err != nil {
		return out, nil // a read-only archive of format 1 has no history
	}
	defer rows.Close()
	removed := map[string]string{}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		if m := removedByRepair.FindStringSubmatch(d); m != nil {
			removed[m[3]] = m[1] + " (id " + m[2] + ")"
		}
	}
	for i := range out {
		out[i].RemovedTrack = removed[out[i].SHA256]
	}
	return out, rows.Err()
}

// objects lists the originals stored in objects/ (checksum → path), not
// the leftovers of interrupted writes. A missing objects/ holds none.
func (a *Archive) objects() (map[string]string, error) {
	out := map[string]string{}
	err := filepath.WalkDir(a.objectsDir(), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".tmp-") {
			return nil
		}
		rel, _ := filepath.Rel(filepath.Dir(a.objectsDir()), p)
		out[d.Name()] = filepath.ToSlash(rel)
		return nil
	})
	return out, err
}

// hasObjects reports whether objects/ holds at least one original.
func (a *Archive) hasObjects() (bool, error) {
	found := errors.New("found")
	err := filepath.WalkDir(a.objectsDir(), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.IsDir() && !strings.HasPrefix(d.Name(), ".tmp-") {
			return found
		}
		return nil
	})
	if err == found {
		return true, nil
	}
	return false, err
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// derive parses an original as ingest does and returns the segments it
// gives.
func derive(name string, data []byte) ([]Segment, error) {
	tr, err := readTrack(name, data)
	if err != nil {
		return nil, err
	}
	if len(tr.Cues) == 0 {
		return nil, fmt.Errorf("%s: no cues found", name)
	}
	segs := make([]Segment, len(tr.Cues))
	for i, c := range tr.Cues {
		segs[i] = Segment{Seq: i + 1, StartMS: c.Start.Milliseconds(), EndMS: c.End.Milliseconds(), Speaker: c.Speaker, Text: c.Text, Estimated: c.Estimated}
	}
	return segs, nil
}

// diffSegments describes the first difference between segments as stored
// (got) and as their original gives them (want), or returns "".
func diffSegments(got, want []Segment) string {
	for i := 0; i < min(len(got), len(want)); i++ {
		g, w := got[i], want[i]
		switch {
		case g.Text != w.Text:
			return fmt.Sprintf("segment %d reads %q, its original %q", i+1, clip(g.Text), clip(w.Text))
		case g.StartMS != w.StartMS || g.EndMS != w.EndMS:
			return fmt.Sprintf("segment %d is timed %d-%d ms, its original %d-%d ms", i+1, g.StartMS, g.EndMS, w.StartMS, w.EndMS)
		case g.Speaker != w.Speaker:
			return fmt.Sprintf("segment %d is spoken by %q, its original says %q", i+1, clip(g.Speaker), clip(w.Speaker))
		case g.Estimated != w.Estimated:
			return fmt.Sprintf("segment %d is marked estimated=%v, its original gives %v", i+1, g.Estimated, w.Estimated)
		}
	}
	if len(got) != len(want) {
		return fmt.Sprintf("%d segments, its original gives %d", len(got), len(want))
	}
	return ""
}

func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
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

// checkCatalogue asks the database whether the catalogue is sound: on
// SQLite, its integrity check and its references (which SQLite enforces
// only while foreign_keys is on); on PostgreSQL, which keeps both itself,
// that every constraint holds for every row (pgIntegrity).
func (a *Archive) checkCatalogue(ctx context.Context, add func(what, subject, format string, args ...any)) error {
	if a.pg != nil {
		bad, err := a.pgIntegrity(ctx)
		if err != nil {
			return fmt.Errorf("check catalogue: %w", err)
		}
		for _, b := range bad {
			add("catalogue", a.pg.url, "integrity check: %s", b)
		}
		return nil
	}
	var ok string
	if err := a.db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil {
		return fmt.Errorf("check catalogue: %w", err)
	}
	if ok != "ok" {
		add("catalogue", catalogueName, "integrity check: %s", ok)
	}
	rows, err := a.db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return fmt.Errorf("check catalogue: %w", err)
	}
	for rows.Next() {
		var table, parent string
		var rowid, fkid any
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err == nil {
			add("catalogue", table, "row %v refers to a missing %s", rowid, parent)
		}
	}
	rows.Close()
	return nil
}
