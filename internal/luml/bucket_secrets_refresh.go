package luml

import (
	"context"
	"errors"
	"strings"
	"time"
)

// RefreshListQuorum is how many reads of one organization's secrets, begun within
// secretListTTL, make RefreshBucketSecret read them from the organization's list.
//
// When the list pays off: one GET per secret costs a round trip per secret, of which Terraform
// sends ten at a time by default; the organization's list costs one round trip, and a body that
// grows with the organization. A plan of one secret or a few is one round of parallel GETs,
// which the list could not beat, and in an organization of thousands the list would cost more
// than those GETs. Half of Terraform's ten, because the reads it sends at once are shared with
// other resources and organizations. A read that finds fewer others waits for more, until
// readGathering passes without another read of the organization: the reads of a plan start
// together, so a plan of many secrets reads them all from one list, and a plan of a few pays
// this wait once before its GETs.
const RefreshListQuorum = 5

const readGathering = 20 * time.Millisecond

// refreshState is what the refreshes of one organization share.
type refreshState struct {
	// started is when the first read of the current count began; reads counts those begun
	// since, up to secretListTTL ago.
	started time.Time
	reads   int
	// quorum is closed when reads reaches RefreshListQuorum; joined is closed, and replaced, when
	// a read joins.
	quorum, joined chan struct{}
	// listFailed is when the organization's list last failed a refresh, zero if it did not
	// within secretListTTL: until then reads use GETs rather than retrying it.
	listFailed time.Time
}

// joinRefresh counts a read of the organization and reports whether it reads from the list:
// a fresh list exists or is being requested (by lookups by name, say), or RefreshListQuorum
// reads have begun within secretListTTL, before this one or while it waited for more. It
// reports false without waiting when the list failed within secretListTTL.
func (c *secretListCache) joinRefresh(ctx context.Context, key string) (bool, error) {
	c.mu.Lock()
	now := c.clock()
	if c.listAtHandLocked(key) {
		c.mu.Unlock()
		return true, nil
	}
	r := c.refresh[key]
	if r == nil {
		r = c.newRefreshState(key)
	}
	if c.listFailedLocked(key) {
		c.mu.Unlock()
		return false, nil
	}
	if r.quorum == nil || now.Sub(r.started) >= secretListTTL {
		r.started, r.reads, r.quorum = now, 0, make(chan struct{})
	}
	r.reads++
	if r.reads == RefreshListQuorum {
		close(r.quorum)
	}
	if r.joined != nil {
		close(r.joined)
	}
	r.joined = make(chan struct{})
	quorum, joined := r.quorum, r.joined
	wait := readGathering
	if c.gathering > 0 {
		wait = c.gathering
	}
	c.mu.Unlock()

	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		select {
		case <-quorum:
			return true, nil
		case <-joined: // another read came: wait for more
			timer.Reset(wait)
			c.mu.Lock()
			joined = r.joined
			c.mu.Unlock()
		case <-timer.C:
			c.mu.Lock()
			defer c.mu.Unlock()
			return c.listAtHandLocked(key), nil // taken meanwhile, for lookups by name
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
}

// listAtHandLocked reports whether the organization's list is fresh or being requested: a
// read then costs no request of its own.
func (c *secretListCache) listAtHandLocked(key string) bool {
	_, fresh := c.freshLocked(key)
	return fresh || c.listing[key]
}

// errListFailed ends a refresh's list request that is not sent, since the list failed a moment
// ago.
var errListFailed = errors.New("the organization's list failed within the last " + secretListTTL.String())

// listFailedLocked reports whether the organization's list failed within secretListTTL.
func (c *secretListCache) listFailedLocked(key string) bool {
	r := c.refresh[key]
	return r != nil && !r.listFailed.IsZero() && c.clock().Sub(r.listFailed) < secretListTTL
}

func (c *secretListCache) newRefreshState(key string) *refreshState {
	if c.refresh == nil {
		c.refresh = map[string]*refreshState{}
	}
	r := &refreshState{}
	c.refresh[key] = r
	return r
}

// current reports whether no change of this Client to the organization's secrets happened
// since res was requested.
func (c *secretListCache) current(key string, res listResult) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.drops[key] == res.drops
}

// RefreshBucketSecret reads a secret for a refresh. When many secrets of the organization are
// read at once (see RefreshListQuorum), it finds the secret in the organization's list: one
// request shared by every such read, never older than secretListTTL, dropped by this Client's
// own changes. Otherwise it sends one GET. A secret missing from the list is read with its own
// GET, since it may have been created after the list was taken, and so is every secret while
// the organization's list fails (one unreadable secret fails it as a whole). The result is
// what GetBucketSecret would have returned when the list was taken: a missing secret is an
// error matched by IsNotFound.
func (c *Client) RefreshBucketSecret(ctx context.Context, orgID, id string) (*BucketSecret, error) {
	key := orgKey(orgID)
	fromList, err := c.secretLists.joinRefresh(ctx, key)
	if err != nil {
		return nil, err
	}
	if fromList {
		res, err := c.sharedList(ctx, orgID, true)
		switch {
		case err != nil && ctx.Err() != nil:
			return nil, ctx.Err()
		case err == nil && c.secretLists.current(key, res):
			if i, ok := res.list.byID[strings.ToLower(id)]; ok {
				s := res.list.secrets[i]
				return &s, nil
			}
		}
		// Missing from the list, the list failed, or this Client changed the organization's
		// secrets since it was taken.
	}
	return c.GetBucketSecret(ctx, orgID, id)
}
