package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
	"github.com/recuerdo-archive/recuerdo/samples"
)

type demoOptions struct {
	dir string
}

// demoQueries show what search does: accents and plurals, a phrase, an
// English query with its Spanish twin, OR.
var demoQueries = []string{
	"autobuses",
	`"puerta azul"`,
	"grandmother blender",
	"mole OR gorditas",
}

func newDemoCmd(g *globals) *cobra.Command {
	var o demoOptions
	c := &cobra.Command{
		Use:   "demo",
		Short: "Build an archive from the bundled samples and search it",
		Long: `Build an archive from the sample interviews bundled with recuerdo (in a new
temporary folder unless --dir is given), align each translation, index
everything, run a few searches and check the result. The archive is kept,
so you can go on exploring it with the command the demo prints.

Example:
  recuerdo demo`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runDemo(cmd.Context(), g, o) },
	}
	c.Flags().StringVar(&o.dir, "dir", "", "build the demo archive here (default: a new temporary folder)")
	return c
}

func runDemo(ctx context.Context, g *globals, o demoOptions) error {
	dir := o.dir
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "recuerdo-demo-"); err != nil {
			return err
		}
	}
	srcDir := filepath.Join(dir, "samples")
	if err := os.CopyFS(srcDir, samples.FS); err != nil {
		return fmt.Errorf("unpack samples: %w", err)
	}
	archDir := filepath.Join(dir, "archive")
	w := g.stdout
	fmt.Fprintf(w, "recuerdo demo: building an archive from the bundled samples in %s\n\n", archDir)
	start := time.Now()
	a, err := archive.OpenOrCreate(archDir)
	if err != nil {
		return err
	}
	defer a.Close()
	entries, err := fs.ReadDir(samples.FS, ".")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		src, err := archive.LoadFolder(filepath.Join(srcDir, e.Name()))
		if err != nil {
			return err
		}
		res, err := a.Ingest(ctx, src)
		if err != nil {
			return err
		}
		printIngest(g, res)
	}
	ingested := time.Since(start)
	ix, err := index.OpenArchive(ctx, a, index.OpenOptions{What: "demo"})
	if err != nil {
		return err
	}
	defer ix.Close()
	indexed := time.Since(start) - ingested
	fmt.Fprintf(w, "\ningested and aligned in %s, indexed in %s\n", ingested.Round(time.Millisecond), indexed.Round(time.Millisecond))
	for _, q := range demoQueries {
		res, err := ix.Search(ctx, a, q, index.Options{Limit: 3, PerGroup: 2, Group: true, Audience: archive.Staff})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\n$ recuerdo search '%s'\n", q)
		printResults(w, res, useColor("auto", w), 0)
	}
	probs, err := a.Check(ctx)
	if err != nil {
		return err
	}
	ip, err := ix.Check(ctx, a)
	if err != nil {
		return err
	}
	probs = append(probs, ip...)
	fmt.Fprintln(w)
	for _, p := range probs {
		fmt.Fprintln(w, p)
	}
	if len(probs) > 0 {
		return problemsError{len(probs)}
	}
	fmt.Fprintln(w, "check: ok, catalogue, originals and index agree")
	printExplore(w, howInvoked(), archDir)
	return nil
}

// invocation is how the user started this recuerdo, to print commands
// that work from where they are.
type invocation struct {
	exe   string                       // os.Executable
	arg0  string                       // os.Args[0], as typed
	cwd   string                       // the working folder
	goRun bool                         // exe was built by go run, and is gone once it exits
	which func(string) (string, error) // exec.LookPath
}

func howInvoked() invocation {
	exe, _ := os.Executable()
	cwd, _ := os.Getwd()
	return invocation{exe: exe, arg0: os.Args[0], cwd: cwd, goRun: builtByGoRun(exe), which: exec.LookPath}
}

// builtByGoRun reports whether exe is a binary go run built: in Go's build
// cache (Go 1.24 and later) or in a go-build temporary folder (before).
func builtByGoRun(exe string) bool {
	s := filepath.ToSlash(exe)
	if strings.Contains(s, "/go-build") && strings.Contains(s, "/exe/") {
		return true
	}
	caches := []string{os.Getenv("GOCACHE")}
	if d, err := os.UserCacheDir(); err == nil {
		caches = append(caches, filepath.Join(d, "go-build"))
	}
	for _, c := range caches {
		if c != "" && strings.HasPrefix(exe, filepath.Clean(c)+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// command returns the words that run recuerdo from the user's folder, and
// a note when installing it would be simpler: "recuerdo" when one is on
// the PATH; under go run (a binary in Go's build cache, gone once it
// exits) "go run ./cmd/recuerdo", relative to the user's folder; else the
// path the user typed.
func (inv invocation) command() (cmd, note string) {
	if p, err := inv.which("recuerdo"); err == nil && p != "" {
		return "recuerdo", ""
	}
	if !inv.goRun {
		if strings.ContainsAny(inv.arg0, `/\`) {
			return shellQuote(inv.arg0), "" // ./recuerdo, bin/recuerdo: works from here
		}
		return shellQuote(inv.exe), ""
	}
	for dir := inv.cwd; dir != ""; {
		main := filepath.Join(dir, "cmd", "recuerdo")
		if _, err := os.Stat(filepath.Join(main, "cmd_demo.go")); err == nil {
			rel, err := filepath.Rel(inv.cwd, main)
			if err != nil {
				break
			}
			pkg := "./" + filepath.ToSlash(rel)
			if rel == "." {
				pkg = "."
			} else if strings.HasPrefix(rel, "..") {
				pkg = filepath.ToSlash(rel)
			}
			return "go run " + shellQuote(pkg), "(go run builds recuerdo each time; `go install " + shellQuote(pkg) + "` installs it once, in $(go env GOPATH)/bin, so that plain `recuerdo` works when that folder is on your PATH)"
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return "recuerdo", "(recuerdo is not on your PATH: in recuerdo's source folder, `go install ./cmd/recuerdo` installs it in $(go env GOPATH)/bin)"
}

// printExplore prints the commands to go on with the demo's archive.
func printExplore(w io.Writer, inv invocation, archDir string) {
	cmd, note := inv.command()
	run := cmd + " --archive " + shellQuote(archDir)
	fmt.Fprintf(w, "\nExplore it yourself:\n  %s list\n  %s show abuelo-autobus\n  %s search 'casa puerta azul'\n  %s serve --audience family    # the web page, at http://127.0.0.1:8080\n", run, run, run, run)
	if note != "" {
		fmt.Fprintf(w, "%s\n", note)
	}
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+:=@,", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
