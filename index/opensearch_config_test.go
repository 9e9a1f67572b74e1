package index

import (
	"errors"
	"strings"
	"testing"

	"github.com/recuerdo-archive/recuerdo/archive"
)

// TestOpenSearchURL reads the index URL's shape and credentials without a
// cluster: shards and replicas from its query, the user and password
// passed to the client and never shown.
func TestOpenSearchURL(t *testing.T) {
	for _, tt := range []struct {
		index    string
		shards   int
		replicas string
		err      bool
	}{
		{"opensearch://127.0.0.1:9200/arch", 1, "", false},
		{"opensearch://a:9200,b:9200/arch?shards=6&replicas=1", 6, "1", false},
		{"opensearch://a:9200/arch?replicas=0", 1, "0", false},
		{"opensearch://a:9200/arch?shards=0", 0, "", true},
		{"opensearch://a:9200/arch?shard=2", 0, "", true},
		{"opensearch://a:9200/arch?replicas=x", 0, "", true},
	} {
		shards, replicas, err := osShape(tt.index)
		if (err != nil) != tt.err || err != nil && !errors.Is(err, archive.ErrConfig) || shards != tt.shards || replicas != tt.replicas {
			t.Errorf("%s: got %d %q %v, want %d %q error %v", tt.index, shards, replicas, err, tt.shards, tt.replicas, tt.err)
		}
	}
	ix, err := dialOpenSearch(archive.Config{Index: "opensearchs://bob:s3cret@db.example.org:9200/arch?shards=2"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(ix.url, "s3cret") || strings.Contains(ix.url, "bob") || ix.prefix != "arch" || ix.shards != 2 || ix.searchType() == "" {
		t.Errorf("dialled %+v", ix)
	}
}
