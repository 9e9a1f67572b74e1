package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/recuerdo-archive/recuerdo/samples"
)

// TestServeOnNetwork runs the real binary on every interface (--addr
// :0): it warns on standard error who can see what, and its Host and
// Origin check still refuses names other than this computer's own and
// those given with --allow-host.
func TestServeOnNetwork(t *testing.T) {
	bin, err := exec.LookPath("recuerdo") // the test binary, put on PATH by testscript.Main
	if err != nil {
		t.Skip("recuerdo is not on PATH")
	}
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "samples"), samples.FS); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "RECUERDO_ARCHIVE="+filepath.Join(dir, "archive"), "NO_COLOR=1")
	ing := exec.Command(bin, "ingest", "samples/abuelo-autobus")
	ing.Dir, ing.Env = dir, env
	if out, err := ing.CombinedOutput(); err != nil {
		t.Fatalf("ingest: %v: %s", err, out)
	}
	srv := exec.Command(bin, "serve", "--addr", ":0", "--audience", "family", "--allow-host", "Archivo.Test")
	srv.Dir, srv.Env = dir, env
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := srv.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed nothing: %v", err)
	}
	go io.Copy(io.Discard, stdout)
	port := regexp.MustCompile(`:([0-9]+) for the family audience`).FindStringSubmatch(line)
	if port == nil {
		t.Fatalf("serve printed %q, want its address", line)
	}
	er := bufio.NewReader(stderr)
	var warning string
	for range 2 {
		l, _ := er.ReadString('\n')
		warning += l
	}
	go io.Copy(io.Discard, er)
	for _, want := range []string{"warning:", "reachable from the network", "anyone who can reach this computer can read what the family audience may see", "Archivo.Test", "--allow-host"} {
		if !strings.Contains(warning, want) {
			t.Errorf("warning lacks %q:\n%s", want, warning)
		}
	}
	host, _ := os.Hostname()
	tests := []struct {
		host, origin string
		want         int
	}{
		{"127.0.0.1:" + port[1], "", 200},
		{"localhost:" + port[1], "", 200},
		{"archivo.test:" + port[1], "", 200},
		{"ARCHIVO.TEST", "http://archivo.test:" + port[1], 200},
		{strings.ToLower(host) + ":" + port[1], "", 200},
		{"evil.example:" + port[1], "", 403},
		{"127.0.0.1:" + port[1], "http://evil.example", 403},
		{"127.0.0.1:" + port[1], "null", 403},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest("GET", "http://127.0.0.1:"+port[1]+"/api/search?q=autobus", nil)
		req.Host = tt.host
		if tt.origin != "" {
			req.Header.Set("Origin", tt.origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("Host %s, Origin %q: got %d, want %d", tt.host, tt.origin, resp.StatusCode, tt.want)
		}
	}
	srv.Process.Signal(syscall.SIGINT)
	if err := srv.Wait(); err != nil {
		t.Errorf("serve did not stop cleanly: %v", err)
	}
}
