package archive

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// pgLock is the write lock of an archive on PostgreSQL: a session-level
// advisory lock, held by one connection set aside from the pool until
// Unlock. Every machine working on the archive asks for the same lock,
// so two ingests, wherever they run, follow one another; a process that
// dies loses its connection and with it the lock. The holder describes
// itself in the lock table for the others' ErrBusy.
type pgLock struct {
	conn   *sql.Conn
	key    int64
	shared bool // a reader's: keeps writers out, not other readers
}

// lockPG takes the archive's write lock on PostgreSQL, waiting up to wait.
func (a *Archive) lockPG(what string, wait time.Duration) (*Lock, error) {
	ctx := context.Background()
	conn, err := a.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("lock archive: %w", err)
	}
	deadline := time.Now().Add(wait)
	for {
		var got bool
		if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, a.pg.writeKey).Scan(&got); err != nil {
			conn.Close()
			return nil, fmt.Errorf("lock archive: %w", err)
		}
		if got {
			break
		}
		if time.Now().After(deadline) {
			conn.Close()
			return nil, fmt.Errorf("%w: held by %s", ErrBusy, a.pgHolder(ctx))
		}
		time.Sleep(50 * time.Millisecond)
	}
	host, _ := os.Hostname()
	holder := fmt.Sprintf("pid %d on %s (%s) since %s", os.Getpid(), host, what, time.Now().Format(time.RFC3339))
	if _, err := conn.ExecContext(ctx, `INSERT INTO `+lockTable+` (name, holder) VALUES ('write', $1)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder`, holder); err != nil {
		l := &pgLock{conn: conn, key: a.pg.writeKey}
		l.unlock()
		return nil, fmt.Errorf("lock archive: %w", err)
	}
	return &Lock{pg: &pgLock{conn: conn, key: a.pg.writeKey}}, nil
}

// shareLockPG holds writers out while a read-only archive on PostgreSQL
// reads the whole of it (an export), waiting up to wait for a writer to
// finish. Unlike SQLite's, a read-only archive here does not keep writers
// out for as long as it is open: PostgreSQL answers each query from a
// consistent snapshot, so only what spans many queries needs the lock.
func (a *Archive) shareLockPG(what string, wait time.Duration) (*Lock, error) {
	ctx := context.Background()
	conn, err := a.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("lock archive for reading: %w", err)
	}
	deadline := time.Now().Add(wait)
	for {
		var got bool
		if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock_shared($1)`, a.pg.writeKey).Scan(&got); err != nil {
			conn.Close()
			return nil, fmt.Errorf("lock archive for reading: %w", err)
		}
		if got {
			return &Lock{pg: &pgLock{conn: conn, key: a.pg.writeKey, shared: true}}, nil
		}
		if time.Now().After(deadline) {
			conn.Close()
			return nil, fmt.Errorf("%s: %w: held by %s", what, ErrBusy, a.pgHolder(ctx))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// pgHolder says who holds the write lock, as its holder wrote it.
func (a *Archive) pgHolder(ctx context.Context) string {
	var h string
	err := a.db.QueryRowContext(ctx, `SELECT holder FROM `+lockTable+` WHERE name = 'write'`).Scan(&h)
	if err != nil || strings.TrimSpace(h) == "" {
		return "a recuerdo that did not say which (one reading it read-only holds it shared)"
	}
	return h
}

// unlock forgets the holder and releases the lock; a connection that
// cannot say it released it is closed, which releases it too.
func (l *pgLock) unlock() error {
	ctx := context.Background()
	var err error
	var released bool
	if l.shared {
		err = l.conn.QueryRowContext(ctx, `SELECT pg_advisory_unlock_shared($1)`, l.key).Scan(&released)
	} else {
		_, err = l.conn.ExecContext(ctx, `DELETE FROM `+lockTable+` WHERE name = 'write'`)
		if err == nil {
			err = l.conn.QueryRowContext(ctx, `SELECT pg_advisory_unlock($1)`, l.key).Scan(&released)
		}
	}
	if err == nil && !released {
		err = errors.New("the lock was not held")
	}
	if err != nil {
		// Do not hand a connection that may still hold it back to the pool.
		l.conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	l.conn.Close()
	if err != nil {
		return fmt.Errorf("unlock archive: %w", err)
	}
	return nil
}
