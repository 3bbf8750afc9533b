package luml

import (
	"context"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// secretListTTL bounds how old a cached secret list may be. A plan reads its data sources
// within seconds, so they share one list; a change made outside this provider in the meantime
// is seen at most this late.
const secretListTTL = 30 * time.Second

// secretListCache keeps each organization's secret list for a short while, so that many
// lookups by bucket name in one Terraform run cost one list request. Concurrent lookups share
// the request in flight. This Client's own changes to an organization's secrets drop its list.
type secretListCache struct {
	flights singleflight.Group

	mu    sync.Mutex
	now   func() time.Time // nil means time.Now
	lists map[string]cachedList
	// drops counts each organization's drops: a list fetched across one is already stale.
	drops map[string]uint64
}

type cachedList struct {
	secrets []BucketSecret
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

// fresh returns the organization's list if it is younger than secretListTTL.
func (c *secretListCache) fresh(key string) ([]BucketSecret, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.lists[key]
	if !ok || c.clock().Sub(l.fetched) >= secretListTTL {
		return nil, false
	}
	return l.secrets, true
}

// fetch runs list once for all concurrent callers and keeps its result unless the organization's
// list was dropped meanwhile.
func (c *secretListCache) fetch(key string, list func() ([]BucketSecret, error)) <-chan singleflight.Result {
	return c.flights.DoChan(key, func() (any, error) {
		c.mu.Lock()
		drops := c.drops[key]
		c.mu.Unlock()
		secrets, err := list()
		if err != nil {
			return nil, err // the next lookup tries again
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.drops[key] == drops {
			if c.lists == nil {
				c.lists = map[string]cachedList{}
			}
			c.lists[key] = cachedList{secrets: secrets, fetched: c.clock()}
		}
		return secrets, nil
	})
}

// drop forgets the organization's list, and makes the next lookup fetch a new one rather than
// share a request already in flight.
func (c *secretListCache) drop(orgID string) {
	key := orgKey(orgID)
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.lists, key)
	if c.drops == nil {
		c.drops = map[string]uint64{}
	}
	c.drops[key]++
	c.flights.Forget(key)
}

// BucketSecretsNamed returns the organization's secrets whose bucket name is exactly name.
// The organization's list is fetched at most once per secretListTTL and after each change this
// Client makes to the organization's secrets; lookups in between share it. Use
// GetBucketSecret to read one secret as it is now.
func (c *Client) BucketSecretsNamed(ctx context.Context, orgID, name string) ([]BucketSecret, error) {
	key := orgKey(orgID)
	secrets, ok := c.secretLists.fresh(key)
	if !ok {
		// The request serves every lookup waiting for it: one caller giving up must not end it.
		listCtx := context.WithoutCancel(ctx)
		flight := c.secretLists.fetch(key, func() ([]BucketSecret, error) { return c.ListBucketSecrets(listCtx, orgID) })
		select {
		case res := <-flight:
			if res.Err != nil {
				return nil, res.Err
			}
			secrets, _ = res.Val.([]BucketSecret)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	var out []BucketSecret
	for _, s := range secrets {
		if s.BucketName == name {
			out = append(out, s)
		}
	}
	return out, nil
}
