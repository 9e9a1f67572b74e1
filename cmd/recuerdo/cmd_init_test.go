package main

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/recuerdo-archive/recuerdo/samples"
)

// TestInitPostgres is the README's session on a PostgreSQL catalogue
// (RECUERDO_TEST_POSTGRES, in a schema of its own): init on two machines,
// ingest on one, search, check and export on the other, import into a
// third, with the originals in a shared folder.
func TestInitPostgres(t *testing.T) {
	base := os.Getenv("RECUERDO_TEST_POSTGRES")
	if base == "" {
		t.Skip("RECUERDO_TEST_POSTGRES is not set: start a server with deploy/postgres/run start and set it to the URL it prints")
	}
	catalogue := func(string) string { return pgSchema(t) }
	work := t.TempDir()
	if err := os.CopyFS(filepath.Join(work, "samples"), samples.FS); err != nil {
		t.Fatal(err)
	}
	recuerdo := func(want int, args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb); code != want {
			t.Fatalf("recuerdo %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out.String(), errb.String())
		}
		return out.String() + errb.String()
	}
	pg := catalogue("main")
	u, _ := url.Parse(pg)
	password, _ := u.User.Password()
	shared := filepath.Join(work, "shared")
	one, two := filepath.Join(work, "one"), filepath.Join(work, "two")

	out := recuerdo(0, "--archive", one, "init", "--catalogue", pg, "--originals", shared)
	if !strings.Contains(out, "created archive") || password != "" && strings.Contains(out, ":"+password+"@") {
		t.Errorf("init on the first machine said\n%s\nwant created, without the password", out)
	}
	out = recuerdo(0, "--archive", two, "init", "--catalogue", pg, "--originals", shared)
	if !strings.Contains(out, "joined archive") {
		t.Errorf("init on the second machine said\n%s\nwant joined", out)
	}
	recuerdo(0, "--archive", one, "ingest", filepath.Join(work, "samples"))
	if _, err := os.Stat(filepath.Join(one, "catalogue.db")); !os.IsNotExist(err) {
		t.Errorf("the first machine's folder holds a catalogue.db (%v)", err)
	}
	out = recuerdo(0, "--archive", two, "search", "--facets=false", "autobus")
	if !strings.Contains(out, "7 match(es) in 1 interview(s) for autobus") {
		t.Errorf("search on the second machine:\n%s", out)
	}
	out = recuerdo(0, "--archive", two, "check")
	if !strings.Contains(out, "ok: 3 interview(s)") {
		t.Errorf("check on the second machine:\n%s", out)
	}
	export := filepath.Join(work, "export.tar")
	recuerdo(0, "--archive", two, "export", export)
	three := filepath.Join(work, "three")
	recuerdo(0, "--archive", three, "init", "--catalogue", catalogue("imported"))
	recuerdo(0, "--archive", three, "import", export)
	out = recuerdo(0, "--archive", three, "check")
	if !strings.Contains(out, "ok: 3 interview(s)") {
		t.Errorf("check after import:\n%s", out)
	}
	out = recuerdo(0, "--archive", three, "search", "--facets=false", "autobus")
	if !strings.Contains(out, "7 match(es) in 1 interview(s) for autobus") {
		t.Errorf("search after import:\n%s", out)
	}
}
