package archive

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/recuerdo-archive/recuerdo/internal/atomicfile"
)

// Config says where an archive's parts live. The zero value is the
// embedded default: the catalogue in catalogue.db (SQLite), the index in
// index/ (bleve) and the originals in objects/, all in the archive's
// folder. An institution's archive names a PostgreSQL catalogue, an
// OpenSearch index and a shared folder of originals instead, and every
// machine that works on it has a folder holding only this file (and its
// own lock and notes).
//
// It is kept in ARCHIVE/archive.yaml, written by `recuerdo init` and read
// by every command; an archive without the file uses the defaults.
type Config struct {
	// Catalogue is "" (or "sqlite") for catalogue.db in the folder, or a
	// PostgreSQL URL: postgres://user:password@host:port/database?options.
	Catalogue string `yaml:"catalogue,omitempty" json:"catalogue,omitempty"`
	// Index is "" (or "bleve") for index/ in the folder, or an OpenSearch
	// cluster: opensearch://host:port[,host:port...]/PREFIX, where PREFIX
	// names this archive's indices (and their alias); opensearchs:// for
	// HTTPS.
	Index string `yaml:"index,omitempty" json:"index,omitempty"`
	// Originals is "" for objects/ in the folder, or a folder every
	// machine reaches at this path (a network share), holding objects/.
	Originals string `yaml:"originals,omitempty" json:"originals,omitempty"`
}

// ConfigName is the configuration's file in the archive's folder.
const ConfigName = "archive.yaml"

// ErrConfig marks a configuration that cannot be used.
var ErrConfig = errors.New("archive configuration")

// ReadConfig reads the configuration of the archive in dir; an archive
// without one has the zero Config.
func ReadConfig(dir string) (Config, error) {
	p := filepath.Join(dir, ConfigName)
	data, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return Config{}, nil
	}
	if err != nil {
		return Config{}, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) { // EOF: an empty file, the defaults
		return Config{}, fmt.Errorf("%w: %s: %v", ErrConfig, p, err)
	}
	if err := c.Validate(); err != nil {
		return Config{}, fmt.Errorf("%s: %w", p, err)
	}
	return c, nil
}

// WriteConfig writes c as the configuration of the archive in dir,
// replacing the file whole.
func WriteConfig(dir string, c Config) error {
	if err := c.Validate(); err != nil {
		return err
	}
	var b bytes.Buffer
	b.WriteString("# Where this archive's parts live (recuerdo init wrote it; README, \"Beyond one machine\").\n")
	enc := yaml.NewEncoder(&b)
	if err := enc.Encode(c); err != nil {
		return fmt.Errorf("%w: %v", ErrConfig, err)
	}
	enc.Close()
	if err := writeConfigFile(filepath.Join(dir, ConfigName), b.Bytes(), redact(c.Catalogue) != c.Catalogue); err != nil {
		return fmt.Errorf("write %s: %w", ConfigName, err)
	}
	return nil
}

// writeConfigFile replaces the configuration whole; one holding a
// password is readable by its owner only (a URL without one takes it
// from PGPASSWORD or ~/.pgpass instead).
func writeConfigFile(p string, data []byte, secret bool) error {
	f, err := atomicfile.Create(p)
	if err != nil {
		return err
	}
	if secret {
		if err := f.Chmod(0o600); err != nil {
			f.Abort()
			return err
		}
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
}

// Validate reports the first field that cannot be used, saying why; the
// password of a catalogue URL is never repeated in the message.
func (c Config) Validate() error {
	switch {
	case c.Catalogue == "" || c.Catalogue == "sqlite":
	default:
		u, err := url.Parse(c.Catalogue)
		if err != nil || u.Scheme != "postgres" && u.Scheme != "postgresql" || u.Host == "" {
			return fmt.Errorf("%w: catalogue %q: want sqlite or postgres://user:password@host:port/database", ErrConfig, redact(c.Catalogue))
		}
	}
	if c.Index != "" && c.Index != "bleve" {
		if _, _, err := c.OpenSearch(); err != nil {
			return err
		}
	}
	if c.Originals != "" && !filepath.IsAbs(c.Originals) {
		return fmt.Errorf("%w: originals %q: want an absolute path every machine reaches", ErrConfig, c.Originals)
	}
	return nil
}

// PostgreSQL reports whether the catalogue is a PostgreSQL database.
func (c Config) PostgreSQL() bool { return c.Catalogue != "" && c.Catalogue != "sqlite" }

// OpenSearch returns the cluster's addresses (http:// or https:// URLs)
// and the index prefix of an OpenSearch index; an error when Index names
// none.
func (c Config) OpenSearch() (nodes []string, prefix string, err error) {
	u, perr := url.Parse(c.Index)
	scheme := "http"
	switch {
	case perr != nil:
	case u.Scheme == "opensearch":
	case u.Scheme == "opensearchs":
		scheme = "https"
	default:
		perr = errors.New("bad scheme")
	}
	if perr == nil {
		prefix = strings.Trim(u.Path, "/")
		for _, h := range strings.Split(u.Host, ",") {
			if h = strings.TrimSpace(h); h != "" {
				nodes = append(nodes, scheme+"://"+h)
			}
		}
	}
	if perr != nil || len(nodes) == 0 || !validPrefix(prefix) {
		return nil, "", fmt.Errorf("%w: index %q: want bleve or opensearch://host:port[,host:port...]/prefix (prefix: lower-case letters, digits, - and _)", ErrConfig, c.Index)
	}
	return nodes, prefix, nil
}

// validPrefix reports whether p may begin OpenSearch index names.
func validPrefix(p string) bool {
	if p == "" || len(p) > 100 || p[0] == '-' || p[0] == '_' {
		return false
	}
	for _, r := range p {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// redact hides the password of a URL for messages.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Redacted returns c with the password of its catalogue URL hidden, for
// showing to people.
func (c Config) Redacted() Config {
	c.Catalogue = redact(c.Catalogue)
	return c
}
