package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/samples"
)

// TestServeWhileIngesting runs the real binary: recuerdo serve holds the
// index while recuerdo ingest, in another process, adds an interview.
// Ingest succeeds at once, saying the server will pick it up; the server
// makes it searchable within seconds; search and reindex fail fast with
// exit code 4 naming the server; the server stops cleanly on Ctrl-C.
func TestServeWhileIngesting(t *testing.T) {
	bin, err := exec.LookPath("recuerdo") // the test binary, put on PATH by testscript.Main
	if err != nil {
		t.Skip("recuerdo is not on PATH")
	}
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "samples"), samples.FS); err != nil {
		t.Fatal(err)
	}
	arch := filepath.Join(dir, "archive")
	cmd := func(args ...string) *exec.Cmd {
		c := exec.Command(bin, args...)
		c.Dir = dir
		c.Env = append(os.Environ(), "RECUERDO_ARCHIVE="+arch, "NO_COLOR=1")
		return c
	}
	run := func(args ...string) (string, string, int) {
		var out, errb bytes.Buffer
		c := cmd(args...)
		c.Stdout, c.Stderr = &out, &errb
		err := c.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return out.String(), errb.String(), code
	}
	if _, e, code := run("ingest", "samples/abuelo-autobus"); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, e)
	}

	srv := cmd("serve", "--addr", "127.0.0.1:0", "--audience", "family")
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var serveErr bytes.Buffer
	srv.Stderr = &serveErr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed nothing: %v; stderr: %s", err, serveErr.String())
	}
	url := regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+`).FindString(line)
	if url == "" {
		t.Fatalf("serve printed %q, want its address", line)
	}
	go io.Copy(io.Discard, stdout)
	search := func(q string) string {
		resp, err := http.Get(url + "/api/search?q=" + q)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if got := search("puerta+azul"); strings.Contains(got, "casa-puerta-azul") {
		t.Fatalf("found before it was ingested: %s", got)
	}

	start := time.Now()
	out, e, code := run("ingest", "samples/casa-puerta-azul")
	took := time.Since(start)
	if code != 0 || !strings.Contains(out, "casa-puerta-azul: new interview") {
		t.Fatalf("ingest while serving: exit %d\n%s%s", code, out, e)
	}
	if !regexp.MustCompile(`the search index is open in a running recuerdo serve \(pid [0-9]+, http://[^)]+\), which will pick up the change`).MatchString(e) {
		t.Errorf("ingest did not say the server will pick it up: %s", e)
	}
	if took > 5*time.Second {
		t.Errorf("ingest took %s with the server running", took)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(search("puerta+azul"), `"interview":"casa-puerta-azul"`) {
		if time.Now().After(deadline) {
			t.Fatalf("not searchable in the running server 5 s after ingest; server said: %s", serveErr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("ingest took %s; searchable %s after it began", took.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))

	for _, args := range [][]string{{"search", "autobus"}, {"reindex"}} {
		start := time.Now()
		_, e, code := run(args...)
		if code != exitBusy {
			t.Errorf("%s while serving: got exit %d, want %d\n%s", args[0], code, exitBusy, e)
		}
		if !strings.Contains(e, "recuerdo serve (pid ") || !strings.Contains(e, url) {
			t.Errorf("%s while serving does not name the server: %s", args[0], e)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s took %s to give up", args[0], d)
		}
	}

	if err := srv.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := srv.Wait(); err != nil {
		t.Errorf("serve did not stop cleanly: %v\n%s", err, serveErr.String())
	}
	if _, err := os.Stat(filepath.Join(arch, "index.holder")); !os.IsNotExist(err) {
		t.Errorf("serve left its holder's note behind")
	}
	if out, e, code := run("check"); code != 0 {
		t.Errorf("check after serving: exit %d\n%s%s", code, out, e)
	}
	if out, _, _ := run("search", "--json", "puerta azul"); !strings.Contains(out, "casa-puerta-azul") {
		t.Errorf("search after serving: %s", out)
	}
}
