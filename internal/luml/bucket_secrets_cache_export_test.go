package luml

import "time"

// SetSecretListClock replaces the clock that ages cached secret lists.
func (c *Client) SetSecretListClock(now func() time.Time) { c.secretLists.now = now }
