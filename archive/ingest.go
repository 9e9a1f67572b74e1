package archive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/recuerdo-archive/recuerdo/subtitles"
)

// DefaultLockWait is how long a writer waits for another writer to
// finish, unless the archive's SetLockWait says otherwise.
const DefaultLockWait = 10 * time.Second

// LockWait is how long this handle's writers wait for another writer to
// finish (DefaultLockWait unless SetLockWait changed it).
func (a *Archive) LockWait() time.Duration {
	if d := time.Duration(a.lockWait.Load()); d > 0 {
		return d
	}
	return DefaultLockWait
}

// SetLockWait sets how long this handle's writers wait for another writer
// to finish; 0 means DefaultLockWait. Tests set it short; a command may set
// it long to queue behind a big import.
func (a *Archive) SetLockWait(d time.Duration) { a.lockWait.Store(int64(d)) }

// IngestResult says what an ingest changed.
type IngestResult struct {
	Interview  string   `json:"interview"`
	Created    bool     `json:"created"`          // the interview is new
	Updated    bool     `json:"metadata_updated"` // its metadata changed
	Added      []string `json:"added"`            // names of tracks added
	Replaced   []string `json:"replaced"`         // names of tracks replaced by new bytes (the old version is kept)
	Unchanged  []string `json:"unchanged"`        // names of tracks already there, byte for byte
	Segments   int      `json:"segments"`         // segments stored by this ingest
	Alignments int      `json:"alignments"`       // alignments stored by this ingest
	Notes      []string `json:"notes"`            // things worth a look, such as code-switching
}

// Changed reports whether the ingest wrote anything.
func (r *IngestResult) Changed() bool {
	return r.Created || r.Updated || len(r.Added) > 0 || len(r.Replaced) > 0
}

type parsedFile struct {
	File
	name   string // the file as named in messages
	track  *subtitles.Track
	words  *subtitles.Accounting
	sum    string
	action string // "add", "replace" or "same"
}

// Ingest parses, aligns and stores one interview. It is all or nothing:
// on any error the archive is as it was, and ingesting identical files
// again changes nothing.
func (a *Archive) Ingest(ctx context.Context, src *Source) (*IngestResult, error) {
	if len(src.Files) == 0 && !src.HasMeta {
		return nil, fmt.Errorf("ingest %s: no files", src.Interview.ID)
	}
	files, err := parseFiles(src.Files)
	if err != nil {
		return nil, err
	}
	if !src.AcceptLoss {
		// Checked before the lock: a file that loses words is refused
		// whatever the archive holds, but for an identical file already
		// in it (accepted then), checked below.
		for _, f := range files {
			if err := f.words.Loss(f.name); err != nil && !a.hasSame(ctx, src.Interview.ID, f) {
				return nil, err
			}
		}
	}
	lock, err := a.Lock("ingest "+src.Interview.ID, a.LockWait())
	if err != nil {
		return nil, err
	}
	defer lock.Unlock()

	res := &IngestResult{Interview: src.Interview.ID, Added: []string{}, Replaced: []string{}, Unchanged: []string{}, Notes: []string{}}
	for _, f := range files {
		texts := make([]string, len(f.track.Cues))
		for i, c := range f.track.Cues {
			texts[i] = c.Text
		}
		if m := Mixed(f.Lang, texts); m >= 0.1 {
			res.Notes = append(res.Notes, fmt.Sprintf("%s: %.0f%% of its clear cues are not in %s (code-switching, or partly translated?)", f.Name, 100*m, f.Lang))
		}
	}
	old, err := a.Interview(ctx, src.Interview.ID, false)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	iv := src.Interview
	switch {
	case old == nil:
		res.Created = true
		if iv.Language == "" && len(files) > 0 {
			iv.Language = files[0].Lang
		}
	case !src.HasMeta:
		iv = *old
	default:
		res.Updated = metaKey(&iv) != metaKey(old)
		iv.Version = old.Version
	}
	current := map[string]Track{}
	if old != nil {
		for _, t := range old.Tracks {
			current[t.Name] = t
		}
	}
	for i := range files {
		f := &files[i]
		t, ok := current[f.Name]
		switch {
		case !ok:
			f.action = "add"
			res.Added = append(res.Added, f.Name)
		case t.SHA256 == f.sum:
			f.action = "same"
			res.Unchanged = append(res.Unchanged, f.Name)
		default:
			f.action = "replace"
			res.Replaced = append(res.Replaced, f.Name)
		}
	}
	// An original the archive already has but whose copy is missing or
	// damaged is restored from the file given again.
	for _, f := range files {
		if f.action == "same" && a.verifyObject(f.sum) != nil {
			if _, err := a.putObject(f.sum, f.Data); err != nil {
				return nil, fmt.Errorf("ingest %s: restore %s: %w", iv.ID, f.Name, err)
			}
			res.Notes = append(res.Notes, fmt.Sprintf("%s: the archive's copy was missing or damaged; restored from this file", f.Name))
		}
	}
	if !res.Changed() {
		return res, nil
	}
	// On failure, the originals this ingest stored are removed again: the
	// archive is left as it was.
	var created []string
	fail := func(err error) (*IngestResult, error) {
		for _, sum := range created {
			a.removeObject(sum)
		}
		return nil, fmt.Errorf("ingest %s: %w", iv.ID, err)
	}
	for _, f := range files {
		if f.action != "same" {
			made, err := a.putObject(f.sum, f.Data)
			if err != nil {
				return fail(fmt.Errorf("%s: %w", f.Name, err))
			}
			if made {
				created = append(created, f.sum)
			}
		}
	}
	if err := a.store(ctx, &iv, old, files, src.AcceptLoss, res); err != nil {
		return fail(err)
	}
	return res, nil
}

// Validate reads every file of a source as Ingest would, without writing
// anything: a batch can be checked whole before any of it is ingested.
// A file whose words do not all reach its segments fails it, unless
// src.AcceptLoss.
func Validate(src *Source) error {
	files, err := parseFiles(src.Files)
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := f.words.Loss(f.name); err != nil && !src.AcceptLoss {
			return err
		}
	}
	return nil
}

// hasSame reports whether the interview's current track of f's name has
// f's bytes already.
func (a *Archive) hasSame(ctx context.Context, interview string, f parsedFile) bool {
	var n int
	err := a.db.QueryRowContext(ctx, `SELECT count(*) FROM tracks WHERE interview_id = ? AND name = ? AND sha256 = ? AND current = 1`,
		interview, f.Name, f.sum).Scan(&n)
	return err == nil && n > 0
}

// readTrack is the reader of ingest and check; tests put a lossy one in
// its place to see the word accounting refuse it.
var readTrack = subtitles.Read

// parseFiles reads every file before anything is written, so a bad file
// stops the ingest with the archive untouched.
func parseFiles(in []File) ([]parsedFile, error) {
	out := make([]parsedFile, 0, len(in))
	for _, f := range in {
		name := f.Path
		if name == "" {
			name = f.Name
		}
		tr, err := readTrack(name, f.Data)
		if err != nil {
			return nil, err
		}
		if len(tr.Cues) == 0 {
			msg := "no cues found"
			if len(tr.Chapters) > 0 {
				msg = "an index without a transcript: recuerdo needs the timed text"
			}
			return nil, &subtitles.Error{File: name, Msg: msg, Hint: "is the file empty, or in a format recuerdo does not read?"}
		}
		if f.Lang == "" {
			f.Lang = langFromName(f.Name)
		}
		if f.Lang == "" {
			var sb strings.Builder
			for _, c := range tr.Cues {
				sb.WriteString(c.Text)
				sb.WriteByte(' ')
			}
			f.Lang = GuessLanguage(sb.String())
		}
		if f.Lang == "" {
			return nil, fmt.Errorf("ingest %q: cannot tell its language; give lang in %s or --lang", name, SidecarName)
		}
		if f.Kind == "" {
			f.Kind = "subtitles"
			if tr.Format.IsTranscript() {
				f.Kind = "transcript"
			}
		}
		out = append(out, parsedFile{File: f, name: name, track: tr, words: subtitles.Account(f.Data, tr), sum: Checksum(f.Data)})
	}
	return out, nil
}

// metaKey is a canonical form of an interview's metadata, to tell whether it changed.
func metaKey(iv *Interview) string {
	c := *iv
	c.Tracks, c.Version = nil, 0
	b, _ := json.Marshal(c)
	return string(b)
}

// store writes one ingest in a single transaction.
func (a *Archive) store(ctx context.Context, iv *Interview, old *Interview, files []parsedFile, accept bool, res *IngestResult) error {
	// The archive's lexicon lets the aligner weigh what the words say; read
	// before the transaction, and without one when it cannot be read.
	lx, err := a.Lexicon(ctx)
	if err != nil {
		lx = nil
	}
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	narrators, _ := json.Marshal(iv.Narrators)
	interviewers, _ := json.Marshal(iv.Interviewers)
	if old == nil {
		_, err = tx.ExecContext(ctx, `INSERT INTO interviews (id, title, title_en, narrators, interviewers, date, place,
			collection, language, access, summary, summary_en, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,1)`,
			iv.ID, iv.Title, iv.TitleEN, string(narrators), string(interviewers), iv.Date, iv.Place,
			iv.Collection, iv.Language, iv.Access, iv.Summary, iv.SummaryEN)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE interviews SET title=?, title_en=?, narrators=?, interviewers=?, date=?, place=?,
			collection=?, language=?, access=?, summary=?, summary_en=?, version=version+1 WHERE id=?`,
			iv.Title, iv.TitleEN, string(narrators), string(interviewers), iv.Date, iv.Place,
			iv.Collection, iv.Language, iv.Access, iv.Summary, iv.SummaryEN, iv.ID)
	}
	if err != nil {
		return fmt.Errorf("store interview: %w", err)
	}
	if old == nil || res.Updated {
		if _, err := tx.ExecContext(ctx, `DELETE FROM media WHERE interview_id = ?`, iv.ID); err != nil {
			return err
		}
		for i, m := range iv.Media {
			if _, err := tx.ExecContext(ctx, `INSERT INTO media (interview_id, seq, file, fps, start_timecode) VALUES (?,?,?,?,?)`,
				iv.ID, i+1, m.File, m.FPS, m.StartTimecode); err != nil {
				return fmt.Errorf("store media: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM seals WHERE interview_id = ?`, iv.ID); err != nil {
			return err
		}
		for i, s := range iv.Sealed {
			if _, err := tx.ExecContext(ctx, `INSERT INTO seals (interview_id, seq, start_ms, end_ms, until, level, reason) VALUES (?,?,?,?,?,?,?)`,
				iv.ID, i+1, s.StartMS, s.EndMS, s.Until, s.Level, s.Reason); err != nil {
				return fmt.Errorf("store seal: %w", err)
			}
		}
	}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	for _, f := range files {
		if f.action == "same" {
			continue
		}
		if f.action == "replace" {
			if _, err := tx.ExecContext(ctx, `UPDATE tracks SET current = 0 WHERE interview_id = ? AND name = ? AND current = 1`, iv.ID, f.Name); err != nil {
				return err
			}
		}
		w := wordsOf(f.words, accept)
		var in, out, explained, missing any // NULL: not counted
		detail := ""
		if w != nil {
			in, out, explained, missing = w.In, w.Out, w.Explained, w.Missing
			b, _ := json.Marshal(struct {
				Rules map[string]int          `json:"rules,omitempty"`
				Lines []subtitles.MissingLine `json:"missing_lines,omitempty"`
			}{w.Rules, w.Lines})
			detail = string(b)
		}
		var id int64 // RETURNING, not LastInsertId: both catalogues answer it
		err := tx.QueryRowContext(ctx, `INSERT INTO tracks (interview_id, lang, kind, format, name, sha256, size, encoding, current, added_at,
			words_in, words_out, words_explained, words_missing, words_detail, loss_accepted)
			VALUES (?,?,?,?,?,?,?,?,1,?,?,?,?,?,?,?) RETURNING id`, iv.ID, f.Lang, f.Kind, string(f.track.Format), f.Name, f.sum, len(f.Data), f.track.Encoding, now,
			in, out, explained, missing, detail, w != nil && w.Accepted).Scan(&id)
		if err != nil {
			return fmt.Errorf("store track %s: %w", f.Name, err)
		}
		if w != nil && w.Accepted {
			msg := fmt.Sprintf("%s: %d of %d words of the original are not in its segments; ingested with --accept-loss", f.Name, w.Missing, w.In)
			if err := addInterviewHistory(ctx, tx, iv.ID, "accept-loss", msg+": "+f.words.Loss(f.name).Error()); err != nil {
				return fmt.Errorf("record accepted loss of %s: %w", f.Name, err)
			}
			res.Notes = append(res.Notes, msg+" (recorded in the history)")
		}
		segs, err := newRowWriter(ctx, tx, a.pg != nil, `INSERT INTO segments (track_id, seq, start_ms, end_ms, speaker, text, estimated) VALUES (?,?,?,?,?,?,?)`, true)
		if err != nil {
			return err
		}
		for i, c := range f.track.Cues {
			if err := segs.add(id, i+1, c.Start.Milliseconds(), c.End.Milliseconds(), c.Speaker, c.Text, c.Estimated); err != nil {
				segs.close()
				return fmt.Errorf("store segment %d of %s: %w", i+1, f.Name, err)
			}
		}
		if err := segs.close(); err != nil {
			return fmt.Errorf("store segments of %s: %w", f.Name, err)
		}
		for i, ch := range f.track.Chapters {
			c := Chapter{StartMS: ch.Start.Milliseconds(), Title: ch.Title, TitleAlt: ch.TitleAlt, Synopsis: ch.Synopsis, SynopsisAlt: ch.SynopsisAlt,
				Keywords: ch.Keywords, KeywordsAlt: ch.KeywordsAlt, Subjects: ch.Subjects, SubjectsAlt: ch.SubjectsAlt}
			data, _ := json.Marshal(c)
			if _, err := tx.ExecContext(ctx, `INSERT INTO chapters (track_id, seq, start_ms, data) VALUES (?,?,?,?)`, id, i+1, c.StartMS, string(data)); err != nil {
				return fmt.Errorf("store chapter %d of %s: %w", i+1, f.Name, err)
			}
		}
		res.Segments += len(f.track.Cues)
	}
	n, err := realignWith(ctx, tx, a.pg != nil, iv.ID, iv.Language, lx)
	if err != nil {
		return err
	}
	res.Alignments = n
	if _, err := tx.ExecContext(ctx, `UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'`); err != nil {
		return err
	}
	return tx.Commit()
}
