package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"time"
	"unicode/utf8"
)

// A Selection is a named list of moments kept in the catalogue, each with
// a note: a family's favourite moments or an editor's selects (they are
// the same thing). A moment is named by its interview and its stretch of
// time, which stay put when a track is ingested again. Who sees a
// selection's moments is decided when it is shown (View): a selection
// holds no text of its own beyond its title and notes.
//
// (An Interview's Collection is something else: the archival collection
// an interview belongs to.)
type Selection struct {
	ID      string          `json:"id"`
	Title   string          `json:"title"`
	Note    string          `json:"note,omitempty"`
	Created string          `json:"created"` // RFC 3339, UTC
	Updated string          `json:"updated"`
	Items   []SelectionItem `json:"items"`
}

// SelectionItem is one moment of a selection, in the selection's order.
type SelectionItem struct {
	Interview string `json:"interview"`
	StartMS   int64  `json:"start_ms"`
	EndMS     int64  `json:"end_ms"`
	Note      string `json:"note,omitempty"`
}

// Limits on a selection, so that one stays a page a person reads.
const (
	MaxSelectionItems = 1000
	maxSelectionTitle = 200
	maxSelectionNote  = 4000
)

var selectionID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// checkSelection says what is wrong with s, if anything.
func checkSelection(s *Selection) error {
	switch {
	case !selectionID.MatchString(s.ID):
		return fmt.Errorf("selection id %q: want 1 to 64 lower-case letters, digits and hyphens", s.ID)
	case s.Title == "" || utf8.RuneCountInString(s.Title) > maxSelectionTitle || !utf8.ValidString(s.Title):
		return fmt.Errorf("selection %s: the title must be 1 to %d characters of UTF-8", s.ID, maxSelectionTitle)
	case utf8.RuneCountInString(s.Note) > maxSelectionNote || !utf8.ValidString(s.Note):
		return fmt.Errorf("selection %s: the note must be at most %d characters of UTF-8", s.ID, maxSelectionNote)
	case len(s.Items) > MaxSelectionItems:
		return fmt.Errorf("selection %s: %d moments, more than the limit of %d", s.ID, len(s.Items), MaxSelectionItems)
	}
	for i, it := range s.Items {
		switch {
		case it.Interview == "":
			return fmt.Errorf("selection %s: moment %d: no interview", s.ID, i+1)
		case it.StartMS < 0 || it.EndMS < it.StartMS:
			return fmt.Errorf("selection %s: moment %d: times %d to %d ms are not a stretch", s.ID, i+1, it.StartMS, it.EndMS)
		case utf8.RuneCountInString(it.Note) > maxSelectionNote || !utf8.ValidString(it.Note):
			return fmt.Errorf("selection %s: moment %d: the note must be at most %d characters of UTF-8", s.ID, i+1, maxSelectionNote)
		}
	}
	return nil
}

// migrate5 adds selections: named lists of moments with notes.
func migrate5(tx *sql.Tx) error {
	for _, s := range []string{
		`CREATE TABLE IF NOT EXISTS selections (
		id TEXT PRIMARY KEY, title TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS selection_items (
		selection_id TEXT NOT NULL REFERENCES selections(id) ON DELETE CASCADE,
		seq INTEGER NOT NULL, interview_id TEXT NOT NULL,
		start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, note TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (selection_id, seq)) WITHOUT ROWID`,
	} {
		if _, err := tx.Exec(s); err != nil {
			return err
		}
	}
	return nil
}

// hasSelections reports whether the catalogue has the tables of format 5.
func (a *Archive) hasSelections() bool {
	if a.readOnly {
		return a.format >= 5
	}
	ok, err := a.hasTable("selections")
	return err != nil || ok
}

// Selections lists every selection with its moments, ordered by id.
func (a *Archive) Selections(ctx context.Context) ([]Selection, error) {
	if !a.hasSelections() {
		return []Selection{}, nil
	}
	return selections(ctx, a.db, "")
}

// Selection returns one selection with its moments, or ErrNotFound.
func (a *Archive) Selection(ctx context.Context, id string) (*Selection, error) {
	if !a.hasSelections() {
		return nil, fmt.Errorf("selection %s: %w", id, ErrNotFound)
	}
	list, err := selections(ctx, a.db, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("selection %s: %w", id, ErrNotFound)
	}
	return &list[0], nil
}

type rowsQueryer interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}

// selections reads the selections, or only the one named id.
func selections(ctx context.Context, q rowsQueryer, id string) ([]Selection, error) {
	where := ""
	var args []any
	if id != "" {
		where, args = " WHERE id = ?", []any{id}
	}
	rows, err := q.QueryContext(ctx, `SELECT id, title, note, created_at, updated_at FROM selections`+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("read selections: %w", err)
	}
	out := []Selection{}
	byID := map[string]int{}
	for rows.Next() {
		var s Selection
		if err := rows.Scan(&s.ID, &s.Title, &s.Note, &s.Created, &s.Updated); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read selections: %w", err)
		}
		s.Items = []SelectionItem{}
		byID[s.ID] = len(out)
		out = append(out, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read selections: %w", err)
	}
	where = ""
	if id != "" {
		where = " WHERE selection_id = ?"
	}
	rows, err = q.QueryContext(ctx, `SELECT selection_id, interview_id, start_ms, end_ms, note FROM selection_items`+where+` ORDER BY selection_id, seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("read selections: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sid string
		var it SelectionItem
		if err := rows.Scan(&sid, &it.Interview, &it.StartMS, &it.EndMS, &it.Note); err != nil {
			return nil, fmt.Errorf("read selections: %w", err)
		}
		if i, ok := byID[sid]; ok {
			out[i].Items = append(out[i].Items, it)
		}
	}
	return out, rows.Err()
}

// SaveSelection writes s whole (title, note and moments, in order),
// creating it or replacing the selection of the same id, under the
// archive's write lock, in one transaction.
func (a *Archive) SaveSelection(ctx context.Context, s *Selection) error {
	if err := checkSelection(s); err != nil {
		return fmt.Errorf("save %w", err)
	}
	if a.readOnly {
		return fmt.Errorf("save selection %s: %w", s.ID, ErrReadOnly)
	}
	lock, err := a.Lock("selection "+s.ID, a.LockWait())
	if err != nil {
		return fmt.Errorf("save selection %s: %w", s.ID, err)
	}
	defer lock.Unlock()
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save selection %s: %w", s.ID, err)
	}
	defer tx.Rollback()
	now := time.Now().UTC().Format(time.RFC3339)
	if s.Created == "" {
		s.Created = now
		var created string
		if err := tx.QueryRowContext(ctx, `SELECT created_at FROM selections WHERE id = ?`, s.ID).Scan(&created); err == nil {
			s.Created = created
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("save selection %s: %w", s.ID, err)
		}
	}
	s.Updated = now
	if err := putSelection(ctx, tx, s); err != nil {
		return fmt.Errorf("save selection %s: %w", s.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save selection %s: %w", s.ID, err)
	}
	return nil
}

// putSelection replaces the selection s.ID with s in tx.
func putSelection(ctx context.Context, tx *sql.Tx, s *Selection) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM selection_items WHERE selection_id = ?`, s.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO selections (id, title, note, created_at, updated_at) VALUES (?,?,?,?,?)
		ON CONFLICT (id) DO UPDATE SET title = excluded.title, note = excluded.note, updated_at = excluded.updated_at`,
		s.ID, s.Title, s.Note, s.Created, s.Updated); err != nil {
		return err
	}
	for i, it := range s.Items {
		if _, err := tx.ExecContext(ctx, `INSERT INTO selection_items (selection_id, seq, interview_id, start_ms, end_ms, note) VALUES (?,?,?,?,?,?)`,
			s.ID, i+1, it.Interview, it.StartMS, it.EndMS, it.Note); err != nil {
			return err
		}
	}
	return nil
}

// DeleteSelection removes a selection and its moments; ErrNotFound when
// there is none.
func (a *Archive) DeleteSelection(ctx context.Context, id string) error {
	if a.readOnly {
		return fmt.Errorf("delete selection %s: %w", id, ErrReadOnly)
	}
	lock, err := a.Lock("selection "+id, a.LockWait())
	if err != nil {
		return fmt.Errorf("delete selection %s: %w", id, err)
	}
	defer lock.Unlock()
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete selection %s: %w", id, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM selection_items WHERE selection_id = ?`, id); err != nil {
		return fmt.Errorf("delete selection %s: %w", id, err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM selections WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete selection %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("delete selection %s: %w", id, ErrNotFound)
	}
	return tx.Commit()
}

// checkSelections lists, as problems for Check, the selections that
// break their limits and their moments that name an interview the
// catalogue does not hold.
func checkSelections(ctx context.Context, a *Archive) ([]Problem, error) {
	list, err := a.Selections(ctx)
	if err != nil {
		return nil, err
	}
	var probs []Problem
	for _, s := range list {
		if err := checkSelection(&s); err != nil {
			probs = append(probs, Problem{What: "selection", Subject: s.ID, Msg: err.Error()})
		}
		for i, it := range s.Items {
			var n int
			if err := a.db.QueryRowContext(ctx, `SELECT count(*) FROM interviews WHERE id = ?`, it.Interview).Scan(&n); err != nil {
				return nil, err
			}
			if n == 0 {
				probs = append(probs, Problem{What: "selection", Subject: s.ID,
					Msg: fmt.Sprintf("moment %d names interview %s, which the archive does not hold", i+1, it.Interview)})
			}
		}
	}
	return probs, nil
}
