package archive

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindSources(t *testing.T) {
	top := t.TempDir()
	yaml := func(id string) string { return "id: " + id + "\ntitle: T\nlanguage: es\n" }
	writeTree(t, top, map[string]string{
		// A folder of interview folders, one broken, one not an interview.
		"lote/b-dos/interview.yaml": yaml("dos"),
		"lote/b-dos/es.srt":         esSRT,
		"lote/a-uno/interview.yaml": yaml("uno"),
		"lote/a-uno/es.srt":         esSRT,
		"lote/c-mal/interview.yaml": "id: mal\ntitle: T\nlanguage: es\nnarator: x\n",
		"lote/c-mal/es.srt":         esSRT,
		"lote/notas/leeme.txt":      "nada",
		"lote/suelto.srt":           esSRT,
		// One interview folder.
		"tio/interview.yaml": yaml("tio"),
		"tio/es.srt":         esSRT,
		"tio/en.srt":         enSRT,
		// A batch manifest with a bad row, and a CSV transcript.
		"batch/es.srt":   esSRT,
		"batch/lote.csv": "id,title,language,files\nbueno,Bueno,es,es.srt\nfalta,Falta,es,falta.srt\n",
		"batch/t.csv":    "start,end,speaker,text\n00:00:01,00:00:02,A,Hola\n",
		// Folders with no interview.
		"vacio/x/leeme.txt": "nada",
		"nada/leeme.txt":    "nada",
	})
	p := func(s string) string { return filepath.Join(top, filepath.FromSlash(s)) }
	tests := []struct {
		path    string
		ids     []string // the sources' interview IDs, in order
		failed  []string // the failures' origins
		wantErr error    // errors.Is the error; nil for none
	}{
		{path: "lote", ids: []string{"uno", "dos"}, failed: []string{"lote/c-mal"}},
		{path: "lote/a-uno", ids: []string{"uno"}},
		{path: "lote/a-uno/interview.yaml", ids: []string{"uno"}},
		{path: "tio", ids: []string{"tio"}},
		{path: "batch/lote.csv", ids: []string{"bueno"}, failed: []string{"batch/lote.csv"}},
		{path: "batch/t.csv", wantErr: ErrLooseFile},
		{path: "lote/suelto.srt", wantErr: ErrLooseFile},
		{path: "vacio", wantErr: ErrNoInterviews},
		{path: "nada", wantErr: ErrNoInterviews},
		{path: "falta", wantErr: fs.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			srcs, failed, err := FindSources(p(tt.path))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("FindSources(%s) error = %v, want %v", tt.path, err, tt.wantErr)
				}
				if !strings.HasPrefix(err.Error(), "ingest "+p(tt.path)+": ") {
					t.Errorf("error %q does not name the path first", err)
				}
				if srcs != nil || failed != nil {
					t.Errorf("FindSources(%s) = %d sources, %d failures with an error, want none", tt.path, len(srcs), len(failed))
				}
				return
			}
			if err != nil {
				t.Fatalf("FindSources(%s): %v", tt.path, err)
			}
			var ids []string
			for _, s := range srcs {
				ids = append(ids, s.Interview.ID)
			}
			if got, want := strings.Join(ids, " "), strings.Join(tt.ids, " "); got != want {
				t.Errorf("sources %q, want %q", got, want)
			}
			var origins []string
			for _, f := range failed {
				origins = append(origins, f.Origin)
				if f.Err == nil || f.Error() != f.Err.Error() || errors.Unwrap(f) != f.Err {
					t.Errorf("failure %s: Error/Unwrap do not give its Err %v", f.Origin, f.Err)
				}
			}
			var want []string
			for _, o := range tt.failed {
				want = append(want, p(o))
			}
			if got, want := strings.Join(origins, " "), strings.Join(want, " "); got != want {
				t.Errorf("failures from %q, want %q", got, want)
			}
		})
	}
}

func TestFindSourcesFailureReasons(t *testing.T) {
	top := t.TempDir()
	writeTree(t, top, map[string]string{
		"lote/mal/interview.yaml":  "id: mal\ntitle: T\nlanguage: es\nnarator: x\n",
		"lote/bien/interview.yaml": "id: bien\ntitle: T\nlanguage: es\n",
		"lote/bien/es.srt":         esSRT,
	})
	_, failed, err := FindSources(filepath.Join(top, "lote"))
	if err != nil {
		t.Fatal(err)
	}
	if len(failed) != 1 {
		t.Fatalf("%d failures, want 1", len(failed))
	}
	var se *SidecarError
	if !errors.As(failed[0], &se) || se.Line != 4 || !strings.Contains(se.Msg, "narator") {
		t.Errorf("failure %v, want the sidecar's unknown field on line 4", failed[0].Err)
	}
	// A folder whose only interview is broken gives the failure, not ErrNoInterviews.
	writeTree(t, top, map[string]string{"lote/bien/interview.yaml": "id: [\n"})
	srcs, failed, err := FindSources(filepath.Join(top, "lote"))
	if err != nil || len(srcs) != 0 || len(failed) != 2 {
		t.Errorf("FindSources = %d sources, %d failures, %v; want 0, 2, nil", len(srcs), len(failed), err)
	}
}
