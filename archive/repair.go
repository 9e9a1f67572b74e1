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
	// is missing, but never more at once than MaxForcedRemovals allows:
	// many missing originals more likely mean a disk that is not mounted
	// than files that are gone. No original is ever deleted.
	Force bool
	// RemoveTracks names tracks (by id) whose rows to remove, however
	// many: each must have its original missing.
	RemoveTracks []int64
}

// Errors Repair refuses with, changing nothing.
var (
	ErrNoOriginals       = errors.New("no originals")
	ErrTooManyRemovals   = errors.New("too many tracks to remove at once")
	ErrTrackNotRemovable = errors.New("track cannot be removed")
)

// MaxForcedRemovals is how many tracks Repair with Force removes at once
// from an archive of total tracks: a tenth of them, at least one and at
// most five. Past that, the tracks must be named (RemoveTracks).
func MaxForcedRemovals(total int) int { return min(5, max(1, total/10)) }

// RepairReport says what Repair did and what it could not do.
type RepairReport struct {
	Realigned     []string  `json:"realigned"`      // interviews whose alignments were recomputed
	RemovedTracks []string  `json:"removed_tracks"` // "interview/name" of tracks removed because their original was missing
	TempFiles     int       `json:"temp_files"`     // leftovers of interrupted writes removed
	Unrepaired    []Problem `json:"unrepaired"`     // what needs a person: damaged or missing originals, catalogue damage
}

// Repair rebuilds what the archive derives from its originals and
// catalogue: alignments whose references are broken are computed again,
// and leftovers of interrupted writes are removed. A damaged or missing
// original is reported, never deleted; with opts.Force, the catalogue rows
// of tracks whose original is missing are removed (a few at most; see
// MaxForcedRemovals), and with opts.RemoveTracks those of the tracks
// named. Access levels and seals are never touched. The search index is
// repaired by package index.
//
// When the catalogue has tracks but objects/ is missing or empty, Repair
// refuses outright with ErrNoOriginals: the disk holding the originals is
// most likely not mounted, and nothing should be decided from its absence.
func (a *Archive) Repair(ctx context.Context, opts RepairOptions) (*RepairReport, error) {
	lock, err := a.Lock("repair", a.LockWait())
	if err != nil {
		return nil, err
	}
	defer lock.Unlock()
	rep := &RepairReport{Realigned: []string{}, RemovedTracks: []string{}, Unrepaired: []Problem{}}

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
	if len(tracks) > 0 {
		has, err := a.hasObjects()
		if err != nil {
			return nil, fmt.Errorf("repair: %w", err)
		}
		if !has {
			return nil, fmt.Errorf("repair: %w: %s is missing or empty, but the catalogue has %d track(s): is the disk holding it mounted? Nothing was changed",
				ErrNoOriginals, a.objectsDir(), len(tracks))
		}
	}

	// Originals: missing ones may have their rows removed, within the
	// limit or when named; damaged ones always stay, for a person to restore.
	named := map[int64]bool{}
	for _, id := range opts.RemoveTracks {
		named[id] = true
	}
	var remove []track
	missingHint := func(t track) string {
		return fmt.Sprintf("original %s is missing: ingest the file again, or copy objects/sha256/%s/%s from a backup (or remove the track: --remove-track %d)", t.sum[:min(12, len(t.sum))], t.sum[:min(2, len(t.sum))], t.sum, t.id)
	}
	for _, t := range tracks {
		if len(t.sum) != 64 { // reported by Check; it can have no original
			if named[t.id] {
				remove = append(remove, t)
				delete(named, t.id)
			}
			continue
		}
		err := a.verifyObject(t.sum)
		switch {
		case err == nil && named[t.id]:
			return nil, fmt.Errorf("repair: %w: track %d (%s/%s) has its original: only a track whose original is missing is removed", ErrTrackNotRemovable, t.id, t.iv, t.name)
		case err == nil:
		case errors.Is(err, fs.ErrNotExist) && (named[t.id] || opts.Force && len(named) == 0):
			remove = append(remove, t)
		case errors.Is(err, fs.ErrNotExist):
			rep.Unrepaired = append(rep.Unrepaired, Problem{What: "original", Subject: t.iv + "/" + t.name, Msg: missingHint(t)})
		case named[t.id]:
			return nil, fmt.Errorf("repair: %w: track %d (%s/%s) has a damaged original (%v), kept for a person to restore", ErrTrackNotRemovable, t.id, t.iv, t.name, err)
		default:
			rep.Unrepaired = append(rep.Unrepaired, Problem{What: "original", Subject: t.iv + "/" + t.name,
				Msg: fmt.Sprintf("original %s is damaged (%v); kept as it is: ingest the file again, or copy it from a backup", t.sum[:12], err)})
		}
		delete(named, t.id)
	}
	for _, id := range opts.RemoveTracks {
		if named[id] {
			return nil, fmt.Errorf("repair: %w: there is no track %d", ErrTrackNotRemovable, id)
		}
	}
	if limit := MaxForcedRemovals(len(tracks)); len(opts.RemoveTracks) == 0 && len(remove) > limit {
		var ids []string
		for i, t := range remove {
			if i == 20 {
				ids = append(ids, "…")
				break
			}
			ids = append(ids, fmt.Sprintf("%d (%s/%s)", t.id, t.iv, t.name))
		}
		return nil, fmt.Errorf("repair: %w: %d of %d tracks have their original missing, and --force removes at most %d at once: is a disk or a folder of objects/ missing? Restore the originals, or name each track to remove with --remove-track ID: %s. Nothing was changed",
			ErrTooManyRemovals, len(remove), len(tracks), limit, strings.Join(ids, ", "))
	}

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
			// Handled above, with the track's details.
		default:
			rep.Unrepaired = append(rep.Unrepaired, p)
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
		how := "--force"
		if len(opts.RemoveTracks) > 0 {
			how = "--remove-track"
		}
		if err := addHistory(tx, "repair", fmt.Sprintf("removed track %s/%s (id %d): its original %s was missing (%s)", t.iv, t.name, t.id, t.sum, how)); err != nil {
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
		if _, err := realign(ctx, tx, a.pg != nil, id, language); err != nil {
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
// originals that were never renamed into place, the folder an import
// unpacks a tar into, and unfinished catalogue backups. It never touches a stored original.
func (a *Archive) removeTempFiles() (int, error) {
	n := 0
	err := filepath.WalkDir(a.objectsDir(), func(p string, d fs.DirEntry, err error) error {
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
	imports, _ := filepath.Glob(filepath.Join(a.dir, ".import-*"))
	for _, p := range imports {
		if os.RemoveAll(p) == nil {
			n++
		}
	}
	baks, _ := filepath.Glob(filepath.Join(a.dir, catalogueName+".bak-v*.tmp"))
	for _, p := range baks {
		if os.Remove(p) == nil {
			n++
		}
	}
	return n, err
}
