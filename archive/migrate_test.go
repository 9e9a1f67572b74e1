package archive

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

var updateFixtures = flag.Bool("update-fixtures", false, "write the fixture archive of each released format in testdata (only for a new format: released fixtures never change)")

// fixtureFormats are the released formats with a fixture archive in
// testdata/format-N.
var fixtureFormats = []int{1, 2, 3, 4}

// fixtureSources is the invented content of every fixture archive: an
// interview for the family only with a sealed stretch and a replaced
// translation, and a public one.
func fixtureSources() []*Source {
	viajes := testSource("viajes")
	viajes.Interview.Access = Family
	viajes.Interview.Place = "Durango"
	viajes.Interview.Date = "1998-07-04"
	viajes.Interview.Media = []Media{{File: "viajes.mov", FPS: 23.976, StartTimecode: "01:00:00:00"}}
	viajes.Interview.Sealed = []Seal{{StartMS: 3500, EndMS: 6000, Until: "2045-01-01", Level: Staff, Reason: "a pedido de Ramón"}}
	fixed := testSource("viajes")
	fixed.HasMeta = false
	fixed.Files = []File{{Name: "en.srt", Lang: "en", Data: []byte(strings.Replace(enSRT, "kids", "children", 1))}}
	cocina := testSource("cocina")
	cocina.Interview.Title = "La cocina"
	cocina.Files = cocina.Files[:1]
	return []*Source{viajes, fixed, cocina}
}

// makeFixture writes an archive of the given format into dir with the
// migrations up to that format and today's ingest.
func makeFixture(t *testing.T, dir string, format int) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "objects", "sha256"), 0o755); err != nil {
		t.Fatal(err)
	}
	a, err := open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.upgrade(migrations, format); err != nil {
		t.Fatal(err)
	}
	for _, src := range fixtureSources() {
		if _, err := a.Ingest(context.Background(), src); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	a.Close()
	os.Remove(filepath.Join(dir, "lock"))
}

// copyFixture copies testdata/format-N into a temporary folder.
func copyFixture(t *testing.T, format int) string {
	t.Helper()
	src := filepath.Join("testdata", "format-"+strconv.Itoa(format))
	if *updateFixtures {
		os.RemoveAll(src)
		makeFixture(t, src, format)
	}
	dir := filepath.Join(t.TempDir(), "arch")
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatalf("copy fixture %s: %v", src, err)
	}
	return dir
}

func schemaOf(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, strings.Join(strings.Fields(strings.ReplaceAll(s, "IF NOT EXISTS ", "")), " "))
	}
	return out
}

func TestMigrationsAreOrdered(t *testing.T) {
	for i, m := range migrations {
		if m.to != i+1 {
			t.Errorf("migration %d goes to format %d, want %d", i, m.to, i+1)
		}
	}
	if got := migrations[len(migrations)-1].to; got != FormatVersion {
		t.Errorf("last migration goes to format %d, want FormatVersion %d", got, FormatVersion)
	}
	if fixtureFormats[len(fixtureFormats)-1] != FormatVersion-1 {
		t.Errorf("fixtures go up to format %d: keep one of format %d in testdata before raising FormatVersion to %d",
			fixtureFormats[len(fixtureFormats)-1], FormatVersion-1, FormatVersion)
	}
}

// TestUpgradeFromEachFormat opens a copy of each released format's fixture:
// the catalogue is upgraded in place to today's schema, a backup of the old
// one is kept, every interview (access, seals and replaced tracks
// included) is as it was, and check passes.
func TestUpgradeFromEachFormat(t *testing.T) {
	ctx := context.Background()
	fresh := newSQLiteArchive(t) // the fixtures are SQLite's; TestPostgresUpgradeFromEachFormat does PostgreSQL
	want := schemaOf(t, fresh.db)
	for _, format := range fixtureFormats {
		t.Run("format-"+strconv.Itoa(format), func(t *testing.T) {
			dir := copyFixture(t, format)
			old, err := open(dir)
			if err != nil {
				t.Fatal(err)
			}
			if v, _ := old.formatVersion(); int(v) != format {
				t.Fatalf("fixture has format %d, want %d", v, format)
			}
			before, err := old.snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			old.Close()

			a, err := Open(dir)
			if err != nil {
				t.Fatalf("open format %d: %v", format, err)
			}
			defer a.Close()
			if v, _ := a.formatVersion(); v != FormatVersion {
				t.Errorf("got format %d after open, want %d", v, FormatVersion)
			}
			if got := schemaOf(t, a.db); !reflect.DeepEqual(got, want) {
				t.Errorf("upgraded schema differs from a new archive's:\ngot  %q\nwant %q", got, want)
			}
			after, err := a.snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(after, before) {
				t.Errorf("contents changed by the upgrade")
			}
			iv, err := a.Interview(ctx, "viajes", true)
			if err != nil {
				t.Fatal(err)
			}
			if iv.Access != Family || len(iv.Sealed) != 1 || iv.Sealed[0].Level != Staff || iv.Sealed[0].Until != "2045-01-01" {
				t.Errorf("got access %v seals %+v, want family with one staff seal until 2045-01-01", iv.Access, iv.Sealed)
			}
			if probs, err := a.Check(ctx); err != nil || len(probs) > 0 {
				t.Errorf("check after upgrade: %v %v", probs, err)
			}
			hist, err := a.History(ctx)
			if err != nil || len(hist) == 0 || hist[len(hist)-1].Event != "upgrade" || !strings.Contains(hist[len(hist)-1].Detail, "catalogue.db.bak-v"+strconv.Itoa(format)) {
				t.Errorf("got history %+v %v, want an upgrade naming the backup", hist, err)
			}
			// The backup is the old catalogue, still readable as that format.
			bak, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "catalogue.db.bak-v"+strconv.Itoa(format))+"?mode=ro")
			if err != nil {
				t.Fatal(err)
			}
			defer bak.Close()
			var v string
			if err := bak.QueryRow(`SELECT value FROM meta WHERE key = 'format_version'`).Scan(&v); err != nil || v != strconv.Itoa(format) {
				t.Errorf("backup has format %q (%v), want %d", v, err, format)
			}
			// Opening again upgrades nothing and takes no second backup.
			a.Close()
			a2, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			a2.Close()
			baks, _ := filepath.Glob(filepath.Join(dir, "catalogue.db.bak-*"))
			if len(baks) != 1 {
				t.Errorf("got backups %v, want one", baks)
			}
		})
	}
}

// TestFailedUpgradeChangesNothing runs a migration that fails halfway: the
// catalogue stays at its format with its contents.
func TestFailedUpgradeChangesNothing(t *testing.T) {
	ctx := context.Background()
	dir := copyFixture(t, 1)
	a, err := open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	before, _ := a.snapshot(ctx)
	broken := append(migrations[:1:1], migration{2, "fails halfway", func(tx *sql.Tx) error {
		if _, err := tx.Exec(`CREATE TABLE half (x)`); err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM seals`); err != nil {
			return err
		}
		return errors.New("disk on fire")
	}})
	if err := a.upgrade(broken, 2); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("got %v, want the migration's error", err)
	}
	if v, _ := a.formatVersion(); v != 1 {
		t.Errorf("got format %d, want 1", v)
	}
	var n int
	a.db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'half'`).Scan(&n)
	after, _ := a.snapshot(ctx)
	if n != 0 || !reflect.DeepEqual(after, before) {
		t.Errorf("a failed migration left changes behind")
	}
}

// TestOpenNewerFormatChangesNothing: an archive from a newer recuerdo is
// refused with a clear message and not a byte of its catalogue changes.
func TestOpenNewerFormatChangesNothing(t *testing.T) {
	a := newArchive(t)
	if _, err := a.db.Exec(`UPDATE meta SET value = '99' WHERE key = 'format_version'`); err != nil {
		t.Fatal(err)
	}
	a.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	a.Close()
	cat := filepath.Join(a.Dir(), catalogueName)
	before, _ := os.ReadFile(cat)
	_, err := Open(a.Dir())
	if !errors.Is(err, ErrNewerFormat) || !strings.Contains(err.Error(), "format 99") || !strings.Contains(err.Error(), "newer recuerdo") {
		t.Errorf("got %v, want ErrNewerFormat naming format 99", err)
	}
	after, _ := os.ReadFile(cat)
	if !bytes.Equal(before, after) {
		t.Errorf("the refused catalogue changed")
	}
	baks, _ := filepath.Glob(filepath.Join(a.Dir(), "catalogue.db.bak-*"))
	if len(baks) != 0 {
		t.Errorf("got backups %v, want none", baks)
	}
}

func TestFixtureIsSmall(t *testing.T) {
	for _, f := range fixtureFormats {
		var size int64
		filepath.WalkDir(filepath.Join("testdata", "format-"+strconv.Itoa(f)), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				fi, _ := d.Info()
				size += fi.Size()
			}
			return nil
		})
		if size == 0 || size > 256<<10 {
			t.Errorf("fixture format-%d is %d bytes, want some and under 256 KiB", f, size)
		}
	}
}
