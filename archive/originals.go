package archive

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/recuerdo-archive/recuerdo/internal/atomicfile"
)

// originalsMark is the file beside an originals folder (objects/) that
// names the archive whose originals it holds. A catalogue on PostgreSQL is shared by every
// machine, and so must their originals be: a machine that joined with
// another --originals (or none) would store its originals where no other
// machine finds them, and find none of theirs.
const originalsMark = "originals-of-archive"

// checkOriginals makes sure a's originals folder is the archive's: the
// catalogue holds an id (made by the first machine), and the folder's
// mark must name it. A folder without a mark is marked, unless the
// archive already has originals and the folder not the first of them:
// that is refused, naming the folder, before anything is written there.
func (a *Archive) checkOriginals(ctx context.Context) error {
	id, err := a.archiveID(ctx)
	if err != nil || id == "" {
		return err
	}
	dir := a.objectsDir()
	mark := filepath.Join(filepath.Dir(dir), originalsMark)
	b, err := os.ReadFile(mark)
	switch {
	case err == nil && strings.TrimSpace(string(b)) == id:
		return nil
	case err == nil:
		return fmt.Errorf("%w: the originals folder %s belongs to another archive (%s; this one is %s): give --originals (archive.yaml) the share this archive's other machines use",
			ErrConfig, dir, strings.TrimSpace(string(b)), id)
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("originals folder: %w", err)
	}
	var n int
	if err := a.db.QueryRowContext(ctx, `SELECT count(*) FROM tracks`).Scan(&n); err != nil {
		return err
	}
	if n > 0 && !a.holdsAnOriginal(ctx) {
		return fmt.Errorf("%w: the originals folder %s holds none of this archive's originals (%d tracks in its catalogue): give --originals (archive.yaml) the share this archive's other machines use",
			ErrConfig, dir, n)
	}
	if a.readOnly {
		return nil
	}
	if err := os.MkdirAll(filepath.Join(dir, "sha256"), 0o755); err != nil {
		return fmt.Errorf("originals folder: %w", err)
	}
	return atomicfile.WriteFile(mark, []byte(id+"\n"))
}

// holdsAnOriginal reports whether the originals folder holds the first
// track's original: a folder an archive used before folders were marked
// is this archive's, and is marked.
func (a *Archive) holdsAnOriginal(ctx context.Context) bool {
	var sum string
	if err := a.db.QueryRowContext(ctx, `SELECT sha256 FROM tracks ORDER BY id LIMIT 1`).Scan(&sum); err != nil {
		return false
	}
	_, err := os.Stat(a.objectPath(sum))
	return err == nil
}

// archiveID is the archive's id in its catalogue, made on first need
// (every machine reads the one the first one stored); "" on a read-only
// archive that has none.
func (a *Archive) archiveID(ctx context.Context) (string, error) {
	var id string
	err := a.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'archive_id'`).Scan(&id)
	if err == nil || a.readOnly {
		return id, nil
	}
	b := make([]byte, 8)
	rand.Read(b)
	if _, err := a.db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('archive_id', ?) ON CONFLICT(key) DO NOTHING`, hex.EncodeToString(b)); err != nil {
		return "", fmt.Errorf("archive id: %w", err)
	}
	if err := a.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'archive_id'`).Scan(&id); err != nil {
		return "", fmt.Errorf("archive id: %w", err)
	}
	return id, nil
}
