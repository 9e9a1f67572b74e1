package archive

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // pure-Go SQLite: the archive builds with CGO_ENABLED=0
)

// FormatVersion is the version of the on-disk archive this code writes:
// the last of the migrations (see migrate.go).
const FormatVersion = 5

// Errors callers can test for.
var (
	ErrNotFound    = errors.New("not found")
	ErrNoArchive   = errors.New("no archive")
	ErrNewerFormat = errors.New("archive written by a newer recuerdo")
)

// Archive is an open archive folder.
type Archive struct {
	dir string
	db  *sql.DB
	// Read-only archives (readonly.go): the shared hold on the lock file,
	// the private copy of a catalogue with a pending journal, and the
	// format, which may be older than FormatVersion.
	readOnly bool
	shared   *os.File
	tmp      string
	format   int64
	lex      lexCache     // the lexicon last read (lexicon.go)
	lockWait atomic.Int64 // SetLockWait's duration; 0 means DefaultLockWait
	// Where the parts live (Config): pg is set when the catalogue is a
	// PostgreSQL database (postgres.go), originals when the originals are
	// in a shared folder; joined when CreateWith found the catalogue made.
	pg        *pgState
	originals string
	joined    bool
	made      bool // upgrade made the catalogue from nothing
}

const catalogueName = "catalogue.db"

// Dir returns the archive's folder.
func (a *Archive) Dir() string { return a.dir }

// IndexDir returns the folder where the search index lives.
func (a *Archive) IndexDir() string { return filepath.Join(a.dir, "index") }

// Catalogue names the archive's catalogue for people: its file, or the
// URL of its PostgreSQL database with the password hidden.
func (a *Archive) Catalogue() string {
	if a.pg != nil {
		return a.pg.url
	}
	return filepath.Join(a.dir, catalogueName)
}

// Joined reports whether CreateWith (or Create) found the catalogue it was
// to make already made, by another machine, and joined it.
func (a *Archive) Joined() bool { return a.joined }

// objectsDir is the folder of the originals: objects/ in the archive's
// folder, or in the shared folder its configuration names.
func (a *Archive) objectsDir() string {
	if a.originals != "" {
		return filepath.Join(a.originals, "objects")
	}
	return filepath.Join(a.dir, "objects")
}

// Create makes a new, empty archive in dir, which may exist but must not
// already hold an archive, with its parts where dir's archive.yaml says
// (see CreateWith); without one, all in dir.
func Create(dir string) (*Archive, error) {
	c, err := ReadConfig(dir)
	if err != nil {
		return nil, fmt.Errorf("create archive %s: %w", dir, err)
	}
	return create(dir, c)
}

// CreateWith makes a new archive in dir whose parts live where c says,
// and writes c as its configuration (archive.yaml; none for the zero
// Config, the embedded default). A PostgreSQL catalogue that already
// holds an archive is joined rather than made again: that is how a second
// machine starts working on it (Joined says so).
func CreateWith(dir string, c Config) (*Archive, error) {
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("create archive %s: %w", dir, err)
	}
	old, err := ReadConfig(dir)
	if err != nil {
		return nil, fmt.Errorf("create archive %s: %w", dir, err)
	}
	_, statErr := os.Stat(filepath.Join(dir, ConfigName))
	hasConfig := statErr == nil
	if hasConfig && old != c {
		return nil, fmt.Errorf("create archive %s: an archive is already there, configured otherwise (%s)", dir, ConfigName)
	}
	if _, err := os.Stat(filepath.Join(dir, catalogueName)); err == nil {
		return nil, fmt.Errorf("create archive %s: an archive is already there", dir)
	}
	wrote := false
	if !hasConfig && c != (Config{}) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("create archive: %w", err)
		}
		if err := WriteConfig(dir, c); err != nil {
			return nil, fmt.Errorf("create archive %s: %w", dir, err)
		}
		wrote = true
	}
	a, err := create(dir, c)
	if err != nil && wrote {
		os.Remove(filepath.Join(dir, ConfigName))
	}
	return a, err
}

func create(dir string, c Config) (*Archive, error) {
	if c.PostgreSQL() {
		return createPostgres(dir, c)
	}
	if _, err := os.Stat(filepath.Join(dir, catalogueName)); err == nil {
		return nil, fmt.Errorf("create archive %s: an archive is already there", dir)
	}
	objects := filepath.Join(dir, "objects")
	if c.Originals != "" {
		objects = filepath.Join(c.Originals, "objects")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("create archive: %w", err)
		}
	}
	if err := os.MkdirAll(filepath.Join(objects, "sha256"), 0o755); err != nil {
		return nil, fmt.Errorf("create archive: %w", err)
	}
	a, err := open(dir)
	if err != nil {
		return nil, err
	}
	a.originals = c.Originals
	if err := a.upgrade(migrations, FormatVersion); err != nil {
		a.Close()
		return nil, fmt.Errorf("create archive %s: %w", dir, err)
	}
	return a, nil
}

// createPostgres makes the archive's schema in its PostgreSQL catalogue,
// or joins the archive already there.
func createPostgres(dir string, c Config) (*Archive, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create archive: %w", err)
	}
	a, err := openPostgresArchive(dir, c, Options{}, true)
	if err != nil {
		return nil, fmt.Errorf("create archive %s: %w", dir, err)
	}
	if err := os.MkdirAll(filepath.Join(a.objectsDir(), "sha256"), 0o755); err != nil {
		a.Close()
		return nil, fmt.Errorf("create archive: %w", err)
	}
	return a, nil
}

// openPostgresArchive opens the archive whose catalogue is the PostgreSQL
// database c names, upgrading an older format; with create, it makes the
// catalogue's schema when there is none (and reports a joined one).
func openPostgresArchive(dir string, c Config, opt Options, create bool) (*Archive, error) {
	ctx := context.Background()
	db, st, err := openPostgres(ctx, c.Catalogue, opt.ReadOnly)
	if err != nil {
		return nil, err
	}
	a := &Archive{dir: dir, db: db, pg: st, readOnly: opt.ReadOnly, originals: c.Originals}
	a.SetLockWait(opt.LockWait)
	if !opt.ReadOnly {
		if err := ensureLockTable(ctx, db); err != nil {
			a.Close()
			return nil, fmt.Errorf("open catalogue %s: %w", st.url, err)
		}
	}
	v, err := a.formatVersion()
	switch {
	case err != nil:
		err = fmt.Errorf("open catalogue %s: %w", st.url, err)
	case v > FormatVersion:
		err = fmt.Errorf("%w: format %d, this recuerdo reads up to format %d; install a newer recuerdo (the archive was not changed)", ErrNewerFormat, v, FormatVersion)
	case v == 0 && !create:
		err = fmt.Errorf("catalogue %s (schema %s) holds no archive: %w", st.url, st.schema, ErrNoArchive)
	case opt.ReadOnly && v < oldestReadable:
		err = fmt.Errorf("%w: format %d must be upgraded to format %d, which a read-only archive cannot be (the archive was not changed)", ErrOldFormat, v, FormatVersion)
	case opt.ReadOnly:
		a.format = v
	case v < FormatVersion:
		err = a.upgrade(migrations, FormatVersion)
		a.joined = create && !a.made // another machine may have made it meanwhile
	default:
		a.joined = create
	}
	if err == nil {
		err = a.checkOriginals(ctx)
	}
	if err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

// Open opens the archive in dir, upgrading an older format. When this
// process cannot write there (a read-only mount, another user's folder)
// it opens it read-only instead, as OpenReadOnly does.
func Open(dir string) (*Archive, error) { return OpenWith(dir, Options{}) }

// Options shape how OpenWith opens an archive. The zero value is Open's.
type Options struct {
	// ReadOnly opens it as OpenReadOnly does.
	ReadOnly bool
	// LockWait is how long writers (and a read-only open, for a writer
	// that holds the archive) wait for another writer to finish; 0 means
	// DefaultLockWait. SetLockWait changes it later.
	LockWait time.Duration
}

// OpenWith opens the archive in dir as Open does, or as OpenReadOnly
// does with opt.ReadOnly.
func OpenWith(dir string, opt Options) (*Archive, error) {
	c, err := ReadConfig(dir)
	if err != nil {
		return nil, fmt.Errorf("open archive %s: %w", dir, err)
	}
	if c.PostgreSQL() {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("open archive %s: %w", dir, ErrNoArchive)
		}
		a, err := openPostgresArchive(dir, c, opt, false)
		if err != nil {
			return nil, fmt.Errorf("open archive %s: %w", dir, err)
		}
		return a, nil
	}
	if _, err := os.Stat(filepath.Join(dir, catalogueName)); err != nil {
		return nil, fmt.Errorf("open archive %s: %w", dir, ErrNoArchive)
	}
	if opt.ReadOnly || cannotWrite(dir) {
		a, err := openReadOnlyWith(dir, opt)
		if a != nil {
			a.originals = c.Originals
		}
		return a, err
	}
	a, err := open(dir)
	if err != nil {
		return nil, err
	}
	a.originals = c.Originals
	a.SetLockWait(opt.LockWait)
	v, err := a.formatVersion()
	if err == nil && v > FormatVersion {
		err = fmt.Errorf("%w: format %d, this recuerdo reads up to format %d; install a newer recuerdo (the archive was not changed)", ErrNewerFormat, v, FormatVersion)
	}
	if err == nil && v < FormatVersion {
		err = a.upgrade(migrations, FormatVersion)
	}
	if err != nil {
		a.Close()
		return nil, fmt.Errorf("open archive %s: %w", dir, err)
	}
	return a, nil
}

// Exists reports whether dir holds an archive: its catalogue, or an
// archive.yaml naming a catalogue elsewhere (which is not asked: a
// PostgreSQL catalogue not made yet is made by OpenOrCreate).
func Exists(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, catalogueName)); err == nil {
		return true
	}
	c, err := ReadConfig(dir)
	return err == nil && c.PostgreSQL()
}

// OpenOrCreate opens the archive in dir, creating it if there is none.
func OpenOrCreate(dir string) (*Archive, error) {
	c, err := ReadConfig(dir)
	if err != nil {
		return nil, fmt.Errorf("open archive %s: %w", dir, err)
	}
	if c.PostgreSQL() {
		return createPostgres(dir, c)
	}
	if _, err := os.Stat(filepath.Join(dir, catalogueName)); errors.Is(err, os.ErrNotExist) {
		return Create(dir)
	}
	return Open(dir)
}

func open(dir string) (*Archive, error) {
	dsn := sqliteURI(filepath.Join(dir, catalogueName)) +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open catalogue: %w", err)
	}
	if err := db.Ping(); err != nil {
		db.Close()
		// SQLite says only "unable to open database file"; say why when we can.
		if f, werr := os.CreateTemp(dir, ".probe-*"); werr != nil {
			err = fmt.Errorf("%w: the archive folder cannot be written (%v)", err, errors.Unwrap(werr))
		} else {
			f.Close()
			os.Remove(f.Name())
		}
		return nil, fmt.Errorf("open catalogue %s: %w", filepath.Join(dir, catalogueName), err)
	}
	boundPool(db)
	return &Archive{dir: dir, db: db}, nil
}

// Catalogue connections: each holds SQLite's page cache (about 2 MB), so
// a burst of requests to recuerdo serve must not open one each. WAL lets
// readers share the file with one writer; writers queue on SQLite's lock
// (busy_timeout), not on the pool, so a few connections serve both.
const (
	maxOpenConns = 8
	maxIdleConns = 4
	maxIdleTime  = time.Minute
)

// boundPool keeps db's pool of connections within maxOpenConns.
func boundPool(db *sql.DB) {
	db.SetMaxOpenConns(maxOpenConns)
	db.SetMaxIdleConns(maxIdleConns)
	db.SetConnMaxIdleTime(maxIdleTime)
}

// Close closes the catalogue.
func (a *Archive) Close() error {
	var err error
	if a.db != nil {
		err = a.db.Close()
	}
	a.closeReadOnly()
	return err
}

func (a *Archive) metaInt(q queryer, key string) (int64, error) {
	var s string
	if err := q.QueryRow(`SELECT value FROM meta WHERE key = ?`, key).Scan(&s); err != nil {
		return 0, fmt.Errorf("read catalogue %s: %w", key, err)
	}
	return strconv.ParseInt(s, 10, 64)
}

func (a *Archive) formatVersion() (int64, error) {
	ok, err := a.hasTable("meta")
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, nil
	}
	return a.metaInt(a.db, "format_version")
}

// Generation returns a number that grows with every change to the
// catalogue; the index records the one it was built from.
func (a *Archive) Generation(ctx context.Context) (int64, error) {
	return a.metaInt(a.db, "generation")
}

type queryer interface {
	QueryRow(query string, args ...any) *sql.Row
}

// Interviews lists every interview, without tracks, ordered by id.
func (a *Archive) Interviews(ctx context.Context) ([]*Interview, error) {
	rows, err := a.db.QueryContext(ctx, `SELECT id FROM interviews ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list interviews: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]*Interview, 0, len(ids))
	for _, id := range ids {
		iv, err := a.Interview(ctx, id, false)
		if err != nil {
			return nil, err
		}
		out = append(out, iv)
	}
	return out, nil
}

// Interview loads one interview; with segments, its current tracks carry
// their segments too.
func (a *Archive) Interview(ctx context.Context, id string, segments bool) (*Interview, error) {
	iv := &Interview{ID: id}
	var narrators, interviewers string
	err := a.db.QueryRowContext(ctx, `SELECT title, title_en, narrators, interviewers, date, place, collection,
		language, access, summary, summary_en, version FROM interviews WHERE id = ?`, id).Scan(
		&iv.Title, &iv.TitleEN, &narrators, &interviewers, &iv.Date, &iv.Place, &iv.Collection,
		&iv.Language, &iv.Access, &iv.Summary, &iv.SummaryEN, &iv.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("interview %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read interview %q: %w", id, err)
	}
	if err := json.Unmarshal([]byte(narrators), &iv.Narrators); err != nil {
		return nil, fmt.Errorf("read interview %q narrators: %w", id, err)
	}
	if err := json.Unmarshal([]byte(interviewers), &iv.Interviewers); err != nil {
		return nil, fmt.Errorf("read interview %q interviewers: %w", id, err)
	}
	iv.Media = []Media{}
	rows, err := a.db.QueryContext(ctx, `SELECT file, fps, start_timecode FROM media WHERE interview_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var m Media
		if err := rows.Scan(&m.File, &m.FPS, &m.StartTimecode); err != nil {
			rows.Close()
			return nil, err
		}
		iv.Media = append(iv.Media, m)
	}
	rows.Close()
	iv.Sealed = []Seal{}
	rows, err = a.db.QueryContext(ctx, `SELECT start_ms, end_ms, until, level, reason FROM seals WHERE interview_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var s Seal
		if err := rows.Scan(&s.StartMS, &s.EndMS, &s.Until, &s.Level, &s.Reason); err != nil {
			rows.Close()
			return nil, err
		}
		iv.Sealed = append(iv.Sealed, s)
	}
	rows.Close()
	iv.Tracks, err = a.tracks(ctx, id, segments)
	if err != nil {
		return nil, err
	}
	return iv, nil
}

// tracks loads the current tracks of an interview, in the order they were added.
func (a *Archive) tracks(ctx context.Context, id string, segments bool) ([]Track, error) {
	words := `words_in, words_out, words_explained, words_missing, words_detail, loss_accepted`
	if !a.hasWords() {
		words = `NULL, NULL, NULL, NULL, '', 0` // a read-only archive of an older format
	}
	rows, err := a.db.QueryContext(ctx, `SELECT id, lang, kind, format, name, sha256, size, encoding, added_at, `+words+`
		FROM tracks WHERE interview_id = ? AND current = 1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("read tracks of %q: %w", id, err)
	}
	var ts []Track
	for rows.Next() {
		t := Track{Interview: id}
		var added string
		var w wordsRow
		if err := rows.Scan(&t.ID, &t.Lang, &t.Kind, &t.Format, &t.Name, &t.SHA256, &t.Size, &t.Encoding, &added,
			&w.in, &w.out, &w.explained, &w.missing, &w.detail, &w.accepted); err != nil {
			rows.Close()
			return nil, err
		}
		t.AddedAt, _ = time.Parse(time.RFC3339Nano, added)
		t.Words = w.words()
		ts = append(ts, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if segments {
		for i := range ts {
			if ts[i].Segments, err = a.Segments(ctx, ts[i].ID); err != nil {
				return nil, err
			}
			if ts[i].Chapters, err = a.chapters(ctx, ts[i].ID); err != nil {
				return nil, err
			}
		}
	}
	return ts, nil
}

// chapters loads a track's index points, in order.
func (a *Archive) chapters(ctx context.Context, trackID int64) ([]Chapter, error) {
	rows, err := a.db.QueryContext(ctx, `SELECT data FROM chapters WHERE track_id = ? ORDER BY seq`, trackID)
	if err != nil {
		return nil, fmt.Errorf("read chapters of track %d: %w", trackID, err)
	}
	defer rows.Close()
	var out []Chapter
	for rows.Next() {
		var data string
		var c Chapter
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(data), &c); err != nil {
			return nil, fmt.Errorf("read chapters of track %d: %w", trackID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Segments loads a track's segments in order.
func (a *Archive) Segments(ctx context.Context, trackID int64) ([]Segment, error) {
	rows, err := a.db.QueryContext(ctx, `SELECT seq, start_ms, end_ms, speaker, text, estimated
		FROM segments WHERE track_id = ? ORDER BY seq`, trackID)
	if err != nil {
		return nil, fmt.Errorf("read segments of track %d: %w", trackID, err)
	}
	defer rows.Close()
	segs := []Segment{}
	for rows.Next() {
		var s Segment
		if err := rows.Scan(&s.Seq, &s.StartMS, &s.EndMS, &s.Speaker, &s.Text, &s.Estimated); err != nil {
			return nil, err
		}
		segs = append(segs, s)
	}
	return segs, rows.Err()
}

// Alignments loads the alignments of an interview's current tracks.
func (a *Archive) Alignments(ctx context.Context, interview string) ([]Alignment, error) {
	rows, err := a.db.QueryContext(ctx, `SELECT id, src_track, tgt_track, method, offset_ms, scale
		FROM alignments WHERE interview_id = ? ORDER BY id`, interview)
	if err != nil {
		return nil, fmt.Errorf("read alignments of %q: %w", interview, err)
	}
	var als []Alignment
	for rows.Next() {
		al := Alignment{Interview: interview}
		if err := rows.Scan(&al.ID, &al.Src, &al.Tgt, &al.Method, &al.OffsetMS, &al.Scale); err != nil {
			rows.Close()
			return nil, err
		}
		als = append(als, al)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range als {
		rows, err := a.db.QueryContext(ctx, `SELECT src_from, src_to, tgt_from, tgt_to, score
			FROM alignment_pairs WHERE alignment_id = ? ORDER BY seq`, als[i].ID)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var p Pair
			if err := rows.Scan(&p.SrcFrom, &p.SrcTo, &p.TgtFrom, &p.TgtTo, &p.Score); err != nil {
				rows.Close()
				return nil, err
			}
			als[i].Pairs = append(als[i].Pairs, p)
		}
		rows.Close()
	}
	return als, nil
}
