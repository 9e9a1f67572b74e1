// Command recuerdo turns a folder of oral-history interviews (transcripts,
// subtitles in Spanish and English, metadata) into a searchable archive.
package main

import (
	"context"
	"io"
	"log"
	"os"
	"os/signal"
)

func main() {
	log.SetOutput(io.Discard) // go-astisub logs what it skips; recuerdo reports problems itself
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
