package luml

import (
	"context"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// secretListTTL bounds how old a cached secret list may be. A plan refreshes its secrets and
// reads its data sources within seconds, so they share one list; a change made outside this
// provider in the meantime is seen at most this late.
const secretListTTL = 30 * time.Second

// secretListCache keeps each organization's secret list for a short while, so that many
// lookups by bucket name and many refreshes in one Terraform run cost one list request.
// Concurrent callers share the request in flight. This Client's own changes to an
// organization's secrets drop its list.
type secretListCache struct {
	flights singleflight.Group

	mu    sync.Mutex
	now   func() time.Time // nil means time.Now
	lists map[string]cachedList
	// drops counts each organization's drops: a list fetched across one is already stale.
	drops map[string]uint64
	// listing says which organizations' lists are being requested.
	listing map[string]bool
	// refresh is the state of each organization's refreshes (bucket_secrets_refresh.go).
	refresh map[string]*refreshState
	// gathering, when set, replaces readGathering.
	gathering time.Duration
}

type cachedList struct {
	secrets []BucketSecret
	byID    map[string]int // index in secrets by lower-case ID
	fetched time.Time
}

// listResult is what a list request gives every caller that shared it.
type listResult struct {
	list cachedList
	// drops is the organization's drop count when the list was requested.
	drops uint64
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

// freshLocked returns the organization's list if it is younger than secretListTTL.
func (c *secretListCache) freshLocked(key string) (cachedList, bool) {
	l, ok := c.lists[key]
	if !ok || c.clock().Sub(l.fetched) >= secretListTTL {
		return cachedList{}, false
	}
	return l, true
}

// fetch runs list once for all concurrent callers and keeps its result unless the organization's
// list was dropped meanwhile. A caller that found no fresh list just before another caller's
// request ended gets that list rather than a second request.
// For a refresh, a list that failed within secretListTTL is not asked again.
func (c *secretListCache) fetch(key string, forRefresh bool, list func() ([]BucketSecret, error)) <-chan singleflight.Result {
	return c.flights.DoChan(key, func() (any, error) {
		c.mu.Lock()
		drops := c.drops[key]
		cached, ok := c.freshLocked(key)
		failed := forRefresh && c.listFailedLocked(key)
		c.mu.Unlock()
		switch {
		case ok:
			return listResult{list: cached, drops: drops}, nil
		case failed:
			return nil, errListFailed
		}
		c.setListing(key, true)
		defer c.setListing(key, false)
		secrets, err := list()
		if err != nil {
			// The next lookup by name tries again; refreshes read their secrets one by one
			// for a while, so that the list is not asked again by each of them.
			c.mu.Lock()
			defer c.mu.Unlock()
			r := c.refresh[key]
			if r == nil {
				r = c.newRefreshState(key)
			}
			r.listFailed = c.clock()
			return nil, err
		}
		l := cachedList{secrets: secrets, byID: make(map[string]int, len(secrets)), fetched: c.clock()}
		for i := range secrets {
			l.byID[strings.ToLower(secrets[i].ID)] = i
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.drops[key] == drops {
			if c.lists == nil {
				c.lists = map[string]cachedList{}
			}
			c.lists[key] = l
		}
		return listResult{list: l, drops: drops}, nil
	})
}

func (c *secretListCache) setListing(key string, on bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.listing == nil {
		c.listing = map[string]bool{}
	}
	c.listing[key] = on
}

// sharedList returns the organization's list: the cached one while fresh, else the answer of one
// request shared with every concurrent caller. forRefresh as in fetch.
func (c *Client) sharedList(ctx context.Context, orgID string, forRefresh bool) (listResult, error) {
	key := orgKey(orgID)
	c.secretLists.mu.Lock()
	drops := c.secretLists.drops[key]
	cached, ok := c.secretLists.freshLocked(key)
	c.secretLists.mu.Unlock()
	if ok {
		return listResult{list: cached, drops: drops}, nil
	}
	// The request serves every caller waiting for it: one caller giving up must not end it.
	listCtx := context.WithoutCancel(ctx)
	flight := c.secretLists.fetch(key, forRefresh, func() ([]BucketSecret, error) {
		secrets, err := c.ListBucketSecrets(listCtx, orgID)
		if err != nil {
			c.logger.Debug(listCtx, "Listing the organization's bucket secrets failed; refreshes read each secret with its own request",
				map[string]any{"organization_id": orgID, "error": err.Error()})
		}
		return secrets, err
	})
	select {
	case res := <-flight:
		if res.Err != nil {
			return listResult{}, res.Err
		}
		got, _ := res.Val.(listResult)
		return got, nil
	case <-ctx.Done():
		return listResult{}, ctx.Err()
	}
}

// drop forgets the organization's list, and makes the next lookup fetch a new one rather than
// share a request already in flight.
func (c *secretListCache) drop(orgID string) {
	key := orgKey(orgID)
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.lists, key)
	if r := c.refresh[key]; r != nil {
		r.listFailed = time.Time{}
	}
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
	res, err := c.sharedList(ctx, orgID, false)
	if err != nil {
		return nil, err
	}
	var out []BucketSecret
	for _, s := range res.list.secrets {
		if s.BucketName == name {
			out = append(out, s)
		}
	}
	return out, nil
}
