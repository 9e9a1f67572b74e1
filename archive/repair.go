package archive

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// RepairOptions adjusts Repair; the zero value repairs only what is derived.
type RepairOptions struct {
	// Force lets Repair remove the catalogue rows of tracks whose original
	// is missing. Without it no catalogue row is deleted. No original is
	// ever deleted, with or without it.
	Force bool
}

// RepairReport says what Repair did and what it could not do.
type RepairReport struct {
	Realigned     []string  `json:"realigned"`      // interviews whose alignments were recomputed
	RemovedTracks []string  `json:"removed_tracks"` // with Force: "interview/name" of tracks whose original was missing
	TempFiles     int       `json:"temp_files"`     // leftovers of interrupted writes removed
	Unrepaired    []Problem `json:"unrepaired"`     // what needs a person: damaged or missing originals, catalogue damage
}

// Repair rebuilds what the archive derives from its originals and
// catalogue: alignments whose references are broken are computed again,
// and leftovers of interrupted writes are removed. A damaged or missing
// original is reported, never deleted; with opts.Force, the catalogue rows
// of tracks whose original is missing are removed. Access levels and seals
// are never touched. The search index is repaired by package index.
func (a *Archive) Repair(ctx context.Context, opts RepairOptions) (*RepairReport, error) {
	lock, err := a.Lock("repair", LockWait)
	if err != nil {
		return nil, err
	}
	defer lock.Unlock()
	rep := &RepairReport{Realigned: []string{}, RemovedTracks: []string{}, Unrepaired: []Problem{}}
	if rep.TempFiles, err = a.removeTempFiles(); err != nil {
		return nil, fmt.Errorf("repair: %w", err)
	}
	probs, err := a.Check(ctx)
	if err != nil {
		return nil, err
	}
	broken := map[string]bool{}
	for _, p := range probs {
		switch p.What {
		case "alignment":
			broken[p.Subject] = true
		case "original":
			// Handled below, with the track's details.
		default:
			rep.Unrepaired = append(rep.Unrepaired, p)
		}
	}

	// Originals: missing ones may have their rows removed with Force;
	// damaged ones always stay, for a person to restore.
	type track struct {
		id            int64
		iv, name, sum string
	}
	rows, err := a.db.QueryContext(ctx, `SELECT id, interview_id, name, sha256 FROM tracks ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("repair: %w", err)
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
	var remove []track
	for _, t := range tracks {
		err := a.verifyObject(t.sum)
		switch {
		case err == nil:
		case errors.Is(err, fs.ErrNotExist) && opts.Force:
			remove = append(remove, t)
		case errors.Is(err, fs.ErrNotExist):
			rep.Unrepaired = append(rep.Unrepaired, Problem{What: "original", Subject: t.iv + "/" + t.name,
				Msg: fmt.Sprintf("original %s is missing: ingest the file again, or copy objects/sha256/%s/%s from a backup (or remove the track with --force)", t.sum[:12], t.sum[:2], t.sum)})
		default:
			rep.Unrepaired = append(rep.Unrepaired, Problem{What: "original", Subject: t.iv + "/" + t.name,
				Msg: fmt.Sprintf("original %s is damaged (%v); kept as it is: ingest the file again, or copy it from a backup", t.sum[:12], err)})
		}
	}

	if len(broken) == 0 && len(remove) == 0 {
		return rep, nil
	}
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	for _, t := range remove {
		if _, err := tx.ExecContext(ctx, `DELETE FROM tracks WHERE id = ?`, t.id); err != nil {
			return nil, fmt.Errorf("repair: remove track %s/%s: %w", t.iv, t.name, err)
		}
		if err := addHistory(tx, "repair", fmt.Sprintf("removed track %s/%s (id %d): its original %s was missing (--force)", t.iv, t.name, t.id, t.sum)); err != nil {
			return nil, err
		}
		rep.RemovedTracks = append(rep.RemovedTracks, t.iv+"/"+t.name)
		broken[t.iv] = true
	}
	ids := make([]string, 0, len(broken))
	for id := range broken {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		var language string
		if err := tx.QueryRowContext(ctx, `SELECT language FROM interviews WHERE id = ?`, id).Scan(&language); err != nil {
			return nil, fmt.Errorf("repair: interview %s: %w", id, err)
		}
		if _, err := realign(ctx, tx, id, language); err != nil {
			return nil, fmt.Errorf("repair: realign %s: %w", id, err)
		}
		// A new version makes the index take the interview again.
		if _, err := tx.ExecContext(ctx, `UPDATE interviews SET version = version + 1 WHERE id = ?`, id); err != nil {
			return nil, err
		}
		rep.Realigned = append(rep.Realigned, id)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'`); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("repair: %w", err)
	}
	return rep, nil
}

// removeTempFiles deletes what interrupted writes left behind: temporary
// originals that were never renamed into place, and unfinished catalogue
// backups. It never touches a stored original.
func (a *Archive) removeTempFiles() (int, error) {
	n := 0
	err := filepath.WalkDir(filepath.Join(a.dir, "objects"), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.IsDir() && strings.HasPrefix(d.Name(), ".tmp-") {
			if err := os.Remove(p); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	baks, _ := filepath.Glob(filepath.Join(a.dir, catalogueName+".bak-v*.tmp"))
	for _, p := range baks {
		if os.Remove(p) == nil {
			n++
		}
	}
	return n, err
}
