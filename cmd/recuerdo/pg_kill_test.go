package main

import (
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"
)

// The PostgreSQL catalogue's tests of the command (RECUERDO_TEST_POSTGRES).

// initArchive makes an empty archive in arch for the kill tests: the
// embedded one, or, with RECUERDO_TEST_CATALOGUE=postgres, one whose
// catalogue is a fresh schema of the PostgreSQL at RECUERDO_TEST_POSTGRES
// (dropped when the test ends), so the same kills run on PostgreSQL.
func initArchive(t *testing.T, bin, arch string) {
	t.Helper()
	args := []string{"init"}
	if os.Getenv("RECUERDO_TEST_CATALOGUE") == "postgres" {
		args = append(args, "--catalogue", pgSchema(t))
	}
	if out, err := recuerdo(t, bin, arch, args...); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
}

// pgSchema creates a schema of its own on RECUERDO_TEST_POSTGRES and
// returns the URL that puts an archive's catalogue there.
func pgSchema(t *testing.T) string {
	t.Helper()
	base := os.Getenv("RECUERDO_TEST_POSTGRES")
	if base == "" {
		t.Fatal("RECUERDO_TEST_CATALOGUE=postgres needs RECUERDO_TEST_POSTGRES (deploy/postgres/run start prints it)")
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	schema := fmt.Sprintf("t_cmd_%d", time.Now().UnixNano())
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
