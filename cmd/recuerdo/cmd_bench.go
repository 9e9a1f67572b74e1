package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/recuerdo-archive/recuerdo/index/bench"
	"github.com/recuerdo-archive/recuerdo/subtitles/lexicon"
)

type benchOptions struct {
	segments  int
	seed      uint64
	queries   int
	indexDir  string
	indexURL  string
	out       string
	noLexicon bool
}

func newBenchCmd(g *globals) *cobra.Command {
	var o benchOptions
	c := &cobra.Command{
		Use:   "bench",
		Short: "Measure the search index on a synthetic corpus, side by side with peers",
		Long: `Measure recuerdo's search index on a deterministic synthetic corpus whose
words come from the bundled samples, in Spanish and English.

'bench corpus DIR' writes DIR/corpus.jsonl and DIR/queries.jsonl (the
same size and seed give the same files); 'bench run DIR' indexes the
corpus, runs every query (top 10 hits with highlights and the exact
total) and prints build time, index size, peak memory and p50/p99 latency
per query class as JSON, in the shape ../shared/bench/peers.py prints for
SQLite FTS5 and Xapian on the same folder.

With --index-url the index is built on an OpenSearch cluster instead,
through the same batches and searched through the same queries; the
indices of the URL's prefix are deleted first and kept afterwards. The
JSON then has a "cluster" object: shards, replicas, documents, store
size (index stats API) and each node's CPU time, heap and, for a node on
this machine, resident memory.

Examples:
  recuerdo bench corpus /tmp/bench --segments 1000000
  recuerdo bench run /tmp/bench --out /tmp/bench/recuerdo.json
  recuerdo bench run /tmp/bench --index-url opensearch://127.0.0.1:9280/bench
  /usr/bin/python3 ../shared/bench/peers.py /tmp/bench --out /tmp/bench/peers.json`,
	}
	corpus := &cobra.Command{
		Use:   "corpus DIR",
		Short: "Write a synthetic corpus and its queries",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.segments < 1 || o.queries < 1 {
				return usageError{fmt.Errorf("--segments and --queries must be at least 1")}
			}
			if err := bench.WriteCorpus(args[0], bench.Config{Segments: o.segments, Seed: o.seed, Queries: o.queries}); err != nil {
				return err
			}
			if !g.quiet {
				fmt.Fprintf(g.stderr, "recuerdo: wrote %d segments and %d queries per class to %s\n", o.segments, o.queries, args[0])
			}
			return nil
		},
	}
	corpus.Flags().IntVar(&o.segments, "segments", 100_000, "segments in the corpus")
	corpus.Flags().Uint64Var(&o.seed, "seed", 1, "random seed")
	corpus.Flags().IntVar(&o.queries, "queries", 200, "queries per class")
	run := &cobra.Command{
		Use:   "run DIR",
		Short: "Index a corpus and time its queries",
		Args:  cobra.ExactArgs(1),
		RunE:  func(cmd *cobra.Command, args []string) error { return runBench(cmd.Context(), g, o, args[0]) },
	}
	run.Flags().StringVar(&o.indexDir, "index", "", "build the index here and keep it (default: a temporary folder)")
	run.Flags().StringVar(&o.indexURL, "index-url", "", "build the index on this OpenSearch cluster instead, opensearch://host:port/PREFIX (PREFIX's indices are deleted first)")
	run.MarkFlagsMutuallyExclusive("index", "index-url")
	run.Flags().StringVar(&o.out, "out", "", "also write the JSON result to this file")
	run.Flags().BoolVar(&o.noLexicon, "no-lexicon", false, "search the words as typed, without their translations from the installed dictionaries")
	c.AddCommand(corpus, run)
	return c
}

func runBench(ctx context.Context, g *globals, o benchOptions, dir string) error {
	opt := bench.RunOptions{IndexDir: o.indexDir, IndexURL: o.indexURL}
	if !o.noLexicon {
		// A corpus has no catalogue: its lexicon is what the installed
		// dictionaries give, as an archive's is before it learns.
		lx, err := benchLexicon()
		if err != nil {
			return err
		}
		opt.Lexicon = lx
	}
	tty := !g.quiet && isTerminal(g.stderr)
	if tty {
		opt.Progress = func(done, total int) {
			fmt.Fprintf(g.stderr, "\rindexing… %d%%", done*100/max(total, 1))
		}
	}
	res, err := bench.Run(ctx, dir, opt)
	if tty {
		fmt.Fprint(g.stderr, "\r"+strings.Repeat(" ", 20)+"\r")
	}
	if err != nil {
		return err
	}
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	fmt.Fprintln(g.stdout, string(b))
	if o.out != "" {
		return os.WriteFile(o.out, append(b, '\n'), 0o644)
	}
	return nil
}

// benchLexicon is the lexicon of the installed FreeDict dictionaries; nil
// when none is installed.
func benchLexicon() (*lexicon.Lexicon, error) {
	es, err := lexicon.ReadInstalled(0.5)
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, nil
	}
	lx := lexicon.New()
	lx.Add(es...)
	return lx, nil
}
