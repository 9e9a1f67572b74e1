package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/recuerdo-archive/recuerdo/samples"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"recuerdo": func() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the end-to-end scripts in testdata/script against the
// real binary, each in a folder holding a copy of the samples.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("RECUERDO_ARCHIVE", filepath.Join(env.WorkDir, "archive"))
			env.Setenv("NO_COLOR", "1")
			shared, _ := filepath.Abs("../../../shared/testdata")
			env.Setenv("SHARED", shared)
			return os.CopyFS(filepath.Join(env.WorkDir, "samples"), samples.FS)
		},
		// [shared] holds when ../shared/testdata is there to read.
		Condition: func(cond string) (bool, error) {
			if cond != "shared" {
				return false, fmt.Errorf("unknown condition %q", cond)
			}
			_, err := os.Stat("../../../shared/testdata")
			return err == nil, nil
		},
	})
}

func TestSamplesAreEmbedded(t *testing.T) {
	n := 0
	fs.WalkDir(samples.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == "interview.yaml" {
			n++
		}
		return nil
	})
	if n < 3 {
		t.Errorf("got %d sample interviews, want at least 3", n)
	}
}
