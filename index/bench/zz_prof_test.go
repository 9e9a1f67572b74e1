package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/recuerdo-archive/recuerdo/index"
)

// go test ./index/bench -run TestProfQueries -cpuprofile ... with PROF_DIR=/tmp/b1m PROF_INDEX=/tmp/ix1m
func TestProfQueries(t *testing.T) {
	dir, ixDir := os.Getenv("PROF_DIR"), os.Getenv("PROF_INDEX")
	if dir == "" {
		t.Skip()
	}
	qs, err := readQueries(filepath.Join(dir, "queries.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(ixDir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if os.Getenv("PROF_WAIT") != "" {
		time.Sleep(40 * time.Second)
	}
	only := os.Getenv("PROF_CLASS")
	type lq struct {
		d    time.Duration
		q    string
		hits uint64
	}
	for _, class := range Classes {
		if only != "" && class != only {
			continue
		}
		var lat []lq
		for rep := 0; rep < 2; rep++ {
			lat = lat[:0]
			for _, q := range qs {
				if q.Class != class {
					continue
				}
				text := searchText(q)
				st := time.Now()
				r, err := ix.Search(context.Background(), nil, text, index.Options{Limit: 10, Lang: q.Lang, Group: os.Getenv("PROF_GROUP") != "", Facets: os.Getenv("PROF_GROUP") != "", ByTime: os.Getenv("PROF_BYTIME") != ""})
				if err != nil {
					t.Fatal(err)
				}
				lat = append(lat, lq{time.Since(st), q.Lang + ":" + text, r.Total})
			}
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i].d < lat[j].d })
		n := len(lat)
		fmt.Printf("%-7s p50 %6.2f p99 %6.2f  slowest:", class, ms(lat[n/2].d), ms(lat[min(n-1, n*99/100)].d))
		for _, l := range lat[n-4:] {
			fmt.Printf(" %s(%d)=%.1f", l.q, l.hits, ms(l.d))
		}
		fmt.Println()
	}
}

func TestProfAdhoc(t *testing.T) {
	qs, ixDir := os.Getenv("PROF_Q"), os.Getenv("PROF_INDEX")
	if qs == "" {
		t.Skip()
	}
	ix, err := index.Open(ixDir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, q := range strings.Split(qs, "|") {
		for _, opt := range []index.Options{{}, {Group: true, Facets: true}, {ByTime: true}} {
			var best time.Duration
			var r *index.Results
			for i := 0; i < 3; i++ {
				st := time.Now()
				r, err = ix.Search(context.Background(), nil, q, opt)
				if err != nil {
					t.Fatal(err)
				}
				if d := time.Since(st); i == 0 || d < best {
					best = d
				}
			}
			fmt.Printf("%-40q group=%v bytime=%v total=%d partial=%v %.1f ms\n", q, opt.Group, opt.ByTime, r.Total, r.Partial, ms(best))
		}
	}
}
