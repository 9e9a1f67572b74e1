package archive

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// The catalogue on PostgreSQL. The archive keeps one code path, written
// for SQLite, through database/sql; a connector wrapping pgx's database/sql
// driver translates what differs (the dialect, below) so that both read
// and write the same rows:
//
//   - placeholders: ? becomes $1, $2, …;
//   - types: INTEGER is BIGINT (SQLite's are 64-bit), REAL is DOUBLE
//     PRECISION, BLOB is BYTEA; WITHOUT ROWID goes;
//   - a key declared INTEGER PRIMARY KEY gets, as in SQLite, one more
//     than the largest when it is not given (a trigger; see rowidKeys);
//   - INSERT OR REPLACE becomes an upsert on the table's key;
//   - booleans are written as 0 and 1, as SQLite stores them;
//   - every transaction first takes a transaction-scoped advisory lock,
//     as SQLite's BEGIN IMMEDIATE takes its write lock: writers, on any
//     machine, follow one another, so counters (the generation, versions,
//     the next key) never race.
//
// The catalogue's own questions (which tables there are, its integrity)
// are asked of pg_catalog and information_schema instead of sqlite_master
// and PRAGMAs, where the Archive's methods ask them (hasTable, hasColumn,
// pgIntegrity); ids come back through RETURNING, which both answer; and
// the many rows of a track go a few hundred an INSERT (rowWriter), as a
// round trip to a server costs what a row written to a local file does not.

// pgState is what an archive on PostgreSQL knows besides its connections.
type pgState struct {
	url    string // the catalogue's URL, password hidden, for messages
	schema string // the schema the archive lives in (the search_path's first)
	// Advisory lock keys, derived from the database and schema so that two
	// archives in one server do not hold each other up.
	txKey, writeKey int64
}

// lockTable keeps the holder of an archive's write lock where every
// machine can read it, for ErrBusy's message. It is not part of the
// catalogue's format: like SQLite's ARCHIVE/lock, it is the lock's.
const lockTable = "recuerdo_locks"

// openPostgres connects to the catalogue named by rawURL. With readOnly
// every transaction is read-only, so nothing can be written through it.
func openPostgres(ctx context.Context, rawURL string, readOnly bool) (*sql.DB, *pgState, error) {
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, nil, fmt.Errorf("open catalogue %s: %w", redact(rawURL), errors.New(redact(err.Error())))
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "recuerdo"
	}
	if readOnly {
		cfg.RuntimeParams["default_transaction_read_only"] = "on"
	}
	if cfg.RuntimeParams["lock_timeout"] == "" {
		// As SQLite's busy_timeout(10000): a transaction waits that long
		// for another's to end (the write lock, Lock, waits as long as asked).
		cfg.RuntimeParams["lock_timeout"] = "10s"
	}
	st := &pgState{url: redact(rawURL)}
	db := sql.OpenDB(&pgConnector{inner: stdlib.GetConnector(*cfg), st: st})
	var database string
	var schema sql.NullString
	if err := db.QueryRowContext(ctx, `SELECT current_database(), current_schema()`).Scan(&database, &schema); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("open catalogue %s: %w", st.url, err)
	}
	if !schema.Valid {
		db.Close()
		return nil, nil, fmt.Errorf("open catalogue %s: no schema of its search_path exists (create it, or name another)", st.url)
	}
	st.schema = schema.String
	st.txKey = advisoryKey(database, schema.String, "transaction")
	st.writeKey = advisoryKey(database, schema.String, "write")
	boundPool(db)
	return db, st, nil
}

// advisoryKey names one of an archive's advisory locks.
func advisoryKey(database, schema, what string) int64 {
	h := fnv.New64a()
	h.Write([]byte("recuerdo\x00" + database + "\x00" + schema + "\x00" + what))
	return int64(h.Sum64())
}

// ensureLockTable makes the table of lock holders if it is not there
// (asking first, so that a role that may not create tables opens an
// archive made by one that may).
func ensureLockTable(ctx context.Context, db *sql.DB) error {
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_name = '`+lockTable+`'`).Scan(&n)
	if err == nil && n > 0 {
		return nil
	}
	tx, err := db.BeginTx(ctx, nil) // serialised with other machines' by the transaction lock
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+lockTable+` (name TEXT PRIMARY KEY, holder TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create %s: %w", lockTable, err)
	}
	return tx.Commit()
}

// pgConnector hands out connections that speak the archive's dialect.
type pgConnector struct {
	inner driver.Connector
	st    *pgState
}

func (c *pgConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.inner.Connect(ctx)
	if err != nil {
		return nil, errors.New(redact(err.Error()))
	}
	return &pgConn{Conn: conn.(*stdlib.Conn), st: c.st}, nil
}

func (c *pgConnector) Driver() driver.Driver { return c.inner.Driver() }

// pgConn is one of pgx's connections with queries translated on the way in.
type pgConn struct {
	*stdlib.Conn
	st *pgState
}

func (c *pgConn) Prepare(query string) (driver.Stmt, error) {
	return c.Conn.Prepare(pgQuery(query))
}

func (c *pgConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, pgQuery(query))
}

func (c *pgConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, pgQuery(query), args)
}

func (c *pgConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, pgQuery(query), args)
}

func (c *pgConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx begins a transaction holding the archive's transaction lock,
// as SQLite's BEGIN IMMEDIATE does: released at commit or rollback.
func (c *pgConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := c.Conn.BeginTx(ctx, opts)
	if err != nil || opts.ReadOnly {
		return tx, err
	}
	if _, err := c.Conn.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, []driver.NamedValue{{Ordinal: 1, Value: c.st.txKey}}); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("begin transaction: %w", err)
	}
	return tx, nil
}

// CheckNamedValue turns arguments into the values SQLite would store:
// plain integers, floats, strings and bytes, with booleans as 0 and 1.
func (c *pgConn) CheckNamedValue(nv *driver.NamedValue) error {
	v, err := driver.DefaultParameterConverter.ConvertValue(nv.Value)
	if err != nil {
		return err
	}
	if b, ok := v.(bool); ok {
		v = int64(0)
		if b {
			v = int64(1)
		}
	}
	nv.Value = v
	return nil
}

// pgQueries caches translated queries: the archive asks few distinct ones.
var pgQueries sync.Map

// pgQuery translates a query of the archive's SQLite dialect to PostgreSQL's.
func pgQuery(q string) string {
	if v, ok := pgQueries.Load(q); ok {
		return v.(string)
	}
	out := rewritePG(q)
	if len(q) < 4096 { // not the many-row INSERTs of rowWriter: one of each size would stay
		pgQueries.Store(q, out)
	}
	return out
}

// upsertKeys are the keys INSERT OR REPLACE replaces on, by table.
var upsertKeys = map[string][]string{
	"lexicon":  {"from_lang", "from_word", "to_lang", "to_word"},
	"glossary": {"from_lang", "from_word", "to_lang", "to_word"},
}

var insertOr = regexp.MustCompile(`(?is)^\s*INSERT\s+OR\s+(REPLACE|IGNORE)\s+INTO\s+(\w+)\s*\(([^)]*)\)(.*)$`)

func rewritePG(q string) string {
	if m := insertOr.FindStringSubmatch(q); m != nil {
		table, cols, rest := m[2], m[3], strings.TrimSpace(m[4])
		conflict := " ON CONFLICT DO NOTHING"
		if strings.EqualFold(m[1], "REPLACE") {
			keys, ok := upsertKeys[table]
			if !ok {
				return q // an unknown table: PostgreSQL refuses it, loudly
			}
			var set []string
			for _, c := range strings.Split(cols, ",") {
				c = strings.TrimSpace(c)
				if !contains(keys, c) {
					set = append(set, c+" = excluded."+c)
				}
			}
			conflict = " ON CONFLICT (" + strings.Join(keys, ", ") + ") DO UPDATE SET " + strings.Join(set, ", ")
			if len(set) == 0 {
				conflict = " ON CONFLICT DO NOTHING"
			}
		}
		q = "INSERT INTO " + table + " (" + cols + ") " + rest + conflict
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(q) {
				if q[j] == c {
					if j+1 < len(q) && q[j+1] == c { // a doubled quote stays inside
						j += 2
						continue
					}
					break
				}
				j++
			}
			end := min(j+1, len(q))
			b.WriteString(q[i:end])
			i = end
		case c == '$' && i+1 < len(q) && q[i+1] == '$': // a function's body: kept as it is
			j := strings.Index(q[i+2:], "$$")
			end := len(q)
			if j >= 0 {
				end = i + 2 + j + 2
			}
			b.WriteString(q[i:end])
			i = end
		case c == '?':
			n++
			b.WriteString("$" + strconv.Itoa(n))
			i++
		case isWordByte(c):
			j := i
			for j < len(q) && isWordByte(q[j]) {
				j++
			}
			w := q[i:j]
			switch strings.ToUpper(w) {
			case "INTEGER":
				w = "BIGINT"
			case "REAL":
				w = "DOUBLE PRECISION"
			case "BLOB":
				w = "BYTEA"
			case "WITHOUT":
				if k := skipSpace(q, j); strings.EqualFold(wordAt(q, k), "ROWID") {
					w, j = "", k+len("ROWID")
				}
			}
			b.WriteString(w)
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return strings.TrimRight(b.String(), " \t\n")
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func skipSpace(q string, i int) int {
	for i < len(q) && (q[i] == ' ' || q[i] == '\t' || q[i] == '\n' || q[i] == '\r') {
		i++
	}
	return i
}

func wordAt(q string, i int) string {
	j := i
	for j < len(q) && isWordByte(q[j]) {
		j++
	}
	return q[i:j]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// rowidKeys are the keys that SQLite fills itself (INTEGER PRIMARY KEY:
// one more than the largest), by the migration that made them. On
// PostgreSQL a trigger does the same, so both number tracks, alignments
// and history alike; transactions follow one another (BeginTx), so two
// never pick the same number.
var rowidKeys = map[int][][2]string{
	1: {{"tracks", "id"}, {"alignments", "id"}},
	2: {{"history", "seq"}},
}

// pgAfterMigration gives the tables migration to made what SQLite gives
// them by itself.
func pgAfterMigration(tx *sql.Tx, to int) error {
	for _, k := range rowidKeys[to] {
		table, col := k[0], k[1]
		fn := "recuerdo_next_" + table + "_" + col
		for _, s := range []string{
			`CREATE OR REPLACE FUNCTION ` + fn + `() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.` + col + ` IS NULL THEN
		SELECT coalesce(max(` + col + `), 0) + 1 INTO NEW.` + col + ` FROM ` + table + `;
	END IF;
	RETURN NEW;
END $$`,
			`DROP TRIGGER IF EXISTS ` + fn + ` ON ` + table,
			`CREATE TRIGGER ` + fn + ` BEFORE INSERT ON ` + table + ` FOR EACH ROW EXECUTE FUNCTION ` + fn + `()`,
		} {
			if _, err := tx.Exec(s); err != nil {
				return fmt.Errorf("number %s.%s: %w", table, col, err)
			}
		}
	}
	return nil
}

// hasTable reports whether the catalogue has the table name.
func (a *Archive) hasTable(name string) (bool, error) {
	var n int
	var err error
	if a.pg != nil {
		err = a.db.QueryRow(`SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`, name).Scan(&n)
	} else {
		err = a.db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, name).Scan(&n)
	}
	return n > 0, err
}

// hasColumn reports whether the catalogue's table has the column.
func (a *Archive) hasColumn(table, column string) (bool, error) {
	var n int
	var err error
	if a.pg != nil {
		err = a.db.QueryRow(`SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?`, table, column).Scan(&n)
	} else {
		err = a.db.QueryRow(`SELECT count(*) FROM pragma_table_info(?) WHERE name = ?`, table, column).Scan(&n)
	}
	return n > 0, err
}

// pgIntegrity is PostgreSQL's part of Check: it keeps its own pages and
// enforces every reference as rows are written (SQLite's integrity_check
// and foreign_key_check have nothing to find there), so what is left to
// ask is whether every constraint of the catalogue's tables holds for
// all their rows: none was added NOT VALID or left invalid.
func (a *Archive) pgIntegrity(ctx context.Context) ([]string, error) {
	rows, err := a.db.QueryContext(ctx, `SELECT c.conrelid::regclass::text, c.conname
		FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
		WHERE n.nspname = current_schema() AND NOT c.convalidated ORDER BY 1, 2`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var table, name string
		if err := rows.Scan(&table, &name); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("%s: constraint %s is not validated", table, name))
	}
	return out, rows.Err()
}

// pgBatchRows is how many rows one INSERT carries to PostgreSQL: each
// statement is a round trip to the server, which may be across a network.
const pgBatchRows = 200

// rowWriter inserts many rows into one table within a transaction. On
// SQLite it runs the single-row INSERT once a row, as the archive always
// has (through a prepared statement with prepare); on PostgreSQL it sends
// up to pgBatchRows rows a statement.
type rowWriter struct {
	ctx   context.Context
	tx    *sql.Tx
	query string
	stmt  *sql.Stmt
	pg    bool
	// PostgreSQL: the INSERT up to VALUES, one row's tuple, the rows
	// waiting and the number of the first of them.
	head, tuple string
	args        []any
	rows, first int
}

// newRowWriter prepares to run query, an INSERT … VALUES (?, …) of one
// row, for many rows.
func newRowWriter(ctx context.Context, tx *sql.Tx, pg bool, query string, prepare bool) (*rowWriter, error) {
	w := &rowWriter{ctx: ctx, tx: tx, query: query, pg: pg, first: 1}
	if !pg {
		if prepare {
			stmt, err := tx.PrepareContext(ctx, query)
			if err != nil {
				return nil, err
			}
			w.stmt = stmt
		}
		return w, nil
	}
	i := strings.LastIndex(strings.ToUpper(query), "VALUES")
	if i < 0 {
		return nil, fmt.Errorf("rowWriter: no VALUES in %q", query)
	}
	w.head, w.tuple = query[:i+len("VALUES")]+" ", strings.TrimSpace(query[i+len("VALUES"):])
	return w, nil
}

// add writes one row, or on PostgreSQL queues it, writing a full batch.
func (w *rowWriter) add(args ...any) error {
	switch {
	case w.stmt != nil:
		_, err := w.stmt.ExecContext(w.ctx, args...)
		return err
	case !w.pg:
		_, err := w.tx.ExecContext(w.ctx, w.query, args...)
		return err
	}
	w.args = append(w.args, args...)
	w.rows++
	if w.rows == pgBatchRows {
		return w.flush()
	}
	return nil
}

func (w *rowWriter) flush() error {
	if w.rows == 0 {
		return nil
	}
	q := w.head + strings.TrimSuffix(strings.Repeat(w.tuple+", ", w.rows), ", ")
	_, err := w.tx.ExecContext(w.ctx, q, w.args...)
	if err != nil {
		err = fmt.Errorf("rows %d to %d: %w", w.first, w.first+w.rows-1, err)
	}
	w.first += w.rows
	w.args, w.rows = w.args[:0], 0
	return err
}

// close writes the rows still queued and lets go of the statement.
func (w *rowWriter) close() error {
	if w.stmt != nil {
		return w.stmt.Close()
	}
	return w.flush()
}
