package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/archive"
	"github.com/recuerdo-archive/recuerdo/index"
	"github.com/recuerdo-archive/recuerdo/web"
)

type serveOptions struct {
	addr       string
	audience   string
	media      []string
	poll       time.Duration
	allowHosts []string
	edit       bool
}

func newServeCmd(g *globals) *cobra.Command {
	var o serveOptions
	c := &cobra.Command{
		Use:   "serve",
		Short: "Open a web page where a family finds and reads its stories",
		Long: `Serve the archive as a local web page: one search box (Spanish or English,
accents and typos forgiven) with story cards, and each interview's
transcript in both languages side by side, with its recording where this
computer has it. Open the address it prints in a browser.

The page shows one audience's view, chosen here (--audience, default
public): interviews above it and sealed stretches never reach the browser,
and an interview with a seal in force has its recording withheld.

A recording that sat in the interview's folder at ingest is played from
where it was; others (or one whose folder has moved) are looked for by
name in the --media folders (as DIR/INTERVIEW/FILE or DIR/FILE).

While it runs, serve is the search index's only writer: run recuerdo
ingest in another terminal as usual, and the new interviews appear in the
page within a few seconds.

Examples:
  recuerdo serve
  recuerdo serve --audience family --media ~/entrevistas
  recuerdo serve --addr 0.0.0.0:8080       # other devices on the network too
  recuerdo serve --addr :8080 --allow-host archivo.casa.lan
  recuerdo serve --audience family --edit  # keep favourite moments from the page

Selections (a family's favourite moments, an editor's selects) are shown
at /s/, each as a page that plays its moments in order, prints and
exports for editing software; a selection shows only the moments the
audience may see. With --edit the page can also add moments (☆ beside a
line) and change selections; without it (the default) it changes
nothing.

Served on a loopback address (the default), the page answers only
requests that name this computer as localhost or 127.0.0.1, so a web
site visited in a browser here cannot reach it (DNS rebinding). Served
on the network (--addr :8080, 0.0.0.0:8080 or an address of this
computer), anyone who can reach this computer can read what the
audience may see; the page then answers requests naming this computer's
host name or one of its addresses, and the names given with
--allow-host (a name other devices use for it), and serve says so on
standard error.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runServe(cmd.Context(), g, o) },
	}
	f := c.Flags()
	f.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on (host:port; port 0 picks a free one)")
	f.StringVar(&o.audience, "audience", "public", "who is looking: public, family or staff")
	f.StringSliceVar(&o.media, "media", nil, "folder where recordings named by a relative path are (repeat for several)")
	f.DurationVar(&o.poll, "poll", time.Second, "how often to look for changes to the catalogue")
	f.BoolVar(&o.edit, "edit", false, "let the page keep moments in selections and change them (off by default)")
	f.StringSliceVar(&o.allowHosts, "allow-host", nil, "a name or address the page may be reached by besides this computer's own (repeat for several)")
	c.RegisterFlagCompletionFunc("audience", cobra.FixedCompletions([]string{"public", "family", "staff"}, cobra.ShellCompDirectiveNoFileComp))
	c.MarkFlagDirname("media")
	return c
}

func runServe(ctx context.Context, g *globals, o serveOptions) error {
	aud, err := archive.ParseAccess(o.audience)
	if err != nil {
		return usageError{err}
	}
	if o.poll < 100*time.Millisecond {
		return usageError{fmt.Errorf("--poll %s: want at least 100ms", o.poll)}
	}
	host, _, err := net.SplitHostPort(o.addr)
	if err != nil {
		return usageError{fmt.Errorf("--addr %q: %w", o.addr, err)}
	}
	a, err := archive.Open(g.archive)
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer ln.Close()
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	url := "http://" + ln.Addr().String()
	live, err := index.Serve(ctx, a, index.ServeOptions{OpenOptions: indexOptions(g, "serve"), URL: url, Audience: aud.String()})
	if err != nil {
		return err
	}
	defer live.Close()

	wo := web.Options{Audience: aud, MediaDirs: o.media, LocalOnly: isLoopback(host), AllowHosts: o.allowHosts, Edit: o.edit}
	if !wo.LocalOnly {
		wo.AllowHosts = append(machineNames(host), o.allowHosts...)
		fmt.Fprintf(g.stderr, "recuerdo: warning: %s is reachable from the network at %s: anyone who can reach this computer can read what the %s audience may see (%s)\n",
			a.Dir(), ln.Addr(), aud, audienceSees(aud))
		fmt.Fprintf(g.stderr, "recuerdo: warning: the page answers requests naming %s; add the names other devices use with --allow-host\n", strings.Join(wo.AllowHosts, ", "))
	}
	srv := web.New(a, live, wo)
	go live.Follow(ctx, o.poll, func(n int, err error) {
		if err != nil {
			fmt.Fprintf(g.stderr, "recuerdo: error: update search index: %v\n", err)
			return
		}
		g.note("search index updated for %d interview(s)", n)
	})
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute}
	if g.json {
		json.NewEncoder(g.stdout).Encode(map[string]any{"pid": os.Getpid(), "url": url, "audience": aud.String(), "since": time.Now().UTC().Truncate(time.Second)})
	} else {
		fmt.Fprintf(g.stdout, "serving %s at %s for the %s audience (Ctrl-C to stop)\n", a.Dir(), url, aud)
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shut); err != nil {
		return fmt.Errorf("serve: stop: %w", err)
	}
	g.note("stopped")
	return nil
}

// isLoopback reports whether a listening host is this computer's
// loopback interface only ("" and 0.0.0.0 are every interface).
func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return strings.EqualFold(host, "localhost") || ip != nil && ip.IsLoopback()
}

// machineNames are the names and addresses by which other devices may
// reach this computer: the host it listens on, its host name (and the
// name mDNS gives it, NAME.local), and the addresses of its interfaces.
func machineNames(listen string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		s = strings.ToLower(strings.TrimSuffix(s, "."))
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	if ip := net.ParseIP(listen); ip == nil || !ip.IsUnspecified() {
		add(listen)
	}
	if h, err := os.Hostname(); err == nil && h != "" {
		add(h)
		short, _, _ := strings.Cut(h, ".")
		add(short)
		add(short + ".local")
	}
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
				add(n.IP.String())
			}
		}
	}
	return out
}

// audienceSees says what an audience's view of the archive holds.
func audienceSees(aud archive.Access) string {
	switch aud {
	case archive.Public:
		return "the public interviews, their transcripts and recordings, without sealed stretches"
	case archive.Family:
		return "the public and family interviews, their transcripts and recordings, without stretches sealed from the family"
	}
	return "every interview, transcript and recording, sealed stretches included"
}
