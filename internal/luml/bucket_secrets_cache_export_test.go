package luml

import "time"

// SetSecretListClock replaces the clock that ages cached secret lists.
func (c *Client) SetSecretListClock(now func() time.Time) { c.secretLists.now = now }

// SetReadGathering replaces how long a refresh waits for others before it sends its own GET.
func (c *Client) SetReadGathering(d time.Duration) { c.secretLists.gathering = d }
