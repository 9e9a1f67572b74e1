package archive

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestConfig(t *testing.T) {
	for _, tt := range []struct {
		name  string
		file  string // "" : no file
		want  Config
		error string // in the error, "" for none
	}{
		{name: "no file", want: Config{}},
		{name: "empty file", file: "\n", want: Config{}},
		{name: "defaults named", file: "catalogue: sqlite\nindex: bleve\n", want: Config{Catalogue: "sqlite", Index: "bleve"}},
		{name: "institution", file: "catalogue: postgres://rec:secret@127.0.0.1:5432/recuerdo\nindex: opensearch://127.0.0.1:9200,127.0.0.1:9201/oral-history\noriginals: /srv/originals\n",
			want: Config{Catalogue: "postgres://rec:secret@127.0.0.1:5432/recuerdo", Index: "opensearch://127.0.0.1:9200,127.0.0.1:9201/oral-history", Originals: "/srv/originals"}},
		{name: "unknown field", file: "catalog: sqlite\n", error: "field catalog not found"},
		{name: "bad catalogue, password hidden", file: "catalogue: mysql://rec:secret@h/db\n", error: "mysql://rec:xxxxx@h/db"},
		{name: "index without prefix", file: "index: opensearch://127.0.0.1:9200\n", error: "want bleve or opensearch://"},
		{name: "index prefix upper case", file: "index: opensearch://127.0.0.1:9200/Archivo\n", error: "prefix: lower-case"},
		{name: "relative originals", file: "originals: shared/objects\n", error: "want an absolute path"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.file != "" {
				os.WriteFile(filepath.Join(dir, ConfigName), []byte(tt.file), 0o644)
			}
			got, err := ReadConfig(dir)
			if tt.error != "" {
				if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tt.error) {
					t.Fatalf("got %v, want an ErrConfig saying %q", err, tt.error)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Errorf("the error repeats the password: %v", err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %+v %v, want %+v", got, err, tt.want)
			}
			// What WriteConfig writes reads back the same.
			if err := WriteConfig(dir, got); err != nil {
				t.Fatal(err)
			}
			if again, err := ReadConfig(dir); err != nil || !reflect.DeepEqual(again, got) {
				t.Errorf("written and read again: %+v %v", again, err)
			}
		})
	}
}

func TestConfigOpenSearch(t *testing.T) {
	c := Config{Index: "opensearchs://a.example:9200,b.example:9200/recuerdo_1"}
	nodes, prefix, err := c.OpenSearch()
	if err != nil || !reflect.DeepEqual(nodes, []string{"https://a.example:9200", "https://b.example:9200"}) || prefix != "recuerdo_1" {
		t.Errorf("got %v %q %v", nodes, prefix, err)
	}
	if (Config{}).PostgreSQL() || !(Config{Catalogue: "postgres://h/db"}).PostgreSQL() {
		t.Error("PostgreSQL()")
	}
}

func TestWriteConfigKeepsPasswordsPrivate(t *testing.T) {
	tests := []struct {
		c    Config
		want os.FileMode
	}{
		{Config{Catalogue: "postgres://u:secret@db:5432/r"}, 0o600},
		{Config{Catalogue: "postgres://u@db:5432/r"}, 0}, // as a plain create makes it
		{Config{Originals: "/srv/originals"}, 0},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		if err := WriteConfig(dir, tt.c); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(filepath.Join(dir, ConfigName))
		if err != nil {
			t.Fatal(err)
		}
		if tt.want != 0 && fi.Mode().Perm() != tt.want {
			t.Errorf("%+v: mode %v, want %v", tt.c, fi.Mode().Perm(), tt.want)
		}
		if got, err := ReadConfig(dir); err != nil || got != tt.c {
			t.Errorf("ReadConfig = %+v, %v; want %+v", got, err, tt.c)
		}
	}
}
