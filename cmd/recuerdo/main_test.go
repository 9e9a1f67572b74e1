package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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
		// [shared] holds when ../shared/testdata is there to read;
		// [romount] when unshare can mount a folder read-only.
		Condition: func(cond string) (bool, error) {
			if cond == "romount" {
				return exec.Command("unshare", "-rm", "true").Run() == nil, nil
			}
			if cond != "shared" {
				return false, fmt.Errorf("unknown condition %q", cond)
			}
			_, err := os.Stat("../../../shared/testdata")
			return err == nil, nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){"mode": cmdMode},
	})
}

// cmdMode checks a file's permission bits: "mode FILE 0640", or
// "mode FILE new" for the mode a plain create (0666 less the umask) gives
// a new file (or folder) beside it.
func cmdMode(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: mode FILE PERM|new")
	}
	fi, err := os.Stat(ts.MkAbs(args[0]))
	ts.Check(err)
	var want fs.FileMode
	if args[1] == "new" {
		probe := ts.MkAbs(args[0] + ".probe")
		if fi.IsDir() {
			ts.Check(os.Mkdir(probe, 0o777))
		} else {
			f, err := os.OpenFile(probe, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o666)
			ts.Check(err)
			f.Close()
		}
		pi, err := os.Stat(probe)
		ts.Check(err)
		os.Remove(probe)
		want = pi.Mode().Perm()
	} else {
		n, err := strconv.ParseUint(args[1], 8, 32)
		ts.Check(err)
		want = fs.FileMode(n)
	}
	if got := fi.Mode().Perm(); (got == want) == neg {
		ts.Fatalf("%s: got mode %04o, want %s%04o", args[0], got, map[bool]string{true: "not ", false: ""}[neg], want)
	}
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
