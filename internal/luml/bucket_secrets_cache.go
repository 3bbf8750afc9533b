package luml

import (
	"context"
	"strings"
	"sync"
	"time"
)

// secretListTTL bounds how old a cached secret list may be. A plan reads its data sources
// within seconds, so they share one list; a change made outside this provider in the meantime
// is seen at most this late.
const secretListTTL = 30 * time.Second

// secretListCache keeps each organization's secret list for a short while, so that many
// lookups by bucket name in one Terraform run cost one list request. Concurrent lookups wait
// for the request in flight instead of sending their own. This Client's own changes to an
// organization's secrets drop its list.
type secretListCache struct {
	mu      sync.Mutex
	now     func() time.Time // nil means time.Now
	entries map[string]*secretListEntry
}

type secretListEntry struct {
	ready   chan struct{} // closed once secrets, err and fetched are set
	secrets []BucketSecret
	err     error
	fetched time.Time
}

// orgKey is the cache key of an organization: IDs are UUIDs, which the server accepts in any
// letter case.
func orgKey(orgID string) string { return strings.ToLower(orgID) }

func (c *secretListCache) clock() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

// entry returns the organization's entry, and whether the caller must fill it: when there is
// none, or the one there is has expired.
func (c *secretListCache) entry(orgID string) (*secretListEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[orgKey(orgID)]; e != nil {
		select {
		case <-e.ready:
			if c.clock().Sub(e.fetched) < secretListTTL {
				return e, false
			}
		default:
			return e, false // in flight
		}
	}
	e := &secretListEntry{ready: make(chan struct{})}
	if c.entries == nil {
		c.entries = map[string]*secretListEntry{}
	}
	c.entries[orgKey(orgID)] = e
	return e, true
}

// drop forgets the organization's list. With an entry, only if that entry is still current:
// a newer one must not be lost to an older request's failure.
func (c *secretListCache) drop(orgID string, only *secretListEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if only == nil || c.entries[orgKey(orgID)] == only {
		delete(c.entries, orgKey(orgID))
	}
}

// BucketSecretsNamed returns the organization's secrets whose bucket name is exactly name.
// The organization's list is fetched at most once per secretListTTL and after each change this
// Client makes to the organization's secrets; lookups in between share it. Use
// GetBucketSecret to read one secret as it is now.
func (c *Client) BucketSecretsNamed(ctx context.Context, orgID, name string) ([]BucketSecret, error) {
	e, fill := c.secretLists.entry(orgID)
	if fill {
		secrets, err := c.ListBucketSecrets(ctx, orgID)
		e.secrets, e.err, e.fetched = secrets, err, c.secretLists.clock()
		close(e.ready)
		if err != nil {
			c.secretLists.drop(orgID, e) // the next lookup tries again
		}
	}
	select {
	case <-e.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if e.err != nil {
		return nil, e.err
	}
	var out []BucketSecret
	for _, s := range e.secrets {
		if s.BucketName == name {
			out = append(out, s)
		}
	}
	return out, nil
}
