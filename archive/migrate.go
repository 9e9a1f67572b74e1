package archive

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// A migration brings the catalogue from format to-1 to format to. Each runs
// in one transaction: an upgrade interrupted at any moment leaves the
// catalogue at the last version that committed.
type migration struct {
	to   int
	what string
	up   func(tx *sql.Tx) error
}

// migrations is the format history of the archive, oldest first. A format
// that has been released never changes: a new one is a new entry at the
// end, with FormatVersion raised to match and a fixture of the old format
// kept in testdata (see migrate_test.go).
var migrations = []migration{
	{1, "the first catalogue: interviews, media, seals, tracks, segments, chapters, alignments", migrate1},
	{2, "a history of what happened to the archive: creation, upgrades, imports, forced repairs", migrate2},
	{3, "word accounting per track (words in the original, in the segments, explained, missing; loss accepted) and the interview a history event concerns", migrate3},
	{4, "the bilingual lexicon learned from the archive's alignments, and the glossary people edit", migrate4},
	{5, "selections: named lists of moments with a note each (a family's favourites, an editor's selects)", migrate5},
}

func migrate1(tx *sql.Tx) error {
	schema := []string{
		`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS interviews (
		id TEXT PRIMARY KEY,
		title TEXT NOT NULL, title_en TEXT NOT NULL DEFAULT '',
		narrators TEXT NOT NULL DEFAULT '[]', interviewers TEXT NOT NULL DEFAULT '[]',
		date TEXT NOT NULL DEFAULT '', place TEXT NOT NULL DEFAULT '', collection TEXT NOT NULL DEFAULT '',
		language TEXT NOT NULL, access INTEGER NOT NULL DEFAULT 0,
		summary TEXT NOT NULL DEFAULT '', summary_en TEXT NOT NULL DEFAULT '',
		version INTEGER NOT NULL DEFAULT 1)`,
		`CREATE TABLE IF NOT EXISTS media (
		interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
		seq INTEGER NOT NULL, file TEXT NOT NULL, fps REAL NOT NULL DEFAULT 0, start_timecode TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (interview_id, seq))`,
		`CREATE TABLE IF NOT EXISTS seals (
		interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
		seq INTEGER NOT NULL, start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL,
		until TEXT NOT NULL, level INTEGER NOT NULL, reason TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (interview_id, seq))`,
		`CREATE TABLE IF NOT EXISTS tracks (
		id INTEGER PRIMARY KEY,
		interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
		lang TEXT NOT NULL, kind TEXT NOT NULL, format TEXT NOT NULL, name TEXT NOT NULL,
		sha256 TEXT NOT NULL, size INTEGER NOT NULL, encoding TEXT NOT NULL,
		current INTEGER NOT NULL DEFAULT 1, added_at TEXT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS tracks_interview ON tracks(interview_id, current)`,
		`CREATE TABLE IF NOT EXISTS segments (
		track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
		seq INTEGER NOT NULL, start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL,
		speaker TEXT NOT NULL DEFAULT '', text TEXT NOT NULL, estimated INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (track_id, seq)) WITHOUT ROWID`,
		`CREATE TABLE IF NOT EXISTS chapters (
		track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
		seq INTEGER NOT NULL, start_ms INTEGER NOT NULL, data TEXT NOT NULL,
		PRIMARY KEY (track_id, seq)) WITHOUT ROWID`,
		`CREATE TABLE IF NOT EXISTS alignments (
		id INTEGER PRIMARY KEY,
		interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
		src_track INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
		tgt_track INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
		method TEXT NOT NULL, offset_ms INTEGER NOT NULL DEFAULT 0, scale REAL NOT NULL DEFAULT 1)`,
		`CREATE TABLE IF NOT EXISTS alignment_pairs (
		alignment_id INTEGER NOT NULL REFERENCES alignments(id) ON DELETE CASCADE,
		seq INTEGER NOT NULL, src_from INTEGER NOT NULL, src_to INTEGER NOT NULL,
		tgt_from INTEGER NOT NULL, tgt_to INTEGER NOT NULL, score REAL NOT NULL,
		PRIMARY KEY (alignment_id, seq)) WITHOUT ROWID`,
	}
	for _, s := range schema {
		if _, err := tx.Exec(s); err != nil {
			return err
		}
	}
	for _, kv := range [][2]string{{"format_version", "1"}, {"generation", "0"}, {"created_at", time.Now().UTC().Format(time.RFC3339)}} {
		if _, err := tx.Exec(`INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING`, kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}

func migrate2(tx *sql.Tx) error {
	_, err := tx.Exec(`CREATE TABLE history (
		seq INTEGER PRIMARY KEY, at TEXT NOT NULL, event TEXT NOT NULL,
		detail TEXT NOT NULL DEFAULT '', tool TEXT NOT NULL DEFAULT '')`)
	return err
}

// migrate3 adds each track's word accounting (NULL for tracks ingested
// before it, whose words were not counted) and the interview an event of
// the history concerns ("" for the archive as a whole).
func migrate3(tx *sql.Tx) error {
	for _, s := range []string{
		`ALTER TABLE tracks ADD COLUMN words_in INTEGER`,
		`ALTER TABLE tracks ADD COLUMN words_out INTEGER`,
		`ALTER TABLE tracks ADD COLUMN words_explained INTEGER`,
		`ALTER TABLE tracks ADD COLUMN words_missing INTEGER`,
		`ALTER TABLE tracks ADD COLUMN words_detail TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE tracks ADD COLUMN loss_accepted INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE history ADD COLUMN interview TEXT NOT NULL DEFAULT ''`,
	} {
		if _, err := tx.Exec(s); err != nil {
			return err
		}
	}
	return nil
}

// upgrade brings the catalogue to format target through the migrations,
// holding the archive's write lock. An existing catalogue is first copied
// whole to catalogue.db.bak-vN (N its format), so an upgrade can always be
// undone by hand.
func (a *Archive) upgrade(list []migration, target int) error {
	if a.readOnly {
		return fmt.Errorf("upgrade catalogue: %w", ErrReadOnly)
	}
	lock, err := a.Lock(fmt.Sprintf("upgrade to format %d", target), a.LockWait())
	if err != nil {
		return fmt.Errorf("upgrade catalogue: %w", err)
	}
	defer lock.Unlock()
	v, err := a.formatVersion() // again: another process may have upgraded it meanwhile
	if err != nil {
		return fmt.Errorf("upgrade catalogue: %w", err)
	}
	if int(v) >= target {
		return nil
	}
	from := int(v)
	a.made = from == 0
	backup := ""
	if from > 0 && a.pg == nil { // PostgreSQL's are its own (pg_dump), not ours to take
		if backup, err = a.backupCatalogue(from); err != nil {
			return fmt.Errorf("upgrade catalogue from format %d: %w", from, err)
		}
	}
	for _, m := range list {
		if m.to <= from || m.to > target {
			continue
		}
		tx, err := a.db.Begin()
		if err != nil {
			return err
		}
		err = m.up(tx)
		if err == nil && a.pg != nil {
			err = pgAfterMigration(tx, m.to)
		}
		if err == nil {
			_, err = tx.Exec(`UPDATE meta SET value = ? WHERE key = 'format_version'`, strconv.Itoa(m.to))
		}
		if err == nil && m.to >= 2 {
			if from == 0 {
				if m.to == target {
					err = addHistory(tx, "create", fmt.Sprintf("format %d", target))
				}
			} else {
				detail := fmt.Sprintf("format %d to %d: %s", m.to-1, m.to, m.what)
				if backup != "" {
					detail += "; backup of format " + strconv.Itoa(from) + " in " + backup
				}
				err = addHistory(tx, "upgrade", detail)
			}
		}
		if err == nil {
			err = tx.Commit()
		}
		if err != nil {
			tx.Rollback()
			return fmt.Errorf("upgrade catalogue to format %d (%s): %w", m.to, m.what, err)
		}
	}
	return nil
}

// backupCatalogue writes a consistent copy of the catalogue next to it and
// returns its name. It never overwrites an earlier backup.
func (a *Archive) backupCatalogue(version int) (string, error) {
	name := fmt.Sprintf("%s.bak-v%d", catalogueName, version)
	for n := 2; ; n++ {
		if _, err := os.Lstat(filepath.Join(a.dir, name)); os.IsNotExist(err) {
			break
		}
		name = fmt.Sprintf("%s.bak-v%d.%d", catalogueName, version, n)
	}
	tmp := filepath.Join(a.dir, name+".tmp")
	os.Remove(tmp) // left by an upgrade that was killed while copying
	if _, err := a.db.Exec(`VACUUM INTO ?`, tmp); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("back up catalogue to %s: %w", name, err)
	}
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("back up catalogue to %s: %w", name, err)
	}
	if err := os.Rename(tmp, filepath.Join(a.dir, name)); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("back up catalogue to %s: %w", name, err)
	}
	return name, syncDir(a.dir)
}

func syncFile(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// Event is one entry of an archive's history.
type Event struct {
	At        string `json:"at"`                  // RFC 3339, UTC
	Event     string `json:"event"`               // "create", "upgrade", "import", "repair", "accept-loss"
	Detail    string `json:"detail"`              // what happened, for people
	Tool      string `json:"tool"`                // the recuerdo that did it
	Interview string `json:"interview,omitempty"` // the interview it concerns, if one
}

// History lists what happened to the archive (creation, upgrades, imports,
// forced repairs), oldest first.
func (a *Archive) History(ctx context.Context) ([]Event, error) {
	if a.readOnly && a.format < 2 {
		return []Event{}, nil // format 1, read as it is: it kept no history
	}
	return history(ctx, a.db, a.hasWords())
}

func history(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, withInterview bool) ([]Event, error) {
	query := `SELECT at, event, detail, tool, interview FROM history ORDER BY seq`
	if !withInterview {
		query = `SELECT at, event, detail, tool, '' FROM history ORDER BY seq` // format 2, read as it is
	}
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.At, &e.Event, &e.Detail, &e.Tool, &e.Interview); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func addHistory(tx *sql.Tx, event, detail string) error {
	_, err := tx.Exec(`INSERT INTO history (at, event, detail, tool) VALUES (?,?,?,?)`,
		time.Now().UTC().Format(time.RFC3339), event, detail, ToolVersion())
	return err
}

// hasWords reports whether the catalogue has the word accounting of
// format 3: an archive opened for writing is upgraded to it, but one read
// as it is (read-only, or by the upgrade's own tests) may be older.
func (a *Archive) hasWords() bool {
	if a.readOnly {
		return a.format >= 3
	}
	ok, err := a.hasColumn("tracks", "words_in")
	return err != nil || ok
}

// addInterviewHistory records an event that concerns one interview.
func addInterviewHistory(ctx context.Context, tx *sql.Tx, interview, event, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO history (at, event, detail, tool, interview) VALUES (?,?,?,?,?)`,
		time.Now().UTC().Format(time.RFC3339), event, detail, ToolVersion(), interview)
	return err
}

// ToolVersion names this build of recuerdo, as recorded in the history and
// in exports.
func ToolVersion() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	return strings.TrimSpace("recuerdo " + v + " (archive format " + strconv.Itoa(FormatVersion) + ")")
}
