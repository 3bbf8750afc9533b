package luml

import "time"

// SetSecretListClock replaces the clock that ages cached secret lists.
func (c *Client) SetSecretListClock(now func() time.Time) { c.secretLists.now = now }

// ListQuorum is how many reads of one organization make a refresh read from its list.
const ListQuorum = listQuorum

// SetReadGathering replaces how long a refresh waits for others before it sends its own GET.
func (c *Client) SetReadGathering(d time.Duration) { c.secretLists.gathering = d }
