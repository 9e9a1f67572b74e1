package lexicon

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadInstalled(t *testing.T) {
	// Two dictionaries under FreeDict's names, one broken, in a folder of their own.
	dir := t.TempDir()
	writeDict(t, dir, [][2]string{{"abuela", "abuela /aˈβwela/\ngrandmother\n"}})
	for _, ext := range []string{".dict", ".index"} {
		if err := os.Rename(filepath.Join(dir, "x"+ext), filepath.Join(dir, "freedict-spa-eng"+ext)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "freedict-eng-spa.dict"), []byte("bus\nautobús\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		dirs    []string
		want    string // the entries, From>To at weight
		wantErr bool
	}{
		{"one read, one without its index", []string{dir}, "es:abuela>en:grandmother@0.5", true},
		{"none installed", []string{t.TempDir()}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es, err := ReadInstalled(0.5, tt.dirs...)
			if (err != nil) != tt.wantErr {
				t.Errorf("error %v, want an error: %v", err, tt.wantErr)
			}
			var got []string
			for _, e := range es {
				got = append(got, e.FromLang+":"+e.From+">"+e.ToLang+":"+e.To+"@"+fmt.Sprint(e.Weight))
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("entries %q, want %q", g, tt.want)
			}
		})
	}
}
